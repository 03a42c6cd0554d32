import { type Catalogue, fillBoth } from './catalogue.ts';
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

/** The words of a wait (core's `Catalogue` format), filled by `fillBoth`. */
const WAIT_WORDS = {
  nobodyAhead: { zh: '您前面没有人', en: 'Nobody ahead of you' },
  aheadOne: { zh: '您前面还有 {n} 人', en: '{n} person ahead of you' },
  aheadMany: { zh: '您前面还有 {n} 人', en: '{n} people ahead of you' },
  moreThan: { zh: '预计等候 {low} 分钟以上', en: 'Estimated wait more than {low} min' },
  inAMoment: { zh: '即将叫到您', en: 'You will be called in a moment' },
  range: { zh: '预计等候 {low}–{high} 分钟', en: 'Estimated wait {low}–{high} min' },
  unknown: {
    zh: '暂无窗口办理此业务，等候时间未知，请咨询大堂经理',
    en: 'No counter serves this now, so the wait is unknown; please ask the floor staff',
  },
  /** `{range}` is one of the three above, its English lower-cased at the start. */
  countersOpen: { zh: '窗口约 {hhmm} 开始办理；{range}', en: 'Counters open about {hhmm}; {range}' },
  counterBack: {
    zh: '暂无窗口开放，{counter}预计约 {hhmm} 恢复；{range}',
    en: 'No counter open; {counter} expected back about {hhmm}; {range}',
  },
  /** `{reasons}` is a list of `REASONS` entries. */
  note: { zh: '其中 {reasons}按规定优先办理', en: "including {reasons}, served first by the branch's rules" },
  briefUnknown: { zh: '等候时间未知', en: 'Wait unknown' },
  briefOpens: { zh: '约 {hhmm} 开始', en: 'Opens about {hhmm}' },
  briefBack: { zh: '约 {hhmm} 恢复', en: 'Back about {hhmm}' },
  briefMoreThan: { zh: '{low} 分钟以上', en: 'Over {low} min' },
  briefSoon: { zh: '即将叫号', en: 'Called soon' },
  briefRange: { zh: '约 {low}–{high} 分钟', en: '{low}–{high} min' },
} as const satisfies Catalogue;

function aheadWords(n: number): Bilingual {
  if (n <= 0) return WAIT_WORDS.nobodyAhead;
  return fillBoth(n === 1 ? WAIT_WORDS.aheadOne : WAIT_WORDS.aheadMany, { n });
}

function rangeWords(e: Estimate): Bilingual {
  if (e.moreThan) return fillBoth(WAIT_WORDS.moreThan, { low: e.lowMinutes });
  if (e.highMinutes <= 2) return WAIT_WORDS.inAMoment;
  return fillBoth(WAIT_WORDS.range, { low: e.lowMinutes, high: e.highMinutes });
}

function waitWordsOf(e: Estimate): Bilingual {
  if (e.unknown) return WAIT_WORDS.unknown;
  if (e.noCounterOpen && e.reopen) {
    const words = rangeWords(e);
    const range = { zh: words.zh, en: lowerFirst(words.en) };
    if (e.reopen.basis === 'opens') return fillBoth(WAIT_WORDS.countersOpen, { hhmm: e.reopen.hhmm, range });
    return fillBoth(WAIT_WORDS.counterBack, { counter: e.reopen.name, hhmm: e.reopen.hhmm, range });
  }
  return rangeWords(e);
}

const lowerFirst = (s: string) => s.charAt(0).toLowerCase() + s.slice(1);

/** Who goes first and why, one entry per count (`{n}`) and number (one, many). */
const REASONS: { key: keyof AheadReasons; one: Bilingual; many: Bilingual }[] = [
  {
    key: 'priority',
    one: { zh: '{n} 位优先客户（老幼病残孕）', en: '{n} priority customer' },
    many: { zh: '{n} 位优先客户（老幼病残孕）', en: '{n} priority customers' },
  },
  {
    key: 'vip',
    one: { zh: '{n} 位贵宾客户', en: '{n} VIP customer' },
    many: { zh: '{n} 位贵宾客户', en: '{n} VIP customers' },
  },
  {
    key: 'appointment',
    one: { zh: '{n} 位预约客户', en: '{n} customer with an appointment' },
    many: { zh: '{n} 位预约客户', en: '{n} customers with an appointment' },
  },
  {
    key: 'transfer',
    one: { zh: '{n} 位从其他窗口转来的客户', en: '{n} customer sent over from another counter' },
    many: { zh: '{n} 位从其他窗口转来的客户', en: '{n} customers sent over from another counter' },
  },
  {
    key: 'waitedLong',
    one: { zh: '{n} 位等候较久的客户', en: '{n} customer who had waited long' },
    many: { zh: '{n} 位等候较久的客户', en: '{n} customers who had waited long' },
  },
];

/** Why some of those ahead go first, or null when all are ahead by their place in the queue. */
export function aheadNote(reasons: AheadReasons | undefined): Bilingual | null {
  if (!reasons) return null;
  const parts = REASONS.filter((r) => reasons[r.key] > 0).map((r) => {
    const n = reasons[r.key];
    return fillBoth(n === 1 ? r.one : r.many, { n });
  });
  if (parts.length === 0) return null;
  const en = parts.map((p) => p.en);
  const list = en.length === 1 ? en[0]! : `${en.slice(0, -1).join(', ')} and ${en[en.length - 1]}`;
  return fillBoth(WAIT_WORDS.note, { reasons: { zh: parts.map((p) => p.zh).join('、'), en: list } });
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
  if (e.unknown) return WAIT_WORDS.briefUnknown;
  if (e.noCounterOpen && e.reopen)
    return fillBoth(e.reopen.basis === 'opens' ? WAIT_WORDS.briefOpens : WAIT_WORDS.briefBack, {
      hhmm: e.reopen.hhmm,
    });
  if (e.moreThan) return fillBoth(WAIT_WORDS.briefMoreThan, { low: e.lowMinutes });
  if (e.highMinutes <= 2) return WAIT_WORDS.briefSoon;
  return fillBoth(WAIT_WORDS.briefRange, { low: e.lowMinutes, high: e.highMinutes });
}

/** The same as one line in one language ("3 people ahead of you · estimated wait 10–15 min"). */
export function waitLine(e: Estimate, lang: Lang): string {
  const w = waitWords(e);
  const parts = [w.ahead[lang], w.wait[lang]];
  if (w.note) parts.push(w.note[lang]);
  return parts.join(lang === 'zh' ? '，' : ' · ');
}
