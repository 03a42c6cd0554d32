/**
 * What an announcement says, as a list of clip names. Pure. A clip is one word or phrase in one
 * language, a file `<lang>/<name>.wav` (22 050 Hz mono 16-bit PCM) in the clip folder: a branch
 * replaces the placeholder set by dropping studio recordings with the same names into its folder.
 *
 * 请 A023 号到 3 号窗口办理 → zh/qing zh/A zh/0 zh/2 zh/3 zh/hao zh/dao zh/3 zh/hao zh/chuangkou zh/banli
 * Number A023, counter 3   → en/number en/A en/0 en/2 en/3 en/counter en/3
 *
 * The ticket number is read digit by digit (as customers read it off the ticket); the counter number
 * as a number (十二 / twelve), as it is painted above the counter.
 */

export type VoiceLang = 'zh' | 'en';

/** One clip of the set: its file name and how the placeholder generator (and the fallback) says it. */
export interface ClipSpec {
  /** `zh/qing`, `en/7`, `common/chime`: the file is `<name>.wav`. */
  name: string;
  /**
   * espeak-ng voice: `cmn-latn-pinyin` reads tone-numbered pinyin (`qing3`); the `cmn` voice reads
   * Chinese characters wrongly but says a Latin letter the way Chinese speakers do; `en-us` for English.
   * Null for a clip that is not speech (the chime).
   */
  voice: string | null;
  /** What the voice reads. */
  text: string;
}

const LETTERS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ'.split('');
const ZH_DIGITS = ['ling2', 'yi1', 'er4', 'san1', 'si4', 'wu3', 'liu4', 'qi1', 'ba1', 'jiu3'];
const EN_SMALL = [
  'zero',
  'one',
  'two',
  'three',
  'four',
  'five',
  'six',
  'seven',
  'eight',
  'nine',
  'ten',
  'eleven',
  'twelve',
  'thirteen',
  'fourteen',
  'fifteen',
  'sixteen',
  'seventeen',
  'eighteen',
  'nineteen',
];
const EN_TENS = ['', '', 'twenty', 'thirty', 'forty', 'fifty', 'sixty', 'seventy', 'eighty', 'ninety'];

/** Every clip an announcement can use. The placeholder script makes exactly these. */
export const VOCABULARY: readonly ClipSpec[] = [
  { name: 'common/chime', voice: null, text: '' },
  { name: 'zh/qing', voice: 'cmn-latn-pinyin', text: 'qing3' },
  { name: 'zh/hao', voice: 'cmn-latn-pinyin', text: 'hao4' },
  { name: 'zh/dao', voice: 'cmn-latn-pinyin', text: 'dao4' },
  { name: 'zh/chuangkou', voice: 'cmn-latn-pinyin', text: 'chuang1 kou3' },
  { name: 'zh/banli', voice: 'cmn-latn-pinyin', text: 'ban4 li3' },
  { name: 'zh/shi', voice: 'cmn-latn-pinyin', text: 'shi2' },
  { name: 'zh/bai', voice: 'cmn-latn-pinyin', text: 'bai3' },
  ...ZH_DIGITS.map((text, d) => ({ name: `zh/${d}`, voice: 'cmn-latn-pinyin', text })),
  ...LETTERS.map((l) => ({ name: `zh/${l}`, voice: 'cmn', text: l })),
  { name: 'en/number', voice: 'en-us', text: 'Number' },
  { name: 'en/counter', voice: 'en-us', text: 'counter' },
  { name: 'en/hundred', voice: 'en-us', text: 'hundred' },
  ...EN_SMALL.map((text, n) => ({ name: `en/${n}`, voice: 'en-us', text })),
  ...EN_TENS.flatMap((text, t) => (t >= 2 ? [{ name: `en/${t * 10}`, voice: 'en-us', text }] : [])),
  ...LETTERS.map((l) => ({ name: `en/${l}`, voice: 'en-us', text: l })),
];

const BY_NAME = new Map(VOCABULARY.map((c) => [c.name, c]));

export function clipSpec(name: string): ClipSpec | undefined {
  return BY_NAME.get(name);
}

/** One step of an announcement: a clip, or a pause. */
export type PlanItem = { clip: string } | { silenceMs: number };

