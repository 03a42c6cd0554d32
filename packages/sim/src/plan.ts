import type { BranchConfig, TicketClass } from '@nextup/core';
import { localTime, MINUTE, parseHhmm, zonedEpoch } from '@nextup/core';
import { branchDay, serviceOpenAt } from './clock.ts';
import { hashString, Rng } from './rng.ts';
import { DAY_SHAPES, type DayShape, type DaySpec } from './shapes.ts';

/**
 * What a day will bring, drawn from its seed before the day is run: every customer with everything
 * about them (when they come, what for, how long their business takes, how patient they are, whether
 * they answer their call), the appointments booked for the day, and each teller's shift. The run then
 * only plays this out against the queue, so two dispatch policies (or two estimators) meet exactly the
 * same customers, and the live demo can replay the same plan in real time.
 */

/** How a service behaves in the branch, as opposed to what its configuration believes. */
export interface ServiceModel {
  /** True mean service time at an average teller, minutes (the configured time is only a prior). */
  meanMinutes: number;
  /** Log-sd of the lognormal service time (0.55 ≈ coefficient of variation 0.6). */
  sigma: number;
  /** Walk-in arrivals per hour on a normal weekday at time-of-day profile 1. */
  perHour: number;
  /** Share of walk-ins that are VIP. */
  vipShare: number;
  /** Share of walk-ins with priority (elderly, disabled, pregnant). */
  priorityShare: number;
  /** Median patience of a waiting customer, minutes (lognormal, σ 0.6). */
  patienceMinutes: number;
  /** Customers sent on to another service or counter part-way through. */
  transfers: { toServiceId: string | null; toCounterId: string | null; p: number }[];
}

/**
 * The sample branch's services as they really run: every service takes a little longer than its
 * configured time (branches configure optimistic times), so the estimator has to learn.
 */
const SAMPLE_MODELS: Record<string, ServiceModel> = {
  cash: {
    meanMinutes: 3.6,
    sigma: 0.55,
    perHour: 15,
    vipShare: 0.04,
    priorityShare: 0.07,
    patienceMinutes: 40,
    transfers: [{ toServiceId: 'personal', toCounterId: null, p: 0.04 }],
  },
  personal: {
    meanMinutes: 11.5,
    sigma: 0.6,
    perHour: 4.2,
    vipShare: 0.06,
    priorityShare: 0.06,
    patienceMinutes: 70,
    transfers: [
      { toServiceId: 'wealth', toCounterId: 'c5', p: 0.02 },
      { toServiceId: 'business', toCounterId: null, p: 0.01 },
    ],
  },
  business: {
    meanMinutes: 14,
    sigma: 0.55,
    perHour: 2.0,
    vipShare: 0,
    priorityShare: 0.02,
    patienceMinutes: 75,
    transfers: [],
  },
  wealth: {
    meanMinutes: 17,
    sigma: 0.5,
    perHour: 1.0,
    vipShare: 0.85,
    priorityShare: 0.05,
    patienceMinutes: 90,
    transfers: [],
  },
};

/** The models for a configuration: the sample's where the ids match, derived from the config elsewhere. */
export function serviceModels(
  config: BranchConfig,
  overrides: Record<string, Partial<ServiceModel>> = {},
): Record<string, ServiceModel> {
  const out: Record<string, ServiceModel> = {};
  for (const id of config.serviceOrder) {
    const s = config.services[id];
    if (!s) continue;
    const mains = config.counterOrder.filter((c) => config.counters[c]?.services[0] === id).length;
    const base: ServiceModel = SAMPLE_MODELS[id] ?? {
      meanMinutes: s.expectedMinutes * 1.15,
      sigma: 0.55,
      perHour: (60 / s.expectedMinutes) * 0.75 * Math.max(0.5, mains),
      vipShare: 0.04,
      priorityShare: 0.05,
      patienceMinutes: 60,
      transfers: [],
    };
    // Transfers to services or counters this configuration does not have are dropped.
    const transfers = base.transfers.filter(
      (t) =>
        (t.toServiceId === null || config.services[t.toServiceId] !== undefined) &&
        (t.toCounterId === null ||
          (config.counters[t.toCounterId]?.services.includes(t.toServiceId ?? '') ?? false)),
    );
    out[id] = { ...base, transfers, ...overrides[id] };
  }
  return out;
}

