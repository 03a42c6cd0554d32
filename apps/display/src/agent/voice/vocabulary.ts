import { pinyin } from 'pinyin-pro';

/**
 * What an announcement says, as a list of clip names. Pure. A clip is one word or phrase in one
 * language, a file `<lang>/<name>.wav` (22 050 Hz mono 16-bit PCM) in the clip folder: a branch
 * replaces the placeholder set by dropping studio recordings with the same names into its folder.
 *
 * 请 A023 号到 3 号窗口     → zh/qing zh/A zh/0 zh/2 zh/3 zh/hao zh/dao zh/3 zh/hao zh/chuangkou
 * A023, counter 3          → en/A en/0 en/2 en/3 (pause) en/counter en/3
 * 请 V001 号到 5 号贵宾室   → … zh/dao zh/5 zh/hao zh/place/贵宾室
 * V001, VIP room 5         → … (pause) en/place/VIP-room en/5
 *
 * The ticket number is read character by character (as customers read it off the ticket). The
 * counter is said by its configured **name**, the same the TV and the LED boards show: the name's
 * numbers as numbers (十二 / twelve, as painted above the counter), `号` and `窗口` / `counter` from the
 * fixed set, and any other word of it (贵宾室, "VIP room") from a **place clip** `zh/place/<word>` or
 * `en/place/<word>` — a studio recording when the branch has one; otherwise the agent makes a
 * placeholder from the word (Mandarin through its pinyin, see `placeClipSpec`).
 *
 * Short on purpose: no 办理 and no "Number", so that a call is about 8 s in both languages (it was
 * 9.5 s) and a burst of calls is heard sooner.
 */

export type VoiceLang = 'zh' | 'en';

/** A counter's name in both languages, as configured ("5号贵宾室" / "VIP room 5"). */
export interface CounterName {
  zh: string;
  en: string;
}

/** One call as the voice says it. */
export interface SpokenCall {
  /** "A023": read letter by letter, digit by digit. */
  number: string;
  /** The counter's configured name: what the TV and the boards show. */
  counterName: CounterName;
}