/** Pauses between the parts, ms. The placeholder clips are trimmed of silence, so the plan adds it. */
export interface Pauses {
  /** Between two words of a sentence. Default 60. */
  word: number;
  /** After the chime. Default 250. */
  chime: number;
  /** Between the Chinese and the English sentence. Default 500. */
  language: number;
  /** Between two repeats of the whole announcement. Default 900. */
  repeat: number;
}

export const DEFAULT_PAUSES: Pauses = { word: 60, chime: 250, language: 500, repeat: 900 };

/** The characters of a ticket number, each a clip: letters and digits (anything else is skipped). */
function ticketClips(number: string, lang: VoiceLang): string[] {
  const out: string[] = [];
  for (const ch of number.toUpperCase()) if (/[A-Z0-9]/.test(ch)) out.push(`${lang}/${ch}`);
  return out;
}

/** 1–999 in Mandarin as clips: 3 → 三, 12 → 十二, 20 → 二十, 105 → 一百零五, 110 → 一百一十. */
export function zhNumberClips(n: number): string[] {
  if (!Number.isInteger(n) || n < 0 || n > 999)
    throw new RangeError(`counter number must be 0–999, got ${n}`);
  if (n < 10) return [`zh/${n}`];
  const h = Math.floor(n / 100);
  const t = Math.floor((n % 100) / 10);
  const u = n % 10;
  const out: string[] = [];
  if (h > 0) {
    out.push(`zh/${h}`, 'zh/bai');
    if (t === 0 && u === 0) return out;
    if (t === 0) return [...out, 'zh/0', `zh/${u}`];
    out.push(`zh/${t}`, 'zh/shi');
  } else if (t === 1) out.push('zh/shi');
  else out.push(`zh/${t}`, 'zh/shi');
  if (u > 0) out.push(`zh/${u}`);
  return out;
}

/** 1–999 in English as clips: 3 → three, 12 → twelve, 25 → twenty five, 105 → one hundred five. */
export function enNumberClips(n: number): string[] {
  if (!Number.isInteger(n) || n < 0 || n > 999)
    throw new RangeError(`counter number must be 0–999, got ${n}`);
  const out: string[] = [];
  const h = Math.floor(n / 100);
  const rest = n % 100;
  if (h > 0) {
    out.push(`en/${h}`, 'en/hundred');
    if (rest === 0) return out;
  }
  if (rest < 20) out.push(`en/${rest}`);
  else {
    out.push(`en/${Math.floor(rest / 10) * 10}`);
    if (rest % 10 > 0) out.push(`en/${rest % 10}`);
  }
  return out;
}

/** The words of one sentence in one language. */
export function sentenceClips(call: { number: string; counterNumber: number }, lang: VoiceLang): string[] {
  if (lang === 'zh')
    return [
      'zh/qing',
      ...ticketClips(call.number, 'zh'),
      'zh/hao',
      'zh/dao',
      ...zhNumberClips(call.counterNumber),
      'zh/hao',
      'zh/chuangkou',
      'zh/banli',
    ];
  return ['en/number', ...ticketClips(call.number, 'en'), 'en/counter', ...enNumberClips(call.counterNumber)];
}

/**
 * The whole announcement: the chime, then each language's sentence, all of it `repeat` times.
 * No languages = nothing to say (an empty plan).
 */
export function announcementPlan(
  call: { number: string; counterNumber: number },
  voice: { languages: readonly VoiceLang[]; repeat: number },
  pauses: Pauses = DEFAULT_PAUSES,
): PlanItem[] {
  if (voice.languages.length === 0) return [];
  const plan: PlanItem[] = [{ clip: 'common/chime' }, { silenceMs: pauses.chime }];
  const repeat = Math.max(1, Math.min(3, Math.floor(voice.repeat)));
  for (let r = 0; r < repeat; r++) {
    if (r > 0) plan.push({ silenceMs: pauses.repeat });
    voice.languages.forEach((lang, i) => {
      if (i > 0) plan.push({ silenceMs: pauses.language });
      sentenceClips(call, lang).forEach((clip, j) => {
        if (j > 0) plan.push({ silenceMs: pauses.word });
        plan.push({ clip });
      });
    });
  }
  return plan;
}