/** Arrival intensity by time of day (minute of day → multiplier), piecewise linear. */
const WEEKDAY_PROFILE: [number, number][] = [
  [510, 1.55], // 08:30 opening rush: people on their way to work
  [570, 1.4],
  [610, 1.05],
  [660, 0.95],
  [705, 1.3], // weekday lunch peak: office workers come in their break, just as tellers take theirs
  [750, 1.4],
  [810, 1.0],
  [900, 0.85],
  [960, 1.05], // before closing
  [1005, 0.7],
  [1020, 0.5],
];
const WEEKEND_PROFILE: [number, number][] = [
  [540, 1.2],
  [660, 1.25],
  [750, 1.0],
  [870, 0.95],
  [930, 0.7],
  [960, 0.5],
];

function interpolate(points: readonly [number, number][], minute: number): number {
  const first = points[0]!;
  if (minute <= first[0]) return first[1];
  for (let i = 1; i < points.length; i++) {
    const [x1, y1] = points[i]!;
    const [x0, y0] = points[i - 1]!;
    if (minute <= x1) return y0 + ((y1 - y0) * (minute - x0)) / (x1 - x0);
  }
  return points[points.length - 1]![1];
}

/** The arrival rate multiplier of a service at a minute of day on a day of this shape. */
export function arrivalFactor(shape: DayShape, weekday: number, serviceId: string, minute: number): number {
  let f = interpolate(weekday >= 6 ? WEEKEND_PROFILE : WEEKDAY_PROFILE, minute);
  f *= shape.volume * (shape.serviceVolume[serviceId] ?? 1);
  for (const b of shape.bumps)
    if (minute >= b.from && minute < b.to && (!b.services || b.services.includes(serviceId))) f *= b.factor;
  return f;
}

/** How a called customer reacts: comes, comes after hearing the recall, or never comes (gone). */
export type Answer = 'yes' | 'afterRecall' | 'never';

export interface PlannedTransfer {
  toServiceId: string | null;
  toCounterId: string | null;
  /** Share of the first service done before the transfer. */
  afterFraction: number;
  /** Standard normal draw for the service after the transfer. */
  serviceZ: number;
}

export interface PlannedCustomer {
  /** Stable within the day: 'w0042' for walk-ins, 'a0007' for appointment holders. */
  id: string;
  kind: 'walkIn' | 'appointment';
  /** When they reach the kiosk (epoch ms); null for an appointment holder who never comes. */
  arriveAt: number | null;
  serviceId: string;
  /** Ticket class for a walk-in ('appointment' for appointment holders). */
  class: TicketClass;
  /** How long they wait before giving up, ms. */
  patienceMs: number;
  /** A customer who gives up cancels the ticket on the phone follow page; the others just leave. */
  cancelsOnLeave: boolean;
  answers: Answer;
  /** From the call to reaching the counter, ms. */
  walkMs: number;
  /** Standard normal draw behind the lognormal service time. */
  serviceZ: number;
  transfer: PlannedTransfer | null;
  appointment: {
    appointmentId: string;
    code: string;
    slotStart: number;
    bookedAt: number;
    /** Cancelled by the customer before the day (never arrives). */
    cancelledAt: number | null;
  } | null;
}

export interface PlannedBreak {
  at: number;
  minutes: number;
  reason: 'lunch' | 'break';
  /** What the teller types as the pause's reason (tellers write different things, or nothing). */
  text: string;
  /** What the teller says about coming back ("back in 30 min"), or null when they say nothing. */
  backInMinutes: number | null;
}

export interface TellerPlan {
  counterId: string;
  /** When the teller opens the counter (null: only when the manager asks, the flexible counter). */
  openAt: number | null;
  /** When the teller leaves: the branch's closing time (serving everyone still waiting) or earlier. */
  closeAt: number;
  /** The teller leaves at `closeAt` even with customers waiting. */
  leavesEarly: boolean;
  /** Multiplier on service times (1 = average; 1.7 = a new teller). */
  speed: number;
  /** 'console': presses start and finish; 'keypad': only "next" (the service ends at the next call). */
  style: 'console' | 'keypad';
  breaks: PlannedBreak[];
  /** The flexible counter, opened by the manager when waits grow. */
  flex: boolean;
}

