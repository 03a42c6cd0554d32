import {
  type Bilingual,
  type BranchConfig,
  businessDayOf,
  emptyBranchConfig,
  localTime,
  own,
  percentileNearestRank,
  put,
  QUEUE_EVENT_TYPES,
  type QueueEvent,
  TICKET_CLASSES,
  type TicketClass,
  type TicketSource,
} from '@nextup/core';
import {
  type AnyEvent,
  assertType,
  type dailyReportFigures,
  type Equals,
  type LoggedEvent,
  type SchemaOutput,
} from '@nextup/protocol';

/**
 * The daily report: what a branch is judged on, for one business day, computed from the event log
 * alone. Pure: the same events give the same report.
 *
 * Definitions (each figure says what it counts, so that two people computing it by hand agree):
 * - A ticket belongs to the business day its `TicketIssued` falls in: the day named by the last
 *   `BusinessDayRolled` before it, or, when the list holds no roll, the local date of its issue.
 * - **Wait** is issue → first call (`TicketCalled`), per ticket that was called at least once; a
 *   transferred customer's second wait is not a new wait. Tickets never called have no wait.
 * - **Service time** is the `serviceMs` of each `TicketFinished` (serving start, or the call when
 *   serving was never marked, to the finish); a transfer's partial service is not a service.
 * - **No-show rate** = tickets whose last state is no-show ÷ tickets called at least once.
 * - **Abandonment rate** = (tickets cancelled with reason `customerLeft` + tickets left unfinished
 *   when the day closed) ÷ customers, where customers = tickets issued less those voided by staff or
 *   the kiosk (`printFailed`, `staffVoid`, `duplicate`: those never reached a customer). A day that
 *   has not closed yet has no unfinished tickets: its open ones are `stillOpen`.
 * - **Satisfaction**: the day's ratings (1–5): count, mean, distribution, and the share of 4s and 5s.
 * - Percentiles are nearest-rank (core's `percentileNearestRank`): the p-th percentile of n values is
 *   the ⌈p·n/100⌉-th smallest.
 * - Hours are local hours (0–23) in the branch's time zone.
 */

/** Durations are milliseconds; null where nothing was measured (no ticket called, nothing rated). */
export interface WaitFigures {
  /** Tickets with a measured wait (called at least once). */
  waitCount: number;
  waitMeanMs: number | null;
  waitP90Ms: number | null;
}

export interface ReportTotals extends WaitFigures {
  issued: number;
  /** Issued less voided: the tickets that reached a customer. */
  customers: number;
  /** Tickets called at least once. */
  called: number;
  /** Tickets finished (`done`). */
  served: number;
  /** Tickets whose last state is no-show. */
  noShow: number;
  /** Cancelled with reason `customerLeft`. */
  customerLeft: number;
  /** Voided: `printFailed`, `staffVoid`, `duplicate`. */
  voided: number;
  /** Waiting, called or serving when the day closed. */
  unfinishedAtClose: number;
  /** Not ended yet in a day that has not closed. */
  stillOpen: number;
  transfers: number;
  recalls: number;
  /** Finished services measured. */
  serviceCount: number;
  serviceMeanMs: number | null;
  /** noShow ÷ called; null when nobody was called. */
  noShowRate: number | null;
  /** (customerLeft + unfinishedAtClose) ÷ customers; null with no customers. */
  abandonmentRate: number | null;
}

export interface ServiceRow extends WaitFigures {
  serviceId: string;
  name: Bilingual;
  prefix: string | null;
  /** Tickets issued for this service (the service chosen at issue). */
  issued: number;
  /** Tickets finished under this service (after any transfer). */
  served: number;
  noShow: number;
  /** customerLeft + unfinished at close, by the service at issue. */
  abandoned: number;
  serviceCount: number;
  serviceMeanMs: number | null;
}

export interface CounterRow {
  counterId: string;
  number: number | null;
  name: Bilingual;
  /** Calls made here (next and specific; recalls are not calls). */
  calls: number;
  served: number;
  noShow: number;
  transfersOut: number;
  serviceCount: number;
  serviceMeanMs: number | null;
  /** Time spent serving: finished services plus the part before each transfer out. */
  busyMs: number;
}

export interface HourRow {
  /** Local hour 0–23. */
  hour: number;
  /** Tickets issued in this hour. */
  issued: number;
  /** First calls made in this hour. */
  called: number;
  /** Services finished in this hour. */
  served: number;
  /** Mean wait of the tickets issued in this hour (that were called). */
  waitMeanMs: number | null;
}

export interface ClassRow extends WaitFigures {
  class: TicketClass;
  issued: number;
  /** Of those, issued by staff at the desk (`source: 'staff'`): how VIP and priority tickets come. */
  atDesk: number;
  /** Of those, voided (`printFailed`, `staffVoid`, `duplicate`): issued, but never a customer. */
  voided: number;
  served: number;
}

