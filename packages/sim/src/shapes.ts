import type { LayoutId } from './layouts.ts';
import { hashString } from './rng.ts';

/**
 * The kinds of day a branch has. A shape changes how many customers come and when, what they want,
 * how patient they are, and how the branch is staffed; the simulator draws the actual customers from
 * a seed. Figures are from Chinese banks' own service-improvement plans where they give any (opening
 * rush, weekday lunch peak, payday and month-start peaks), otherwise plausible guesses written down
 * here so that anyone can change them.
 */
export type DayShapeId =
  | 'normal'
  | 'mondayRush'
  | 'payday'
  | 'monthStart'
  | 'quiet'
  | 'lunchUnderstaffed'
  | 'slowTeller'
  | 'vipBurst'
  | 'manyAppointments'
  | 'earlyClose'
  | 'saturday'
  | 'impatient'
  | 'preHoliday'
  | 'noManager'
  | 'longLunch';

/** A multiplier on arrivals between two local times of day (minutes since midnight). */
export interface Bump {
  from: number;
  to: number;
  factor: number;
  /** Only these services; all when absent. */
  services?: string[];
}

export interface DayShape {
  id: DayShapeId;
  label: { zh: string; en: string };
  /** Which dates fit: 'weekday' (Tue–Fri), 'monday', 'saturday', 'monthStart' (first 3 business days), 'payday' (10th, or the next business day). */
  fits: 'weekday' | 'monday' | 'saturday' | 'monthStart' | 'payday';
  /** Multiplier on every service's arrival rate. */
  volume: number;
  /** Further multipliers per service. */
  serviceVolume: Record<string, number>;
  bumps: Bump[];
  /** Share of walk-in tickets that are VIP / priority, as multipliers on each service's own mix. */
  vipFactor: number;
  priorityFactor: number;
  /** A wave of VIP customers (a wealth-product launch): extra VIP walk-ins per hour in the window. */
  vipWave: { from: number; to: number; perHour: number } | null;
  /** Share of bookable appointment slots that are booked. */
  appointmentFill: number;
  /** Lunch breaks: first start (minute of day), spacing between tellers, and length in minutes. */
  lunch: { start: number; spacing: number; minutes: number };
  /** One teller this much slower than usual (1 = none). */
  slowTeller: number;
  /** A counter that closes early (minute of day), with its teller gone. */
  earlyClose: number | null;
  /** Multiplier on customers' patience. */
  patienceFactor: number;
  /**
   * Share of customers who give up that just walk out (the hub learns of it only when they are called
   * and do not come); the others cancel on the phone page.
   */
  silentShare: number;
  /** Multiplier on the share of customers who do not answer their call. */
  noShowFactor: number;
  /** The manager opens the flexible counter when waits grow. */
  manager: boolean;
  /** Counters staffed all day in addition to the usual (e.g. the flexible one on payday). */
  extraStaff: boolean;
}

const H = (h: number, m = 0) => h * 60 + m;

function shape(s: Partial<DayShape> & Pick<DayShape, 'id' | 'label'>): DayShape {
  return {
    fits: 'weekday',
    volume: 1,
    serviceVolume: {},
    bumps: [],
    vipFactor: 1,
    priorityFactor: 1,
    vipWave: null,
    appointmentFill: 0.45,
    lunch: { start: H(11, 15), spacing: 40, minutes: 40 },
    slowTeller: 1,
    earlyClose: null,
    patienceFactor: 1,
    silentShare: 0.7,
    noShowFactor: 1,
    manager: true,
    extraStaff: false,
    ...s,
  };
}

