import type { AheadReasons, Bilingual, Lang, WaitEstimate } from './types.ts';

/**
 * The wait as the customer reads it, in both languages — one function for the kiosk's button, the
 * printed ticket, the phone's follow page and the TV, so that they never say different things about
 * the same estimate. Pure.
 *
 * - `ahead`: "3 ahead of you" / "nobody ahead of you" — the customer's own queue (`aheadInQueue`).
 * - `wait`: "estimated wait 10–15 min"; "more than 45 min" when the range would be too wide to help;
 *   "you will be called in a moment"; with no counter open, which counter is expected back and when
 *   ("no counter open; Counter 3 expected back about 13:00"), or, when nothing says when, that the wait
 *   is unknown — never an invented figure.
 * - `note`: why some of those ahead go first, when some do ("including 1 priority customer, served
 *   first"), so that a count that rises is explained.
 */
export interface WaitWords {
  ahead: Bilingual;
  wait: Bilingual;
  note: Bilingual | null;
}

type Estimate = Pick<
  WaitEstimate,
  | 'lowMinutes'
  | 'highMinutes'
  | 'ahead'
  | 'noCounterOpen'
  | 'moreThan'
  | 'unknown'
  | 'reopen'
  | 'aheadReasons'
>;

function aheadWords(n: number): Bilingual {
  if (n <= 0) return { zh: '您前面没有人', en: 'Nobody ahead of you' };
  return { zh: `您前面还有 ${n} 人`, en: `${n} ${n === 1 ? 'person' : 'people'} ahead of you` };
}

function rangeWords(e: Estimate): Bilingual {
  if (e.moreThan)
    return { zh: `预计等候 ${e.lowMinutes} 分钟以上`, en: `Estimated wait more than ${e.lowMinutes} min` };
  if (e.highMinutes <= 2) return { zh: '即将叫到您', en: 'You will be called in a moment' };
  return {
    zh: `预计等候 ${e.lowMinutes}–${e.highMinutes} 分钟`,
    en: `Estimated wait ${e.lowMinutes}–${e.highMinutes} min`,
  };
}

function waitWordsOf(e: Estimate): Bilingual {
  if (e.unknown)
    return {
      zh: '暂无窗口办理此业务，等候时间未知，请咨询大堂经理',
      en: 'No counter serves this now, so the wait is unknown; please ask the floor staff',
    };
  if (e.noCounterOpen && e.reopen) {
    const range = rangeWords(e);
    if (e.reopen.basis === 'opens')
      return {
        zh: `窗口约 ${e.reopen.hhmm} 开始办理；${range.zh}`,
        en: `Counters open about ${e.reopen.hhmm}; ${lowerFirst(range.en)}`,
      };
    return {
      zh: `暂无窗口开放，${e.reopen.name.zh}预计约 ${e.reopen.hhmm} 恢复；${range.zh}`,
      en: `No counter open; ${e.reopen.name.en} expected back about ${e.reopen.hhmm}; ${lowerFirst(range.en)}`,
    };
  }
  return rangeWords(e);
}

const lowerFirst = (s: string) => s.charAt(0).toLowerCase() + s.slice(1);

const REASONS: { key: keyof AheadReasons; zh: string; en: (n: number) => string }[] = [
  { key: 'priority', zh: '优先客户（老幼病残孕）', en: (n) => `priority customer${n === 1 ? '' : 's'}` },
  { key: 'vip', zh: '贵宾客户', en: (n) => `VIP customer${n === 1 ? '' : 's'}` },
  { key: 'appointment', zh: '预约客户', en: (n) => `customer${n === 1 ? '' : 's'} with an appointment` },
  {
    key: 'transfer',
    zh: '从其他窗口转来的客户',
    en: (n) => `customer${n === 1 ? '' : 's'} sent over from another counter`,
  },
  { key: 'waitedLong', zh: '等候较久的客户', en: (n) => `customer${n === 1 ? '' : 's'} who had waited long` },
];

/** Why some of those ahead go first, or null when all are ahead by their place in the queue. */
export function aheadNote(reasons: AheadReasons | undefined): Bilingual | null {
  if (!reasons) return null;
  const parts = REASONS.filter((r) => reasons[r.key] > 0);
  if (parts.length === 0) return null;
  const zh = parts.map((r) => `${reasons[r.key]} 位${r.zh}`).join('、');
  const en = parts.map((r) => `${reasons[r.key]} ${r.en(reasons[r.key])}`);
  const list = en.length === 1 ? en[0]! : `${en.slice(0, -1).join(', ')} and ${en[en.length - 1]}`;
  return {
    zh: `其中 ${zh}按规定优先办理`,
    en: `including ${list}, served first by the branch's rules`,
  };
}

/** The customer's words for an estimate, in both languages. */
export function waitWords(e: Estimate): WaitWords {
  return { ahead: aheadWords(e.ahead), wait: waitWordsOf(e), note: aheadNote(e.aheadReasons) };
}

/**
 * The same figure in the fewest words, for a service's tile on the hall's TV: "约 5–15 分钟",
 * "45 分钟以上", "即将叫号", "约 13:00 恢复", "等候时间未知". The numbers are `waitWords`' numbers.
 */
export function waitBrief(e: Estimate): Bilingual {
  if (e.unknown) return { zh: '等候时间未知', en: 'Wait unknown' };
  if (e.noCounterOpen && e.reopen)
    return e.reopen.basis === 'opens'
      ? { zh: `约 ${e.reopen.hhmm} 开始`, en: `Opens about ${e.reopen.hhmm}` }
      : { zh: `约 ${e.reopen.hhmm} 恢复`, en: `Back about ${e.reopen.hhmm}` };
  if (e.moreThan) return { zh: `${e.lowMinutes} 分钟以上`, en: `Over ${e.lowMinutes} min` };
  if (e.highMinutes <= 2) return { zh: '即将叫号', en: 'Called soon' };
  return { zh: `约 ${e.lowMinutes}–${e.highMinutes} 分钟`, en: `${e.lowMinutes}–${e.highMinutes} min` };
}

/** The same as one line in one language ("3 people ahead of you · estimated wait 10–15 min"). */
export function waitLine(e: Estimate, lang: Lang): string {
  const w = waitWords(e);
  const parts = [w.ahead[lang], w.wait[lang]];
  if (w.note) parts.push(w.note[lang]);
  return parts.join(lang === 'zh' ? '，' : ' · ');
}