export interface Satisfaction {
  count: number;
  mean: number | null;
  /** Ratings 1, 2, 3, 4, 5 (index 0 = score 1). */
  distribution: [number, number, number, number, number];
  /** Share of 4s and 5s; null when nothing was rated. */
  satisfiedShare: number | null;
}

export interface DailyReport {
  day: string;
  timeZone: string;
  /** A roll away from this day was seen: the day is over and its figures are final. */
  closed: boolean;
  totals: ReportTotals;
  byService: ServiceRow[];
  byCounter: CounterRow[];
  /** From the first to the last hour with any activity; empty for a day without tickets. */
  byHour: HourRow[];
  byClass: ClassRow[];
  satisfaction: Satisfaction;
}

// The report's JSON is described in the protocol, so the consoles parse it: the two cannot drift.
assertType<Equals<DailyReport, SchemaOutput<typeof dailyReportFigures>>>();

export interface DailyReportOptions {
  /** The business day, 'YYYY-MM-DD'. */
  day: string;
  /**
   * Time zone for local hours (and for days when the list holds no roll). Default: the branch's
   * from the last `BranchConfigured` event in the list, else Asia/Shanghai.
   */
  timeZone?: string;
  /**
   * Names and numbers of services and counters. Default: folded from the configuration events in
   * the list; the caller may pass the current configuration when the list is only the day's slice.
   * Configuration events in the list override it.
   */
  config?: BranchConfig;
}

/** Anything the log holds: a logged row, a queue event, or a hub event (ignored). */
export type ReportInput = LoggedEvent | QueueEvent | AnyEvent;

const QUEUE_TYPES: ReadonlySet<string> = new Set(QUEUE_EVENT_TYPES);
const VOID_REASONS: ReadonlySet<string> = new Set(['printFailed', 'staffVoid', 'duplicate']);

function queueEventOf(x: ReportInput): QueueEvent | null {
  const e = 'event' in x ? x.event : x;
  return QUEUE_TYPES.has(e.type) ? (e as QueueEvent) : null;
}

export function mean(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  let sum = 0;
  for (const v of values) sum += v;
  return sum / values.length;
}

function waitFigures(waits: readonly number[]): WaitFigures {
  return { waitCount: waits.length, waitMeanMs: mean(waits), waitP90Ms: percentileNearestRank(waits, 90) };
}

type Final = 'waiting' | 'called' | 'serving' | 'done' | 'noShow' | 'cancelled';

interface TicketRecord {
  id: string;
  issueServiceId: string;
  serviceId: string;
  class: TicketClass;
  source: TicketSource;
  issuedAt: number;
  firstCalledAt: number | null;
  status: Final;
  cancelReason: string | null;
  unfinishedAtClose: boolean;
  rating: number | null;
}

interface CounterAcc {
  calls: number;
  served: number;
  noShow: number;
  transfersOut: number;
  serviceMs: number[];
  busyMs: number;
}

const emptyCounter = (): CounterAcc => ({
  calls: 0,
  served: 0,
  noShow: 0,
  transfersOut: 0,
  serviceMs: [],
  busyMs: 0,
});