export const DAY_SHAPES: Record<DayShapeId, DayShape> = {
  normal: shape({ id: 'normal', label: { zh: '普通工作日', en: 'normal weekday' } }),
  mondayRush: shape({
    id: 'mondayRush',
    label: { zh: '周一高峰', en: 'Monday rush' },
    fits: 'monday',
    volume: 1.12,
    bumps: [{ from: H(8, 30), to: H(11), factor: 1.35 }],
  }),
  payday: shape({
    id: 'payday',
    label: { zh: '发薪日', en: 'payday' },
    fits: 'payday',
    volume: 1.1,
    serviceVolume: { cash: 1.3 },
    bumps: [{ from: H(11, 30), to: H(14), factor: 1.2, services: ['cash'] }],
    extraStaff: true,
  }),
  monthStart: shape({
    id: 'monthStart',
    label: { zh: '月初', en: 'month start' },
    fits: 'monthStart',
    volume: 1.1,
    serviceVolume: { personal: 1.25, business: 1.6 },
  }),
  quiet: shape({
    id: 'quiet',
    label: { zh: '清淡日', en: 'quiet day' },
    volume: 0.6,
    appointmentFill: 0.25,
    manager: true,
  }),
  lunchUnderstaffed: shape({
    id: 'lunchUnderstaffed',
    label: { zh: '午间人手不足', en: 'lunch understaffing' },
    lunch: { start: H(11, 40), spacing: 10, minutes: 60 },
    bumps: [{ from: H(11, 30), to: H(13, 30), factor: 1.15 }],
    manager: false,
  }),
  slowTeller: shape({
    id: 'slowTeller',
    label: { zh: '新柜员较慢', en: 'a slow teller' },
    slowTeller: 1.7,
  }),
  vipBurst: shape({
    id: 'vipBurst',
    label: { zh: '贵宾集中到访', en: 'burst of VIPs' },
    vipWave: { from: H(9, 45), to: H(11, 15), perHour: 14 },
    vipFactor: 1.5,
  }),
  manyAppointments: shape({
    id: 'manyAppointments',
    label: { zh: '预约较多', en: 'many appointments' },
    appointmentFill: 0.92,
  }),
  earlyClose: shape({
    id: 'earlyClose',
    label: { zh: '窗口提前关闭', en: 'a counter closes early' },
    earlyClose: H(14, 30),
  }),
  saturday: shape({
    id: 'saturday',
    label: { zh: '周六', en: 'Saturday' },
    fits: 'saturday',
    volume: 0.85,
    serviceVolume: { personal: 1.2 },
    lunch: { start: H(11, 30), spacing: 35, minutes: 35 },
  }),
  impatient: shape({
    id: 'impatient',
    label: { zh: '雨天顾客急躁', en: 'rainy day, impatient customers' },
    volume: 0.95,
    patienceFactor: 0.5,
    silentShare: 0.8,
    noShowFactor: 2,
  }),
  preHoliday: shape({
    id: 'preHoliday',
    label: { zh: '节前下午高峰', en: 'pre-holiday afternoon' },
    bumps: [{ from: H(13, 30), to: H(16, 45), factor: 1.6 }],
  }),
  noManager: shape({
    id: 'noManager',
    label: { zh: '无弹性窗口', en: 'no flexible counter' },
    volume: 1.05,
    manager: false,
  }),
  longLunch: shape({
    id: 'longLunch',
    label: { zh: '午休较长', en: 'long lunches' },
    lunch: { start: H(11, 20), spacing: 30, minutes: 70 },
    bumps: [{ from: H(11, 45), to: H(13, 15), factor: 1.15 }],
    manager: false,
  }),
};

/**
 * Day shapes used only to report the estimate's figures, never while tuning it: the estimator never
 * saw a day like these before its figures on them were printed.
 */
export const REPORTING_ONLY_SHAPES: readonly DayShapeId[] = ['preHoliday', 'longLunch'];

/** The shapes the estimator may be tuned on. */
export const TUNING_SHAPES: readonly DayShapeId[] = (Object.keys(DAY_SHAPES) as DayShapeId[]).filter(
  (id) => !REPORTING_ONLY_SHAPES.includes(id),
);

