import { localTime, parseHhmm } from './clock.ts';
import { MINUTE } from './durations.ts';
import type { CounterConfig, CounterReturn, PauseRecord, QueueState } from './types.ts';

/**
 * When each counter calls: a paused counter's return, and the breaks an open counter will still take
 * today. Pauses are data:
 * - a teller who says "back in 30 min" is believed, give or take how late this branch's tellers
 *   usually are against their word;
 * - a counter whose lunch is in its configuration (12:00–13:00) is away then;
 * - otherwise a pause lasts what similar pauses have lasted: this counter's and the branch's, at this
 *   time of day, with the same words typed as the reason — and the longer it has lasted already, the
 *   longer it is likely to go on (the residual life of the pauses that lasted this long);
 * - an open counter that has not had its lunch today is, at each minute, away with the chance its
 *   past lunches say (from when, for how long): this counter's if it has enough days of history, the
 *   branch's otherwise. That chance thins the counter's pace over the lunch hours, rather than putting
 *   every counter away at once at its average lunch time.
 * Nothing is assumed where nothing is known: a branch with no history of pauses expects none.
 */

/** Minutes ahead the outlook covers; past it every counter is assumed there. */
export const OUTLOOK_MINUTES = 600;
/** A pause at least this long is a lunch (one a day). */
const LUNCH_MIN_MINUTES = 25;
/** A paused counter that has run past everything history knows comes back within this, or a share of its overrun. */
const OVERRUN_MIN = 2;
const OVERRUN_SHARE = 0.15;
/** Lateness against the teller's word, and against a planned end, before any is seen, minutes. */
const PRIOR_LATE = 1;
const PRIOR_LATE_WEIGHT = 3;
/** Kernel width over the time of day a pause starts, minutes. */
const START_BANDWIDTH = 50;

const LUNCH_WORDS = /lunch|meal|午|饭|餐/i;
const SHORT_WORDS = /break|away|back|暂|离|临时|会/i;

/** The prior: a lunch around noon lasts 45 minutes, a break in the afternoon 12. */
const PRIOR_PAUSES: { start: number; minutes: number; lunch: boolean; weight: number }[] = [
  { start: 720, minutes: 45, lunch: true, weight: 1.5 },
  { start: 720, minutes: 60, lunch: true, weight: 0.5 },
  { start: 600, minutes: 12, lunch: false, weight: 0.7 },
  { start: 900, minutes: 12, lunch: false, weight: 1 },
];

export interface CounterOutlook {
  counterId: string;
  /**
   * Minutes after `at` when the counter calls again (0 when open), and the variance of that, min².
   */
  backIn: number;
  backVariance: number;
  /** For a paused counter: how its return is known. */
  basis: CounterReturn['basis'] | null;
  /** Minutes after `at` at which `work` minutes of counter time started at `from` are done. */
  finish(from: number, work: number): number;
  /** The first minute at or after `from` at which the counter is there (not on a planned break). */
  nextThere(from: number): number;
}

interface PastPause {
  counterId: string;
  date: string;
  startMinute: number;
  minutes: number;
  saidMinutes: number | null;
  reason: string;
}

/** Pauses with their local date and start minute, per history array (the fold replaces arrays it changes). */
const pastCache = new WeakMap<readonly PauseRecord[], PastPause[]>();

function pastPauses(state: QueueState): PastPause[] {
  const tz = state.config.branch.timeZone;
  const out: PastPause[] = [];
  const pauses = state.history?.pauses ?? {};
  for (const counterId of Object.keys(pauses)) {
    const list = pauses[counterId]!;
    let hit = pastCache.get(list);
    if (!hit) {
      hit = list.map((p) => {
        const t = localTime(p.at, tz);
        return {
          counterId,
          date: t.date,
          startMinute: t.minuteOfDay,
          minutes: p.minutes,
          saidMinutes: p.saidMinutes,
          reason: p.reason,
        };
      });
      pastCache.set(list, hit);
    }
    out.push(...hit);
  }
  return out;
}