/** Computes the daily report for `options.day` from a log (or any slice of it that covers the day). */
export function dailyReport(input: Iterable<ReportInput>, options: DailyReportOptions): DailyReport {
  const { day } = options;
  const config: BranchConfig = structuredCloneConfig(options.config ?? emptyBranchConfig());
  let timeZone = options.timeZone ?? options.config?.branch.timeZone ?? 'Asia/Shanghai';
  const zoneFixed = options.timeZone !== undefined;
  let currentDay: string | null = null;
  let closed = false;

  const tickets = new Map<string, TicketRecord>();
  const counters = new Map<string, CounterAcc>();
  const serviceMsByService = new Map<string, number[]>();
  const servedByService = new Map<string, number>();
  const hours = new Map<number, { issued: number; called: number; served: number; waits: number[] }>();
  let transfers = 0;
  let recalls = 0;
  const serviceMsAll: number[] = [];

  const counter = (id: string) => {
    let c = counters.get(id);
    if (!c) {
      c = emptyCounter();
      counters.set(id, c);
    }
    return c;
  };
  const hour = (at: number) => {
    const h = Math.floor(localTime(at, timeZone).minuteOfDay / 60);
    let row = hours.get(h);
    if (!row) {
      row = { issued: 0, called: 0, served: 0, waits: [] };
      hours.set(h, row);
    }
    return row;
  };
  const inDay = (at: number) => (currentDay ?? businessDayOf(at, timeZone)) === day;

  for (const item of input) {
    const e = queueEventOf(item);
    if (!e) continue;
    switch (e.type) {
      case 'BranchConfigured':
        config.branch = e.data.branch;
        if (!zoneFixed) timeZone = e.data.branch.timeZone;
        break;
      case 'ServiceUpserted':
        put(config.services, e.data.service.id, e.data.service);
        if (!config.serviceOrder.includes(e.data.service.id)) config.serviceOrder.push(e.data.service.id);
        break;
      case 'CounterUpserted':
        put(config.counters, e.data.counter.id, e.data.counter);
        if (!config.counterOrder.includes(e.data.counter.id)) config.counterOrder.push(e.data.counter.id);
        break;
      case 'ServiceRemoved':
      case 'CounterRemoved':
      case 'DispatchSettingsChanged':
        // Removed services and counters keep their names: the day's rows still refer to them.
        break;
      case 'BusinessDayRolled':
        if (e.data.from === day) {
          closed = true;
          for (const u of e.data.unfinished) {
            const t = tickets.get(u.ticketId);
            if (t) t.unfinishedAtClose = true;
          }
        }
        currentDay = e.data.to;
        break;
      case 'TicketIssued': {
        const d = e.data;
        if (!inDay(d.at)) break;
        tickets.set(d.ticketId, {
          id: d.ticketId,
          issueServiceId: d.serviceId,
          serviceId: d.serviceId,
          class: d.class,
          source: d.source,
          issuedAt: d.at,
          firstCalledAt: null,
          status: 'waiting',
          cancelReason: null,
          unfinishedAtClose: false,
          rating: null,
        });
        hour(d.at).issued += 1;
        break;
      }
      case 'TicketCalled': {
        const t = tickets.get(e.data.ticketId);
        if (!t) break;
        counter(e.data.counterId).calls += 1;
        if (t.firstCalledAt === null) {
          t.firstCalledAt = e.data.at;
          hour(e.data.at).called += 1;
        }
        t.status = 'called';
        break;
      }
      case 'TicketRecalled':
        if (tickets.has(e.data.ticketId)) recalls += 1;
        break;
      case 'TicketServingStarted': {
        const t = tickets.get(e.data.ticketId);
        if (t) t.status = 'serving';
        break;
      }
      case 'TicketFinished': {
        const t = tickets.get(e.data.ticketId);
        if (!t) break;
        t.status = 'done';
        const c = counter(e.data.counterId);
        c.served += 1;
        c.serviceMs.push(e.data.serviceMs);
        c.busyMs += e.data.serviceMs;
        serviceMsAll.push(e.data.serviceMs);
        const list = serviceMsByService.get(t.serviceId) ?? [];
        list.push(e.data.serviceMs);
        serviceMsByService.set(t.serviceId, list);
        servedByService.set(t.serviceId, (servedByService.get(t.serviceId) ?? 0) + 1);
        hour(e.data.at).served += 1;
        break;
      }
      case 'TicketNoShow': {
        const t = tickets.get(e.data.ticketId);
        if (!t) break;
        t.status = 'noShow';
        counter(e.data.counterId).noShow += 1;
        break;
      }
      case 'TicketTransferred': {
        const t = tickets.get(e.data.ticketId);
        if (!t) break;
        t.status = 'waiting';
        t.serviceId = e.data.toServiceId;
        transfers += 1;
        const c = counter(e.data.fromCounterId);
        c.transfersOut += 1;
        c.busyMs += e.data.serviceMs;
        break;
      }
      case 'TicketCancelled': {
        const t = tickets.get(e.data.ticketId);
        if (!t) break;
        t.status = 'cancelled';
        t.cancelReason = e.data.reason;
        break;
      }
      case 'TicketRated': {
        const t = tickets.get(e.data.ticketId);
        if (t) t.rating = e.data.score;
        break;
      }
      case 'CounterOpened':
      case 'CounterPaused':
      case 'CounterResumed':
      case 'CounterClosed':
      case 'AppointmentBooked':
      case 'AppointmentCancelled':
      case 'AppointmentCheckedIn':
        break;
      default: {
        const _exhaustive: never = e;
        void _exhaustive;
      }
    }
  }

  const all = [...tickets.values()];
  const waitOf = (t: TicketRecord) => (t.firstCalledAt === null ? null : t.firstCalledAt - t.issuedAt);
  const waits = (list: TicketRecord[]) =>
    list.map(waitOf).filter((w): w is number => w !== null && Number.isFinite(w));
  const isVoided = (t: TicketRecord) => t.status === 'cancelled' && VOID_REASONS.has(t.cancelReason ?? '');
  const isAbandoned = (t: TicketRecord) =>
    (t.status === 'cancelled' && t.cancelReason === 'customerLeft') || t.unfinishedAtClose;

  const issued = all.length;
  const voided = all.filter(isVoided).length;
  const customers = issued - voided;
  const called = all.filter((t) => t.firstCalledAt !== null).length;
  const noShow = all.filter((t) => t.status === 'noShow').length;
  const customerLeft = all.filter(
    (t) => t.status === 'cancelled' && t.cancelReason === 'customerLeft',
  ).length;
  const unfinishedAtClose = all.filter((t) => t.unfinishedAtClose).length;
  const stillOpen = closed
    ? 0
    : all.filter((t) => t.status === 'waiting' || t.status === 'called' || t.status === 'serving').length;

  const totals: ReportTotals = {
    issued,
    customers,
    called,
    served: all.filter((t) => t.status === 'done').length,
    noShow,
    customerLeft,
    voided,
    unfinishedAtClose,
    stillOpen,
    transfers,
    recalls,
    ...waitFigures(waits(all)),
    serviceCount: serviceMsAll.length,
    serviceMeanMs: mean(serviceMsAll),
    noShowRate: called === 0 ? null : noShow / called,
    abandonmentRate: customers === 0 ? null : (customerLeft + unfinishedAtClose) / customers,
  };

  const serviceIds = new Set<string>([
    ...config.serviceOrder.filter((id) => all.some((t) => t.issueServiceId === id || t.serviceId === id)),
    ...all.map((t) => t.issueServiceId),
    ...all.map((t) => t.serviceId),
  ]);
  const byService: ServiceRow[] = [...serviceIds].map((serviceId) => {
    const mine = all.filter((t) => t.issueServiceId === serviceId);
    const s = own(config.services, serviceId);
    const ms = serviceMsByService.get(serviceId) ?? [];
    return {
      serviceId,
      name: s?.name ?? { zh: serviceId, en: serviceId },
      prefix: s?.prefix ?? null,
      issued: mine.length,
      served: servedByService.get(serviceId) ?? 0,
      noShow: mine.filter((t) => t.status === 'noShow').length,
      abandoned: mine.filter(isAbandoned).length,
      ...waitFigures(waits(mine)),
      serviceCount: ms.length,
      serviceMeanMs: mean(ms),
    };
  });

  const counterIds = [
    ...config.counterOrder.filter((id) => counters.has(id)),
    ...[...counters.keys()].filter((id) => !config.counterOrder.includes(id)).sort(),
  ];
  const byCounter: CounterRow[] = counterIds.map((counterId) => {
    const c = counters.get(counterId)!;
    const cfg = own(config.counters, counterId);
    return {
      counterId,
      number: cfg?.number ?? null,
      name: cfg?.name ?? { zh: counterId, en: counterId },
      calls: c.calls,
      served: c.served,
      noShow: c.noShow,
      transfersOut: c.transfersOut,
      serviceCount: c.serviceMs.length,
      serviceMeanMs: mean(c.serviceMs),
      busyMs: c.busyMs,
    };
  });

  for (const t of all) {
    const w = waitOf(t);
    if (w !== null) hour(t.issuedAt).waits.push(w);
  }
  const hourKeys = [...hours.keys()];
  const byHour: HourRow[] = [];
  if (hourKeys.length > 0) {
    const first = Math.min(...hourKeys);
    const last = Math.max(...hourKeys);
    for (let h = first; h <= last; h++) {
      const row = hours.get(h);
      byHour.push({
        hour: h,
        issued: row?.issued ?? 0,
        called: row?.called ?? 0,
        served: row?.served ?? 0,
        waitMeanMs: row ? mean(row.waits) : null,
      });
    }
  }

  const byClass: ClassRow[] = TICKET_CLASSES.map((cls) => {
    const mine = all.filter((t) => t.class === cls);
    return {
      class: cls,
      issued: mine.length,
      atDesk: mine.filter((t) => t.source === 'staff').length,
      voided: mine.filter(isVoided).length,
      served: mine.filter((t) => t.status === 'done').length,
      ...waitFigures(waits(mine)),
    };
  });

  const ratings = all.map((t) => t.rating).filter((r): r is number => r !== null);
  const distribution: [number, number, number, number, number] = [0, 0, 0, 0, 0];
  for (const r of ratings) if (r >= 1 && r <= 5) distribution[r - 1] = (distribution[r - 1] ?? 0) + 1;
  const satisfaction: Satisfaction = {
    count: ratings.length,
    mean: mean(ratings),
    distribution,
    satisfiedShare: ratings.length === 0 ? null : (distribution[3] + distribution[4]) / ratings.length,
  };

  return { day, timeZone, closed, totals, byService, byCounter, byHour, byClass, satisfaction };
}

/** A copy deep enough that folding config events into it never touches the caller's object. */
function structuredCloneConfig(c: BranchConfig): BranchConfig {
  return {
    ...c,
    services: { ...c.services },
    serviceOrder: [...c.serviceOrder],
    counters: { ...c.counters },
    counterOrder: [...c.counterOrder],
  };
}