/** One clip of the set: its file name and how the placeholder generator (and the fallback) says it. */
export interface ClipSpec {
  /** `zh/qing`, `en/7`, `common/chime`, `zh/place/贵宾室`: the file is `<name>.wav`. */
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

/** The fixed set: every clip a call to an "N号窗口 / Counter N" can use. The placeholder script makes exactly these. */
export const VOCABULARY: readonly ClipSpec[] = [
  { name: 'common/chime', voice: null, text: '' },
  { name: 'zh/qing', voice: 'cmn-latn-pinyin', text: 'qing3' },
  { name: 'zh/hao', voice: 'cmn-latn-pinyin', text: 'hao4' },
  { name: 'zh/dao', voice: 'cmn-latn-pinyin', text: 'dao4' },
  { name: 'zh/chuangkou', voice: 'cmn-latn-pinyin', text: 'chuang1 kou3' },
  { name: 'zh/shi', voice: 'cmn-latn-pinyin', text: 'shi2' },
  { name: 'zh/bai', voice: 'cmn-latn-pinyin', text: 'bai3' },
  ...ZH_DIGITS.map((text, d) => ({ name: `zh/${d}`, voice: 'cmn-latn-pinyin', text })),
  ...LETTERS.map((l) => ({ name: `zh/${l}`, voice: 'cmn', text: l })),
  { name: 'en/counter', voice: 'en-us', text: 'counter' },
  { name: 'en/hundred', voice: 'en-us', text: 'hundred' },
  ...EN_SMALL.map((text, n) => ({ name: `en/${n}`, voice: 'en-us', text })),
  ...EN_TENS.flatMap((text, t) => (t >= 2 ? [{ name: `en/${t * 10}`, voice: 'en-us', text }] : [])),
  ...LETTERS.map((l) => ({ name: `en/${l}`, voice: 'en-us', text: l })),
];

const BY_NAME = new Map(VOCABULARY.map((c) => [c.name, c]));

/** How a clip is said: from the fixed set, or a place clip made from its own name. */
export function clipSpec(name: string): ClipSpec | undefined {
  return BY_NAME.get(name) ?? placeClipSpec(name) ?? undefined;
}

/**
 * A place clip's words (`zh/place/贵宾室`, `en/place/VIP-room`): Mandarin as tone-numbered pinyin
 * for espeak-ng's `cmn-latn-pinyin` voice (pinyin-pro gives it: 贵宾室 → gui4 bin1 shi4; its neutral
 * tone 0 is espeak-ng's 5), English as written, the dashes of its file name back to spaces.
 * Null when the name is not a place clip.
 */
export function placeClipSpec(name: string): ClipSpec | null {
  const m = /^(zh|en)\/place\/(.+)$/.exec(name);
  if (!m) return null;
  const word = m[2]!;
  if (m[1] === 'en') return { name, voice: 'en-us', text: word.replace(/-/g, ' ') };
  const syllables = pinyin(word, { toneType: 'num', type: 'array', nonZh: 'removed' })
    .map((s) => s.replace(/0$/, '5'))
    .filter((s) => /^[a-zü]+[1-5]$/.test(s));
  if (syllables.length === 0) return null;
  return { name, voice: 'cmn-latn-pinyin', text: syllables.join(' ') };
}

/** One step of an announcement: a clip, a pause, or a mark (where one call's words begin). */
export type PlanItem = { clip: string } | { silenceMs: number } | { mark: string };

/** Pauses between the parts, ms. The placeholder clips are trimmed of silence, so the plan adds it. */
export interface Pauses {
  /** Between two words of a sentence. Default 60. */
  word: number;
  /** The comma of "A023, counter 3". Default 200. */
  comma: number;
  /** After the chime. Default 200. */
  chime: number;
  /** Between two calls said in one announcement. Default 350. */
  call: number;
  /** Between the Chinese and the English part. Default 400. */
  language: number;
}

export const DEFAULT_PAUSES: Pauses = { word: 60, comma: 200, chime: 200, call: 350, language: 400 };

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

/** A number inside a name: as a number up to 999 (三 / twelve), beyond that digit by digit. */
function nameNumberClips(digits: string, lang: VoiceLang): string[] {
  const n = Number(digits);
  if (n <= 999) return lang === 'zh' ? zhNumberClips(n) : enNumberClips(n);
  return [...digits].map((d) => `${lang}/${d}`);
}

/** The fixed-set words a name may contain; anything else is a place clip. */
const ZH_WORDS: Record<string, string> = { 号: 'zh/hao', 窗口: 'zh/chuangkou' };
const EN_WORDS: Record<string, string> = { counter: 'en/counter' };

/**
 * A counter's name as clips, in one language: numbers as numbers, Latin letters one by one (the
 * Chinese name "VIP室" says V I P in Chinese), the fixed-set words (号, 窗口, counter), and every
 * other word a place clip named by the word itself.
 *
 *   3号窗口 → zh/3 zh/hao zh/chuangkou        Counter 3  → en/counter en/3
 *   5号贵宾室 → zh/5 zh/hao zh/place/贵宾室     VIP room 5 → en/place/VIP-room en/5
 */
export function counterNameClips(name: CounterName, lang: VoiceLang): string[] {
  const out: string[] = [];
  if (lang === 'zh') {
    // Digits, Latin letters, 号, and runs of anything else (hanzi) that are not space or punctuation.
    for (const [run] of name.zh.matchAll(/\d+|[A-Za-z]|号|[^\s\dA-Za-z号\p{P}\p{S}]+/gu)) {
      if (/^\d/.test(run)) out.push(...nameNumberClips(run, 'zh'));
      else if (/^[A-Za-z]$/.test(run)) out.push(`zh/${run.toUpperCase()}`);
      else if (ZH_WORDS[run]) out.push(ZH_WORDS[run]);
      else out.push(`zh/place/${run}`);
    }
    return out;
  }
  // Digits, and the words between them (one place clip per run of words: "VIP room").
  for (const [run] of name.en.matchAll(/\d+|[^\d]+/g)) {
    if (/^\d/.test(run)) {
      out.push(...nameNumberClips(run, 'en'));
      continue;
    }
    const words = run
      .replace(/[^\p{L}\p{N}'&]+/gu, ' ')
      .trim()
      .split(/\s+/)
      .filter(Boolean);
    if (words.length === 0) continue;
    const fixed = EN_WORDS[words.join(' ').toLowerCase()];
    out.push(fixed ?? `en/place/${words.join('-')}`);
  }
  return out;
}

/** The place clips a set of counter names needs (the agent makes the missing ones at start). */
export function placeClipsOf(names: readonly CounterName[]): ClipSpec[] {
  const seen = new Map<string, ClipSpec>();
  for (const name of names)
    for (const lang of ['zh', 'en'] as const)
      for (const clip of counterNameClips(name, lang)) {
        const spec = placeClipSpec(clip);
        if (spec && !seen.has(clip)) seen.set(clip, spec);
      }
  return [...seen.values()];
}

/**
 * The words of one call in one language: 请 A023 号到 3 号窗口 / A023, counter 3. In an announcement
 * of several calls, the Chinese 请 is said once, before the first (请 A023 号到 3 号窗口，A024 号到
 * 4 号窗口), as an announcer reads a list.
 */
export function sentenceClips(call: SpokenCall, lang: VoiceLang, opts: { please?: boolean } = {}): string[] {
  if (lang === 'zh')
    return [
      ...(opts.please === false ? [] : ['zh/qing']),
      ...ticketClips(call.number, 'zh'),
      'zh/hao',
      'zh/dao',
      ...counterNameClips(call.counterName, 'zh'),
    ];
  return [...ticketClips(call.number, 'en'), ...counterNameClips(call.counterName, 'en')];
}

/** One call's sentence with its pauses: a word gap between words, the comma after the English number. */
export function sentencePlan(
  call: SpokenCall,
  lang: VoiceLang,
  opts: { please?: boolean; pauses?: Pauses } = {},
): PlanItem[] {
  const pauses = opts.pauses ?? DEFAULT_PAUSES;
  const clips = sentenceClips(call, lang, { please: opts.please !== false });
  const numberEnds = lang === 'en' ? ticketClips(call.number, 'en').length : -1;
  const plan: PlanItem[] = [];
  clips.forEach((clip, j) => {
    if (j > 0) plan.push({ silenceMs: j === numberEnds ? pauses.comma : pauses.word });
    plan.push({ clip });
  });
  return plan;
}

/**
 * One announcement of one or more calls: the chime (unless `chime: false`: a repeat), then each
 * language in turn, each call's sentence in call order within it. A `{ mark: key }` stands where
 * each call's words begin in the first language: when its customer first hears the number.
 * No languages or no calls = nothing to say (an empty plan).
 */
export function announcementPlan(
  calls: readonly (SpokenCall & { key?: string })[],
  languages: readonly VoiceLang[],
  opts: { chime?: boolean; pauses?: Pauses } = {},
): PlanItem[] {
  if (languages.length === 0 || calls.length === 0) return [];
  const pauses = opts.pauses ?? DEFAULT_PAUSES;
  const plan: PlanItem[] =
    opts.chime === false ? [] : [{ clip: 'common/chime' }, { silenceMs: pauses.chime }];
  languages.forEach((lang, i) => {
    if (i > 0) plan.push({ silenceMs: pauses.language });
    calls.forEach((call, k) => {
      if (k > 0) plan.push({ silenceMs: pauses.call });
      if (i === 0 && call.key !== undefined) plan.push({ mark: call.key });
      plan.push(...sentencePlan(call, lang, { please: k === 0, pauses }));
    });
  });
  return plan;
}