function kindOf(reason: string): 'lunch' | 'short' | null {
  if (LUNCH_WORDS.test(reason)) return 'lunch';
  if (SHORT_WORDS.test(reason)) return 'short';
  return null;
}

/** Weighted mean, variance and the weight behind it. */
function weighted(values: readonly number[], weights: readonly number[]) {
  let sw = 0;
  let s = 0;
  for (let i = 0; i < values.length; i++) {
    sw += weights[i]!;
    s += weights[i]! * values[i]!;
  }
  if (sw <= 0) return { mean: 0, variance: 0, weight: 0 };
  const mean = s / sw;
  let v = 0;
  for (let i = 0; i < values.length; i++) v += weights[i]! * (values[i]! - mean) ** 2;
  return { mean, variance: v / sw, weight: sw };
}

/** How late tellers come back against their word (or a planned end), minutes: a robust, shrunk median. */
function lateness(past: readonly PastPause[]): { late: number; spread: number } {
  const lates = past
    .filter((p) => p.saidMinutes !== null)
    .map((p) => p.minutes - p.saidMinutes!)
    .sort((a, b) => a - b);
  if (lates.length === 0) return { late: PRIOR_LATE, spread: 3 };
  const med = lates[lates.length >> 1]!;
  const mad = lates.map((v) => Math.abs(v - med)).sort((a, b) => a - b)[lates.length >> 1]!;
  const n = lates.length;
  return {
    late: (PRIOR_LATE * PRIOR_LATE_WEIGHT + med * n) / (PRIOR_LATE_WEIGHT + n),
    spread: Math.max(1.5, 1.4826 * mad),
  };
}

/**
 * What remains of a pause that has lasted `elapsed` minutes: the weighted residual life of similar
 * past pauses (same counter, same words, started about the same time of day) that lasted that long.
 */
function residualPause(
  past: readonly PastPause[],
  counterId: string,
  reason: string,
  startMinute: number,
  elapsed: number,
): { mean: number; variance: number } {
  const kind = kindOf(reason);
  const values: number[] = [];
  const weights: number[] = [];
  // Pauses started about the same time of day are alike; those with the same words are alike at any time.
  const kernel = (start: number, alike: boolean) => {
    const k = Math.exp(-(((start - startMinute) / START_BANDWIDTH) ** 2));
    return alike ? 0.2 + 0.8 * k : k;
  };
  const similar = (r: string, lunch: boolean): number => {
    if (reason !== '' && r === reason) return 3;
    if (kind === null) return 1;
    const k = r === '' ? null : kindOf(r);
    if (k === kind || (k === null && (kind === 'lunch') === lunch)) return 2;
    return 0.3;
  };
  for (const p of past) {
    if (p.minutes <= elapsed) continue;
    const sim = similar(p.reason, p.minutes >= LUNCH_MIN_MINUTES);
    const w = kernel(p.startMinute, sim >= 2) * (p.counterId === counterId ? 2 : 1) * sim;
    values.push(p.minutes - elapsed);
    weights.push(w);
  }
  for (const p of PRIOR_PAUSES) {
    if (p.minutes <= elapsed) continue;
    const alike = kind !== null && (kind === 'lunch') === p.lunch;
    const w = p.weight * kernel(p.start, alike) * (kind === null ? 1 : alike ? 4 : 0.1);
    values.push(p.minutes - elapsed);
    weights.push(w);
  }
  const r = weighted(values, weights);
  if (r.weight < 0.05) {
    const left = Math.max(OVERRUN_MIN, OVERRUN_SHARE * elapsed);
    return { mean: left, variance: left * left };
  }
  return { mean: Math.max(0.5, r.mean), variance: r.variance };
}