export interface DayPlan {
  spec: DaySpec;
  shape: DayShape;
  weekday: number;
  /** Epoch ms of the branch's opening and closing this day. */
  openAt: number;
  closeAt: number;
  customers: PlannedCustomer[];
  tellers: TellerPlan[];
  models: Record<string, ServiceModel>;
  /** The manager may open the flexible counter. */
  manager: boolean;
}

export interface PlanOptions {
  /** Per-service behaviour overrides. Default: `serviceModels(config)`. */
  models?: Record<string, Partial<ServiceModel>>;
  /** Share of pauses where the teller says when the counter will be back. Default 0. */
  saysBackIn?: number;
  /** Override the shape's manager policy. */
  manager?: boolean;
}

const APPT_PATIENCE_MIN = 120;

/** Draws the whole day from its seed. Pure: same spec and config → same plan. */
export function planDay(config: BranchConfig, spec: DaySpec, options: PlanOptions = {}): DayPlan {
  const shape = DAY_SHAPES[spec.shape];
  const tz = config.branch.timeZone;
  const rng = new Rng(spec.seed);
  const models = serviceModels(config, options.models);
  const noon = zonedEpoch(spec.date, 720, tz);
  const weekday = localTime(noon, tz).weekday;
  const hours = branchDay(config, weekday) ?? { open: 540, close: 1020 };
  const at = (minute: number) => zonedEpoch(spec.date, minute, tz);

  const customers: PlannedCustomer[] = [];
  const behaviour = (r: Rng, serviceId: string, patienceMin: number) => {
    const m = models[serviceId]!;
    const noShow = Math.min(0.5, 0.035 * shape.noShowFactor);
    const answers: Answer = r.chance(noShow) ? (r.chance(0.45) ? 'afterRecall' : 'never') : 'yes';
    let transfer: PlannedTransfer | null = null;
    let u = r.float();
    for (const t of m.transfers) {
      if (u < t.p) {
        transfer = {
          toServiceId: t.toServiceId,
          toCounterId: t.toCounterId,
          afterFraction: r.uniform(0.3, 0.8),
          serviceZ: r.normal(),
        };
        break;
      }
      u -= t.p;
    }
    return {
      patienceMs: r.lognormal(patienceMin * shape.patienceFactor, 0.6) * MINUTE,
      cancelsOnLeave: r.chance(1 - shape.silentShare),
      answers,
      walkMs: Math.round(r.lognormal(35_000, 0.4)),
      serviceZ: r.normal(),
      transfer,
    };
  };

  // Walk-ins: a non-homogeneous Poisson process per service (Lewis–Shedler thinning).
  for (const serviceId of config.serviceOrder) {
    const m = models[serviceId];
    if (!m) continue;
    const r = rng.fork(`walkins:${serviceId}`);
    let maxF = 0;
    for (let t = hours.open; t <= hours.close; t += 5)
      maxF = Math.max(maxF, arrivalFactor(shape, weekday, serviceId, t));
    const maxRate = (m.perHour * maxF) / 60; // per minute
    if (maxRate <= 0) continue;
    let t = hours.open;
    for (;;) {
      t += r.exponential(1 / maxRate);
      if (t >= hours.close) break;
      const accept = r.float() < (m.perHour * arrivalFactor(shape, weekday, serviceId, t)) / 60 / maxRate;
      const open = serviceOpenAt(config, serviceId, weekday, Math.floor(t));
      // Almost everyone knows the hours; the few who do not are turned away by the kiosk.
      const comes = open || r.chance(0.04);
      const u = r.float();
      const cls: TicketClass =
        u < m.vipShare * shape.vipFactor
          ? 'vip'
          : u < m.vipShare * shape.vipFactor + m.priorityShare * shape.priorityFactor
            ? 'priority'
            : 'normal';
      const b = behaviour(r, serviceId, m.patienceMinutes);
      if (!accept || !comes) continue;
      customers.push({
        id: '',
        kind: 'walkIn',
        arriveAt: Math.round(at(t)),
        serviceId,
        class: cls,
        ...b,
        appointment: null,
      });
    }
  }

  // A VIP wave (a wealth-product launch or a VIP event): extra VIP walk-ins for cash and personal.
  if (shape.vipWave) {
    const r = rng.fork('vipwave');
    const { from, to, perHour } = shape.vipWave;
    const targets = ['cash', 'personal'].filter((s) => models[s]);
    let t = from;
    for (;;) {
      t += r.exponential(60 / perHour);
      if (t >= to || targets.length === 0) break;
      const serviceId = r.chance(0.6) ? targets[0]! : targets[targets.length - 1]!;
      const b = behaviour(r, serviceId, models[serviceId]!.patienceMinutes * 1.2);
      customers.push({
        id: '',
        kind: 'walkIn',
        arriveAt: Math.round(at(t)),
        serviceId,
        class: 'vip',
        ...b,
        appointment: null,
      });
    }
  }

  // Appointments: booked before the day, checked in at the kiosk around their slot.
  const ar = rng.fork('appointments');
  const bookedAt = at(hours.open - 60);
  for (const serviceId of config.serviceOrder) {
    const s = config.services[serviceId];
    if (!s?.appointments || !s.enabled || !models[serviceId]) continue;
    const { slotMinutes, capacity } = s.appointments;
    for (let slot = 0; slot < 1440; slot += slotMinutes) {
      const inHours =
        serviceOpenAt(config, serviceId, weekday, slot) &&
        serviceOpenAt(config, serviceId, weekday, slot + slotMinutes - 1);
      if (!inHours) continue;
      for (let k = 0; k < capacity; k++) {
        if (!ar.chance(shape.appointmentFill)) continue;
        const slotStart = at(slot);
        const b = behaviour(ar, serviceId, APPT_PATIENCE_MIN);
        const u = ar.float();
        let arriveAt: number | null;
        if (u < 0.1)
          arriveAt = null; // never comes
        else if (u < 0.2)
          arriveAt = slotStart + ar.uniform(8, 25) * MINUTE; // late; past 15 min it has expired
        else if (u < 0.25)
          arriveAt = slotStart - ar.uniform(32, 55) * MINUTE; // far too early
        else arriveAt = slotStart + Math.min(8, Math.max(-28, -10 + 7 * ar.normal())) * MINUTE;
        const cancelled = ar.chance(0.05);
        const code = String(ar.int(100000, 999999));
        customers.push({
          id: '',
          kind: 'appointment',
          arriveAt: cancelled || arriveAt === null ? null : Math.round(arriveAt),
          serviceId,
          class: 'appointment',
          ...b,
          // People who booked answer their call.
          answers: b.answers === 'never' ? 'afterRecall' : b.answers,
          appointment: {
            appointmentId: '',
            code,
            slotStart,
            bookedAt,
            cancelledAt: cancelled ? bookedAt + 30 * MINUTE : null,
          },
        });
      }
    }
  }

  // Stable ids: walk-ins in arrival order, then appointments in slot order.
  const walkIns = customers.filter((c) => c.kind === 'walkIn').sort((a, b) => a.arriveAt! - b.arriveAt!);
  const appts = customers.filter((c) => c.kind === 'appointment');
  walkIns.forEach((c, i) => {
    c.id = `w${String(i + 1).padStart(4, '0')}`;
  });
  const usedCodes = new Set<string>();
  appts.forEach((c, i) => {
    c.id = `a${String(i + 1).padStart(4, '0')}`;
    const a = c.appointment!;
    a.appointmentId = `${spec.date}:${c.id}`;
    // Codes must be unique among the day's live bookings.
    let code = Number(a.code);
    while (usedCodes.has(String(code))) code = 100000 + ((code - 100000 + 7919) % 900000);
    a.code = String(code);
    usedCodes.add(a.code);
  });

  const tellers = planTellers(config, shape, rng.fork('tellers'), hours, at, options.saysBackIn ?? 0);
  const manager = options.manager ?? shape.manager;
  return {
    spec,
    shape,
    weekday,
    openAt: at(hours.open),
    closeAt: at(hours.close),
    customers: [...walkIns, ...appts],
    tellers,
    models,
    manager,
  };
}