export const DAY_SHAPE_IDS = Object.keys(DAY_SHAPES) as DayShapeId[];

/** One simulated day: its local date, its shape and its seed. */
export interface DaySpec {
  date: string;
  shape: DayShapeId;
  seed: number;
  /** The branch (`layouts.ts`); default the sample branch. */
  layout?: LayoutId;
}

const pad = (n: number) => String(n).padStart(2, '0');

/** ISO weekday (1 = Monday) of a 'YYYY-MM-DD' date. Pure calendar arithmetic. */
export function isoWeekday(date: string): number {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const dow = new Date(Date.UTC(y, m - 1, d)).getUTCDay();
  return dow === 0 ? 7 : dow;
}

export function addDays(date: string, n: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const t = new Date(Date.UTC(y, m - 1, d + n));
  return `${t.getUTCFullYear()}-${pad(t.getUTCMonth() + 1)}-${pad(t.getUTCDate())}`;
}

function dayOfMonth(date: string): number {
  return Number(date.slice(8, 10));
}

/** Business days (Mon–Fri) of the month up to and including `date`. */
function businessDayIndex(date: string): number {
  let n = 0;
  for (let d = 1; d <= dayOfMonth(date); d++) {
    const wd = isoWeekday(`${date.slice(0, 8)}${pad(d)}`);
    if (wd <= 5) n++;
  }
  return n;
}

/** Whether a shape fits a date (a payday shape on the 10th, a Monday rush on a Monday …). */
export function shapeFits(shapeId: DayShapeId, date: string): boolean {
  const wd = isoWeekday(date);
  const s = DAY_SHAPES[shapeId];
  switch (s.fits) {
    case 'saturday':
      return wd === 6;
    case 'monday':
      return wd === 1 && dayOfMonth(date) > 5;
    case 'monthStart':
      return wd <= 5 && dayOfMonth(date) <= 5 && businessDayIndex(date) <= 3;
    case 'payday': {
      if (wd > 5) return false;
      const dom = dayOfMonth(date);
      // The 10th, or the first business day after it when it falls on a weekend.
      if (dom === 10) return true;
      if (dom === 11 || dom === 12) {
        for (let d = 10; d < dom; d++) if (isoWeekday(`${date.slice(0, 8)}${pad(d)}`) <= 5) return false;
        return true;
      }
      return false;
    }
    case 'weekday':
      return (
        wd >= 2 && wd <= 5 && dayOfMonth(date) > 5 && !(dayOfMonth(date) >= 10 && dayOfMonth(date) <= 12)
      );
  }
}

/**
 * A calendar of days in date order: each requested shape, in turn, on the next date it fits. Days
 * between them are skipped (the branch's history simply carries over). Seeds come from `seed` and the
 * day's position, so two calendars with different seeds share no customers.
 */
export function calendar(seed: number, shapes: readonly DayShapeId[], startDate = '2026-03-02'): DaySpec[] {
  const out: DaySpec[] = [];
  let date = startDate;
  const pending = [...shapes];
  for (let guard = 0; pending.length > 0 && guard < 4000; guard++) {
    const i = pending.findIndex((s) => shapeFits(s, date));
    if (i >= 0) {
      const [s] = pending.splice(i, 1);
      out.push({ date, shape: s!, seed: (hashString(`${seed}:${out.length}:${s}`) ^ seed) >>> 0 });
    }
    date = addDays(date, 1);
  }
  return out;
}

/** `reps` rounds of every shape: the evaluation set. */
export function evaluationCalendar(
  seed: number,
  reps: number,
  startDate = '2026-03-02',
  kinds: readonly DayShapeId[] = DAY_SHAPE_IDS,
): DaySpec[] {
  const shapes: DayShapeId[] = [];
  for (let r = 0; r < reps; r++) shapes.push(...kinds);
  return calendar(seed, shapes, startDate);
}