/** Today's planned breaks of a counter, minutes of day. */
function plannedBreaks(cfg: CounterConfig, weekday: number): { start: number; end: number }[] {
  return (cfg.breaks ?? [])
    .filter((b) => !b.days || b.days.includes(weekday))
    .map((b) => ({ start: parseHhmm(b.start), end: parseHhmm(b.end) }));
}

/**
 * Availability over the next `OUTLOOK_MINUTES` minutes after `nowMinute`, per minute (1 = there),
 * for a counter that calls from `fromMinute` on: planned breaks not yet taken are 0; a lunch not yet
 * taken thins it by the chance it is being taken then.
 */
function availability(
  cfg: CounterConfig,
  past: readonly PastPause[],
  today: string,
  nowMinute: number,
  fromMinute: number,
  weekday: number,
  late: number,
  lunchNow: boolean,
): Float64Array {
  const a = new Float64Array(OUTLOOK_MINUTES).fill(1);
  const todays = past.filter((p) => p.counterId === cfg.id && p.date === today);
  const lunchTaken = lunchNow || todays.some((p) => p.minutes >= LUNCH_MIN_MINUTES);
  const planned = plannedBreaks(cfg, weekday);
  const away = (from: number, to: number, share: number) => {
    const k0 = Math.max(0, Math.floor(from - nowMinute));
    const k1 = Math.min(OUTLOOK_MINUTES, Math.ceil(to - nowMinute));
    for (let k = k0; k < k1; k++) a[k]! -= share;
  };
  for (const b of planned) {
    // Taken already: a pause today that started near it (or the one going on now).
    const taken =
      todays.some((p) => Math.abs(p.startMinute - b.start) <= 45) ||
      (lunchNow && b.end - b.start >= LUNCH_MIN_MINUTES);
    if (taken || b.end <= fromMinute) continue;
    away(Math.max(b.start, fromMinute), b.end + late, 1);
  }
  // A counter that has never paused (a flexible counter, a new one) is not expected to start now.
  const pauses = past.some((p) => p.counterId === cfg.id);
  if (!lunchTaken && planned.length === 0 && pauses) {
    // Past lunches, one a day: the counter's own once it has a few days of them, the branch's before.
    const lunches = (own: boolean) => {
      const byDay = new Map<string, PastPause>();
      for (const p of past) {
        if ((p.counterId === cfg.id) !== own || p.date === today || p.minutes < LUNCH_MIN_MINUTES) continue;
        const key = `${p.counterId}|${p.date}`;
        if (!byDay.has(key)) byDay.set(key, p);
      }
      return [...byDay.values()];
    };
    const mine = lunches(true);
    const theirs = lunches(false);
    const ownDays = new Set(mine.map((p) => p.date)).size;
    const wOwn = ownDays / (ownDays + 2);
    for (const [set, weight] of [
      [mine, wOwn],
      [theirs, 1 - wOwn],
    ] as const) {
      if (set.length === 0 || weight <= 0) continue;
      const each = weight / set.length;
      for (const p of set) {
        // A lunch that would have started well before now did not happen today: it counts against.
        if (p.startMinute < fromMinute - 45) continue;
        const start = Math.max(p.startMinute, fromMinute + 3);
        away(start, start + p.minutes, each);
      }
    }
  }
  for (let k = 0; k < OUTLOOK_MINUTES; k++) a[k] = Math.max(0, Math.min(1, a[k]!));
  // Never wholly away on a guess: only a planned break stops a counter outright.
  if (planned.length === 0) for (let k = 0; k < OUTLOOK_MINUTES; k++) a[k] = Math.max(0.05, a[k]!);
  return a;
}