/**
 * The flexible counter: the last counter whose main service is also another counter's main service
 * (in the sample branch, counter 2 beside counter 1 for cash). Null when every counter is unique.
 */
export function flexibleCounter(config: BranchConfig): string | null {
  let flex: string | null = null;
  const seen = new Set<string>();
  for (const id of config.counterOrder) {
    const main = config.counters[id]?.services[0];
    if (main === undefined) continue;
    if (seen.has(main)) flex = id;
    seen.add(main);
  }
  return flex;
}

/** What tellers type as a pause's reason: each has a habit (some type nothing at all). */
const REASON_STYLES: readonly { lunch: string; break: string }[] = [
  { lunch: 'lunch', break: 'break' },
  { lunch: '午休', break: '暂离' },
  { lunch: '', break: '' },
  { lunch: 'away', break: 'away' },
];

/** The console's "back in" buttons: what a teller who says anything says. */
function backInWords(minutes: number): number {
  return [15, 30, 45, 60].reduce((best, m) => (Math.abs(m - minutes) < Math.abs(best - minutes) ? m : best));
}

function planTellers(
  config: BranchConfig,
  shape: DayShape,
  r: Rng,
  hours: { open: number; close: number },
  at: (minute: number) => number,
  saysBackIn: number,
): TellerPlan[] {
  const flexId = shape.extraStaff ? null : flexibleCounter(config);
  const tellers: TellerPlan[] = config.counterOrder.map((counterId) => {
    const flex = counterId === flexId;
    const late = r.chance(0.1) ? r.uniform(8, 15) : 0;
    return {
      counterId,
      openAt: flex ? null : Math.round(at(hours.open + r.uniform(0, 4) + late)),
      closeAt: at(hours.close),
      leavesEarly: false,
      speed: r.lognormal(1, 0.08),
      style: r.chance(0.25) ? 'keypad' : 'console',
      breaks: [],
      flex,
    };
  });
  const staffed = tellers.filter((t) => !t.flex);
  // Lunch in turns, so that the branch never stops: a rota that is the branch's own (the same order
  // every day, give or take), each teller with their own habit of a short or a long lunch, varying
  // from day to day; a counter with its lunch in the configuration keeps to it, give or take. A short
  // afternoon break for some. What they type as the reason is their habit too.
  const habit = (counterId: string) => new Rng(hashString(`habit:${counterId}`));
  const rota = [...staffed].sort(
    (a, b) => hashString(`rota:${a.counterId}`) - hashString(`rota:${b.counterId}`),
  );
  rota.forEach((t, i) => {
    const h = habit(t.counterId);
    const lunchFactor = Math.exp(0.25 * h.normal());
    const style = REASON_STYLES[h.int(0, REASON_STYLES.length - 1)]!;
    const says = () => r.chance(saysBackIn);
    const planned = config.counters[t.counterId]?.breaks?.[0];
    let start: number;
    let minutes: number;
    if (planned) {
      start = parseHhmm(planned.start) + r.uniform(-3, 6);
      minutes = (parseHhmm(planned.end) - parseHhmm(planned.start)) * r.lognormal(1.05, 0.12);
    } else {
      start = shape.lunch.start + i * shape.lunch.spacing + r.uniform(-8, 8);
      minutes = Math.max(15, shape.lunch.minutes * lunchFactor * r.lognormal(1, 0.15));
    }
    t.breaks.push({
      at: Math.round(at(start)),
      minutes,
      reason: 'lunch',
      text: style.lunch,
      backInMinutes: says() ? backInWords(minutes) : null,
    });
    if (r.chance(0.5)) {
      const afternoon = Math.min(hours.close - 60, 900 + r.uniform(0, 60));
      const short = r.uniform(5, 25);
      t.breaks.push({
        at: Math.round(at(afternoon)),
        minutes: short,
        reason: 'break',
        text: style.break,
        backInMinutes: says() ? backInWords(short) : null,
      });
    }
  });
  if (shape.slowTeller !== 1 && staffed.length > 0) {
    const slow = staffed[r.int(0, staffed.length - 1)]!;
    slow.speed *= shape.slowTeller;
  }
  // Only a counter whose every service another staffed counter also serves may close early: nobody
  // is left without any counter for their business.
  const coveredElsewhere = (t: TellerPlan) =>
    (config.counters[t.counterId]?.services ?? []).every((s) =>
      staffed.some((o) => o !== t && config.counters[o.counterId]?.services.includes(s)),
    );
  const mayLeave = staffed.filter(coveredElsewhere);
  if (shape.earlyClose !== null && mayLeave.length > 0) {
    const leaving = mayLeave[r.int(0, mayLeave.length - 1)]!;
    leaving.closeAt = Math.round(at(shape.earlyClose));
    leaving.leavesEarly = true;
    leaving.breaks = leaving.breaks.filter((b) => b.at < leaving.closeAt);
  }
  return tellers;
}