function outlookFrom(
  a: Float64Array,
  backIn: number,
  backVariance: number,
  basis: CounterOutlook['basis'],
  id: string,
): CounterOutlook {
  // Cumulative availability: W[k] = counter minutes available in [0, k).
  const W = new Float64Array(OUTLOOK_MINUTES + 1);
  for (let k = 0; k < OUTLOOK_MINUTES; k++) W[k + 1] = W[k]! + a[k]!;
  const at = (t: number) => {
    if (t <= 0) return 0;
    if (t >= OUTLOOK_MINUTES) return W[OUTLOOK_MINUTES]! + (t - OUTLOOK_MINUTES);
    const k = Math.floor(t);
    return W[k]! + a[k]! * (t - k);
  };
  const flat = a.every((v) => v === 1);
  return {
    counterId: id,
    backIn,
    backVariance,
    basis,
    finish(from, work) {
      if (flat || work <= 0) return from + Math.max(0, work);
      const target = at(from) + work;
      if (target >= W[OUTLOOK_MINUTES]!) return OUTLOOK_MINUTES + (target - W[OUTLOOK_MINUTES]!);
      // Binary search for the minute cell where the cumulative reaches the target.
      let lo = Math.max(0, Math.floor(from));
      let hi = OUTLOOK_MINUTES;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (W[mid + 1]! < target) lo = mid + 1;
        else hi = mid;
      }
      const k = lo;
      const within = a[k]! > 0 ? (target - W[k]!) / a[k]! : 0;
      return Math.max(from, k + within);
    },
    nextThere(from) {
      if (flat) return from;
      let k = Math.max(0, Math.floor(from));
      while (k < OUTLOOK_MINUTES && a[k] === 0) k++;
      return k === Math.floor(from) ? from : k;
    },
  };
}

/** Each counter's outlook at `at`: open and paused counters (closed ones call nobody). */
export function counterOutlooks(state: QueueState, at: number): Map<string, CounterOutlook> {
  const out = new Map<string, CounterOutlook>();
  const tz = state.config.branch.timeZone;
  const now = localTime(at, tz);
  const nowMinute = now.minuteOfDay + (at % MINUTE) / MINUTE;
  const past = pastPauses(state);
  const { late, spread } = lateness(past);
  const today = state.day ?? now.date;
  for (const id of state.config.counterOrder) {
    if (!Object.hasOwn(state.config.counters, id) || !Object.hasOwn(state.counters, id)) continue;
    const cfg = state.config.counters[id]!;
    const rt = state.counters[id]!;
    if (rt.status === 'closed') continue;
    let backIn = 0;
    let backVariance = 0;
    let basis: CounterOutlook['basis'] = null;
    if (rt.status === 'paused') {
      const elapsed = Math.max(0, (at - rt.since) / MINUTE);
      const start = localTime(rt.since, tz).minuteOfDay;
      const planned = plannedBreaks(cfg, now.weekday).find(
        (b) => start >= b.start - 20 && start < b.end && b.end + late > nowMinute,
      );
      if (rt.expectedBackAt !== undefined) {
        basis = 'said';
        const due = (rt.expectedBackAt - at) / MINUTE + late;
        if (due > 0) {
          backIn = due;
          backVariance = spread * spread;
        } else {
          const overrun = -due;
          backIn = Math.max(OVERRUN_MIN, OVERRUN_SHARE * (elapsed + overrun));
          backVariance = backIn * backIn;
        }
      } else if (planned) {
        basis = 'planned';
        backIn = Math.max(OVERRUN_MIN, planned.end + late - nowMinute);
        backVariance = spread * spread;
      } else {
        basis = 'learned';
        const r = residualPause(past, id, rt.pauseReason ?? '', start, elapsed);
        backIn = r.mean;
        backVariance = r.variance;
      }
    }
    const reason = rt.pauseReason ?? '';
    const elapsed = rt.status === 'paused' ? Math.max(0, (at - rt.since) / MINUTE) : 0;
    const lunchNow =
      rt.status === 'paused' &&
      (kindOf(reason) === 'lunch' || (kindOf(reason) !== 'short' && elapsed + backIn >= LUNCH_MIN_MINUTES));
    const a = availability(cfg, past, today, nowMinute, nowMinute + backIn, now.weekday, late, lunchNow);
    out.set(id, outlookFrom(a, backIn, backVariance, basis, id));
  }
  return out;
}
