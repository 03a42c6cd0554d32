import {
  type BranchConfig,
  type DispatchSettings,
  decide,
  estimateWait,
  evolve,
  initialState,
  localTime,
  MINUTE,
  type QueueCommand,
  type QueueEvent,
  type QueueState,
  SECOND,
  type TicketClass,
  type TicketSource,
  type WaitEstimate,
  type WaitEstimator,
} from '@nextup/core';
import { Agenda } from './heap.ts';
import type { LayoutId } from './layouts.ts';
import { BRANCH_LAYOUTS } from './layouts.ts';
import { flexAdvice } from './live.ts';
import { type DayPlan, type PlannedCustomer, type PlanOptions, planDay, type TellerPlan } from './plan.ts';
import { meanOneLognormal, Rng } from './rng.ts';
import type { DayShapeId, DaySpec } from './shapes.ts';

/**
 * A discrete-event simulation of one branch day that drives `@nextup/core` itself: every customer and
 * teller action is a real command through `decide`, every change a real event through `evolve`. The
 * queue rules are never re-implemented here; the simulator only plays customers and staff.
 *
 * What happens, in the order it can happen to a customer: arrive at the kiosk and take a ticket (or
 * check in an appointment: too early, on time, too late), wait, maybe give up (cancel on the phone
 * follow page, or just leave — then they are a no-show when called), get called, walk to the counter
 * (or not hear it until the recall, or never come: recalled once or twice, then marked no-show), be
 * served for a lognormal time scaled by the teller's speed, maybe be transferred to another service
 * or counter part-way and wait again. Tellers open their counter, call, serve, take lunch in turns and
 * a short break (pausing "after this one"), close; the manager opens the flexible counter when waits
 * grow and closes it when they calm.
 */

export interface SimOptions {
  /** The branch. Default `sampleBranchConfig()`; ignored when `startState` is given. */
  config?: BranchConfig;
  /** The state the day starts from (yesterday's end, with its service history). Default: a new branch. */
  startState?: QueueState;
  /** The estimator whose figure is printed on tickets. Default core's `estimateWait`. */
  estimator?: WaitEstimator;
  /** More estimators asked at every issue, on the same state, for comparison (not printed). */
  predictors?: Record<string, WaitEstimator>;
  /** Dispatch settings to set (through `SetDispatchSettings`) before the day opens. */
  dispatch?: Partial<DispatchSettings>;
  /** How the day's customers and staff are drawn. */
  plan?: PlanOptions;
}

/** A prediction as the tables compare them: the point and the printed range, minutes. */
export interface Prediction {
  minutes: number;
  low: number;
  high: number;
}

export type TicketOutcome = 'done' | 'noShow' | 'cancelled' | 'unfinished';

/** One ticket's story, from the event log. */
export interface TicketRecord {
  ticketId: string;
  number: string;
  date: string;
  shape: DayShapeId;
  layout: LayoutId;
  /** The service at issue (a transfer may change it later). */
  serviceId: string;
  class: TicketClass;
  source: TicketSource;
  issuedAt: number;
  /** Local minute of day of the issue. */
  issueMinute: number;
  /** The estimate printed at issue: the `estimate` inside the `TicketIssued` event. */
  estimate: WaitEstimate;
  /** Other estimators' figures at the same instant (see `SimOptions.predictors`). */
  predictions: Record<string, Prediction>;
  firstCalledAt: number | null;
  firstCounterId: string | null;
  /** First call − issue, minutes; null when never called. */
  waitMinutes: number | null;
  /** Time at counters (finished and transferred legs), minutes; null when never served. */
  serviceMinutes: number | null;
  recalls: number;
  transferred: boolean;
  outcome: TicketOutcome;
  cancelReason: string | null;
}

export interface SimCounts {
  walkIns: number;
  appointmentsBooked: number;
  appointmentsCheckedIn: number;
  /** Refused at the kiosk (outside hours, sold out) or appointment expired and no walk-in possible. */
  turnedAway: number;
  /** Customers who gave up while waiting (cancelled or silently). */
  gaveUp: number;
  cancelledByCustomer: number;
  noShows: number;
  transfers: number;
  pauses: number;
  managerOpened: number;
}

export interface SimDay {
  spec: DaySpec;
  plan: DayPlan;
  /** The state before the day's first command. */
  startState: QueueState;
  /** The day's events, in order; `fold(events, startState)` gives `endState`. */
  events: QueueEvent[];
  endState: QueueState;
  records: TicketRecord[];
  counts: SimCounts;
  /** Commands the queue refused, by code (NO_WAITING_TICKET for an idle teller is expected). */
  refusals: Record<string, number>;
}

interface CustomerRt {
  plan: PlannedCustomer;
  ticketId: string | null;
  /** Left the branch without cancelling: a no-show when called. */
  gone: boolean;
  /** Has come to a counter once (after a transfer they are there and answer at once). */
  answered: boolean;
  transferDone: boolean;
  /** The service the customer is now queued for. */
  serviceId: string;
}

interface TellerRt {
  plan: TellerPlan;
  rng: Rng;
  speed: number;
  style: 'console' | 'keypad';
  /** Token of the latest scheduled step; older ones are ignored. */
  stepToken: number;
  stepAt: number | null;
  /** Waiting for a ticket after "next" found nobody. */
  idle: boolean;
  /** In a call / service / no-show flow. */
  busy: boolean;
  breakIdx: number;
  /** The manager asked this (flexible) counter to close after its current customer. */
  closing: boolean;
  /** The teller is on the way to open (manager's request). */
  opening: boolean;
  calmChecks: number;
  done: boolean;
}

class DaySim {
  state: QueueState;
  readonly events: QueueEvent[] = [];
  readonly agenda = new Agenda();
  now = 0;
  readonly refusals: Record<string, number> = {};
  readonly predictions = new Map<string, Record<string, Prediction>>();
  readonly customers = new Map<string, CustomerRt>();
  readonly tellers = new Map<string, TellerRt>();
  readonly counts: SimCounts = {
    walkIns: 0,
    appointmentsBooked: 0,
    appointmentsCheckedIn: 0,
    turnedAway: 0,
    gaveUp: 0,
    cancelledByCustomer: 0,
    noShows: 0,
    transfers: 0,
    pauses: 0,
    managerOpened: 0,
  };
  private readonly estimator: WaitEstimator;
  private readonly predictors: [string, WaitEstimator][];
  private readonly hardStop: number;

  constructor(
    readonly plan: DayPlan,
    start: QueueState,
    options: SimOptions,
  ) {
    this.state = start;
    this.estimator = options.estimator ?? estimateWait;
    this.predictors = Object.entries(options.predictors ?? {});
    this.hardStop = plan.closeAt + 5 * 60 * MINUTE;
  }

  at(t: number, run: () => void): void {
    this.agenda.push(Math.round(t), run);
  }

  /** Runs a command; returns its events, or null (and counts the refusal). */
  exec(command: QueueCommand): QueueEvent[] | null {
    const d = decide(command, this.state, { estimator: this.estimator });
    if (!d.ok) {
      this.refusals[d.error.code] = (this.refusals[d.error.code] ?? 0) + 1;
      return null;
    }
    for (const e of d.events) {
      this.state = evolve(this.state, e);
      this.events.push(e);
    }
    return d.events;
  }

  run(dispatch: Partial<DispatchSettings> | undefined): void {
    const { plan } = this;
    const t0 = plan.openAt - 90 * MINUTE;
    this.now = t0;
    if (this.state.day === null || this.state.day < plan.spec.date)
      this.exec({ type: 'RollBusinessDay', data: { at: t0 } });
    if (dispatch)
      this.exec({
        type: 'SetDispatchSettings',
        data: { settings: { ...this.state.config.dispatch, ...dispatch }, at: t0 + SECOND },
      });
    for (const c of plan.customers) {
      const rt: CustomerRt = {
        plan: c,
        ticketId: null,
        gone: false,
        answered: false,
        transferDone: false,
        serviceId: c.serviceId,
      };
      if (c.appointment) {
        const a = c.appointment;
        this.at(a.bookedAt, () => {
          const ok = this.exec({
            type: 'BookAppointment',
            data: {
              appointmentId: a.appointmentId,
              code: a.code,
              serviceId: c.serviceId,
              slotStart: a.slotStart,
              customerName: null,
              phoneTail: null,
              at: a.bookedAt,
            },
          });
          if (ok) this.counts.appointmentsBooked++;
        });
        if (a.cancelledAt !== null) {
          const when = a.cancelledAt;
          this.at(when, () =>
            this.exec({ type: 'CancelAppointment', data: { appointmentId: a.appointmentId, at: when } }),
          );
        }
      }
      if (c.arriveAt !== null) {
        const when = c.arriveAt;
        this.at(when, () => this.arrive(rt));
      }
    }
    for (const p of plan.tellers) {
      const t: TellerRt = {
        plan: p,
        rng: new Rng(plan.spec.seed).fork(`teller:${p.counterId}`),
        speed: p.speed,
        style: p.style,
        stepToken: 0,
        stepAt: null,
        idle: false,
        busy: false,
        breakIdx: 0,
        closing: false,
        opening: false,
        calmChecks: 0,
        done: false,
      };
      this.tellers.set(p.counterId, t);
      if (p.openAt !== null) {
        const when = p.openAt;
        this.at(when, () => this.open(t));
      }
    }
    if (plan.manager) {
      for (let m = plan.openAt + 20 * MINUTE; m < plan.closeAt - 40 * MINUTE; m += 5 * MINUTE) {
        const when = m;
        this.at(when, () => this.managerCheck());
      }
    }
    for (;;) {
      const next = this.agenda.pop();
      if (!next) break;
      if (next.at > this.hardStop) break;
      this.now = next.at;
      next.run();
    }
  }

  // ── customers ──────────────────────────────────────────────────────────────────────────────────

  /** The predictors' figures on `state` (the state the issuing command was decided on). */
  private predict(state: QueueState, serviceId: string, cls: TicketClass): Record<string, Prediction> {
    const out: Record<string, Prediction> = {};
    for (const [name, est] of this.predictors) {
      const e = est(state, { kind: 'new', serviceId, class: cls }, this.now);
      if (e) out[name] = { minutes: e.minutes, low: e.lowMinutes, high: e.highMinutes };
    }
    return out;
  }

  private ticketIdFor(c: CustomerRt, suffix = ''): string {
    return `${this.plan.spec.date}:${c.plan.id}${suffix}`;
  }

  private arrive(c: CustomerRt): void {
    const p = c.plan;
    if (p.kind === 'appointment' && p.appointment) {
      const ticketId = this.ticketIdFor(c);
      const stateBefore = this.state;
      const before = this.refusals.APPOINTMENT_TOO_EARLY ?? 0;
      const expiredBefore = this.refusals.APPOINTMENT_EXPIRED ?? 0;
      const ok = this.exec({
        type: 'CheckInAppointment',
        data: { code: p.appointment.code, ticketId, at: this.now },
      });
      if (ok) {
        this.counts.appointmentsCheckedIn++;
        this.predictions.set(ticketId, this.predict(stateBefore, p.serviceId, 'appointment'));
        this.issued(c, ticketId);
        return;
      }
      if ((this.refusals.APPOINTMENT_TOO_EARLY ?? 0) > before) {
        // The kiosk says when check-in opens; they sit down and come back then.
        const opens = p.appointment.slotStart - this.state.config.dispatch.checkInEarlyMinutes * MINUTE;
        this.at(opens + 30 * SECOND + (p.walkMs % 90_000), () => this.arrive(c));
        return;
      }
      if ((this.refusals.APPOINTMENT_EXPIRED ?? 0) > expiredBefore) {
        // Too late for the booking: they take a walk-in ticket like everyone else.
        this.walkIn(c, 'normal', this.ticketIdFor(c, ':w'));
        return;
      }
      this.counts.turnedAway++;
      return;
    }
    this.walkIn(c, p.class, this.ticketIdFor(c));
  }

  private walkIn(c: CustomerRt, cls: TicketClass, ticketId: string): void {
    const stateBefore = this.state;
    const ok = this.exec({
      type: 'IssueTicket',
      data: { ticketId, serviceId: c.serviceId, class: cls, source: 'kiosk', at: this.now },
    });
    if (!ok) {
      this.counts.turnedAway++;
      return;
    }
    this.counts.walkIns++;
    this.predictions.set(ticketId, this.predict(stateBefore, c.serviceId, cls));
    this.issued(c, ticketId);
  }

  private issued(c: CustomerRt, ticketId: string): void {
    c.ticketId = ticketId;
    this.customers.set(ticketId, c);
    this.at(this.now + c.plan.patienceMs, () => this.giveUp(c));
    this.wakeIdle(c.serviceId, null);
  }

  private giveUp(c: CustomerRt): void {
    if (!c.ticketId || c.transferDone) return;
    const t = this.state.tickets[c.ticketId];
    if (t?.status !== 'waiting') return;
    this.counts.gaveUp++;
    if (c.plan.cancelsOnLeave) {
      const ok = this.exec({
        type: 'CancelTicket',
        data: { ticketId: c.ticketId, reason: 'customerLeft', at: this.now },
      });
      if (ok) this.counts.cancelledByCustomer++;
    } else {
      c.gone = true;
    }
  }

  // ── tellers ────────────────────────────────────────────────────────────────────────────────────

  private scheduleStep(t: TellerRt, when: number): void {
    if (t.done) return;
    const at = Math.round(when);
    if (t.stepAt !== null && t.stepAt <= at && t.stepAt >= this.now) return;
    t.stepAt = at;
    const token = ++t.stepToken;
    this.at(at, () => {
      if (token !== t.stepToken) return;
      t.stepAt = null;
      this.step(t);
    });
  }

  private reaction(t: TellerRt): number {
    return t.rng.uniform(5, 20) * SECOND;
  }

  private wakeIdle(serviceId: string, counterId: string | null): void {
    for (const t of this.tellers.values()) {
      if (!t.idle || t.busy || t.done) continue;
      const cfg = this.state.config.counters[t.plan.counterId];
      if (!cfg) continue;
      if (counterId !== null ? counterId !== cfg.id : !cfg.services.includes(serviceId)) continue;
      t.idle = false;
      this.scheduleStep(t, this.now + this.reaction(t));
    }
  }

  private open(t: TellerRt): void {
    t.opening = false;
    t.closing = false;
    t.calmChecks = 0;
    const ok = this.exec({ type: 'OpenCounter', data: { counterId: t.plan.counterId, at: this.now } });
    if (ok) this.scheduleStep(t, this.now + this.reaction(t));
  }

  private serveable(t: TellerRt): boolean {
    const cfg = this.state.config.counters[t.plan.counterId];
    if (!cfg) return false;
    for (const k of Object.values(this.state.tickets)) {
      if (k.status !== 'waiting') continue;
      if (k.targetCounterId !== null ? k.targetCounterId === cfg.id : cfg.services.includes(k.serviceId))
        return true;
    }
    return false;
  }

  /** The teller is free to act: leave, take a break, or call the next customer. */
  private step(t: TellerRt): void {
    const id = t.plan.counterId;
    const rt = this.state.counters[id];
    if (!rt || rt.status === 'closed' || t.done) return;
    if (rt.status === 'paused') return;
    t.idle = false;
    if (t.closing || this.now >= t.plan.closeAt) {
      // At the end of the day a teller serves everyone still waiting; leaving early or sent back by
      // the manager, they finish their customer and go.
      const stay = !t.closing && !t.plan.leavesEarly && this.serveable(t);
      if (!stay) {
        this.close(t);
        return;
      }
    }
    const br = t.plan.breaks[t.breakIdx];
    if (br && this.now >= br.at && !t.plan.flex) {
      t.breakIdx++;
      // Paused "after this one": a keypad teller's last customer stays at the counter until the next
      // call (the keypad has no finish key).
      const ok = this.exec({
        type: 'PauseCounter',
        data: {
          counterId: id,
          reason: br.text,
          ...(br.backInMinutes !== null ? { backInMinutes: br.backInMinutes } : {}),
          at: this.now,
        },
      });
      if (ok) {
        this.counts.pauses++;
        this.at(this.now + br.minutes * MINUTE, () => {
          const resumed = this.exec({ type: 'ResumeCounter', data: { counterId: id, at: this.now } });
          if (resumed) this.scheduleStep(t, this.now + this.reaction(t));
        });
      }
      return;
    }
    const events = this.exec({ type: 'CallNext', data: { counterId: id, at: this.now } });
    const called = events?.find((e) => e.type === 'TicketCalled');
    if (called?.type !== 'TicketCalled') {
      t.idle = true;
      // Look again at the next break or at closing time, whichever comes first.
      const next = Math.min(t.plan.breaks[t.breakIdx]?.at ?? Number.POSITIVE_INFINITY, t.plan.closeAt);
      if (next > this.now && Number.isFinite(next)) this.scheduleStep(t, next);
      else if (this.now >= t.plan.closeAt) this.close(t);
      return;
    }
    this.handleCall(t, called.data.ticketId);
  }

  private close(t: TellerRt): void {
    const id = t.plan.counterId;
    const rt = this.state.counters[id];
    const current = rt?.ticketId ? this.state.tickets[rt.ticketId] : undefined;
    // A keypad teller's last customer is still "called" (the keypad has no start key): finish counts
    // the service from the call, as "next" would.
    if (current && (current.status === 'called' || current.status === 'serving'))
      this.exec({ type: 'FinishTicket', data: { counterId: id, at: this.now } });
    const ok = this.exec({ type: 'CloseCounter', data: { counterId: id, at: this.now } });
    t.idle = false;
    t.stepToken++;
    t.stepAt = null;
    if (ok && !t.plan.flex) t.done = true;
    // A flexible counter may be opened again later; at the end of the day it is done.
    if (ok && t.plan.flex && this.now >= t.plan.closeAt) t.done = true;
  }

  private handleCall(t: TellerRt, ticketId: string): void {
    const c = this.customers.get(ticketId);
    t.busy = true;
    const id = t.plan.counterId;
    const recallGap = () => t.rng.uniform(45, 75) * SECOND;
    if (!c || c.gone || (c.plan.answers === 'never' && !c.answered)) {
      // Called, recalled once or twice, then marked no-show.
      let when = this.now + recallGap();
      this.at(when, () => this.exec({ type: 'Recall', data: { counterId: id, at: this.now } }));
      if (t.rng.chance(0.6)) {
        when += recallGap();
        this.at(when, () => this.exec({ type: 'Recall', data: { counterId: id, at: this.now } }));
      }
      when += t.rng.uniform(30, 50) * SECOND;
      this.at(when, () => {
        const ok = this.exec({ type: 'MarkNoShow', data: { counterId: id, at: this.now } });
        if (ok) this.counts.noShows++;
        t.busy = false;
        this.scheduleStep(t, this.now + t.rng.uniform(5, 15) * SECOND);
      });
      return;
    }
    let walk = c.plan.walkMs;
    if (c.plan.answers === 'afterRecall' && !c.answered) {
      const recallAt = this.now + recallGap();
      this.at(recallAt, () => this.exec({ type: 'Recall', data: { counterId: id, at: this.now } }));
      walk = recallAt - this.now + c.plan.walkMs;
    }
    if (c.answered) walk = Math.min(walk, 30 * SECOND); // already near the counters
    c.answered = true;
    this.at(this.now + walk, () => this.serve(t, c));
  }

  private serve(t: TellerRt, c: CustomerRt): void {
    const id = t.plan.counterId;
    if (t.style === 'console') this.exec({ type: 'StartServing', data: { counterId: id, at: this.now } });
    const model = this.plan.models[c.serviceId] ?? this.plan.models[c.plan.serviceId]!;
    const transfer = c.plan.transfer;
    const z = c.transferDone && transfer ? transfer.serviceZ : c.plan.serviceZ;
    const duration = model.meanMinutes * t.speed * meanOneLognormal(z, model.sigma) * MINUTE;
    if (transfer && !c.transferDone) {
      this.at(this.now + duration * transfer.afterFraction, () => {
        const events = this.exec({
          type: 'TransferTicket',
          data: {
            counterId: id,
            toServiceId: transfer.toServiceId,
            toCounterId: transfer.toCounterId,
            at: this.now,
          },
        });
        const moved = events?.find((e) => e.type === 'TicketTransferred');
        if (moved && moved.type === 'TicketTransferred') {
          c.transferDone = true;
          c.serviceId = moved.data.toServiceId;
          this.counts.transfers++;
          this.wakeIdle(moved.data.toServiceId, moved.data.toCounterId);
        } else {
          // The transfer was refused: the teller finishes the business here instead.
          this.endService(t);
          return;
        }
        t.busy = false;
        this.scheduleStep(t, this.now + this.wrapUp(t));
      });
      return;
    }
    this.at(this.now + duration, () => this.endService(t));
  }

  private wrapUp(t: TellerRt): number {
    return t.rng.lognormal(20, 0.5) * SECOND;
  }

  private endService(t: TellerRt): void {
    const id = t.plan.counterId;
    // A console teller presses finish; a keypad teller's "next" will finish the ticket.
    if (t.style === 'console') this.exec({ type: 'FinishTicket', data: { counterId: id, at: this.now } });
    t.busy = false;
    this.scheduleStep(t, this.now + this.wrapUp(t));
  }

  // ── the manager ────────────────────────────────────────────────────────────────────────────────

  private managerCheck(): void {
    for (const t of this.tellers.values()) {
      if (!t.plan.flex || t.done || t.opening) continue;
      const a = flexAdvice(this.state, t.plan.counterId, this.now, t.calmChecks);
      t.calmChecks = a.calm;
      if (a.action === 'open') {
        // Someone from the back office walks over and opens the flexible window.
        t.opening = true;
        this.counts.managerOpened++;
        this.at(this.now + t.rng.uniform(2, 5) * MINUTE, () => this.open(t));
      } else if (a.action === 'close' && !t.closing) {
        t.closing = true;
        if (t.idle && !t.busy) this.scheduleStep(t, this.now + this.reaction(t));
      }
    }
  }
}

/** Builds the per-ticket records from a day's event log (the log is the only source of truth). */
export function ticketRecords(
  spec: DaySpec,
  events: readonly QueueEvent[],
  timeZone: string,
  predictions: ReadonlyMap<string, Record<string, Prediction>> = new Map(),
): TicketRecord[] {
  const byId = new Map<string, TicketRecord & { serviceMs: number; served: boolean }>();
  for (const e of events) {
    switch (e.type) {
      case 'TicketIssued': {
        const d = e.data;
        byId.set(d.ticketId, {
          ticketId: d.ticketId,
          number: d.number,
          date: spec.date,
          shape: spec.shape,
          layout: spec.layout ?? 'sample',
          serviceId: d.serviceId,
          class: d.class,
          source: d.source,
          issuedAt: d.at,
          issueMinute: localTime(d.at, timeZone).minuteOfDay,
          estimate: d.estimate,
          predictions: predictions.get(d.ticketId) ?? {},
          firstCalledAt: null,
          firstCounterId: null,
          waitMinutes: null,
          serviceMinutes: null,
          recalls: 0,
          transferred: false,
          outcome: 'unfinished',
          cancelReason: null,
          serviceMs: 0,
          served: false,
        });
        break;
      }
      case 'TicketCalled': {
        const r = byId.get(e.data.ticketId);
        if (r && r.firstCalledAt === null) {
          r.firstCalledAt = e.data.at;
          r.firstCounterId = e.data.counterId;
          r.waitMinutes = (e.data.at - r.issuedAt) / MINUTE;
        }
        break;
      }
      case 'TicketRecalled': {
        const r = byId.get(e.data.ticketId);
        if (r) r.recalls++;
        break;
      }
      case 'TicketFinished':
      case 'TicketTransferred': {
        const r = byId.get(e.data.ticketId);
        if (!r) break;
        r.serviceMs += e.data.serviceMs;
        r.served = true;
        if (e.type === 'TicketFinished') r.outcome = 'done';
        else {
          r.transferred = true;
          r.outcome = 'unfinished';
        }
        break;
      }
      case 'TicketNoShow': {
        const r = byId.get(e.data.ticketId);
        if (r) r.outcome = 'noShow';
        break;
      }
      case 'TicketCancelled': {
        const r = byId.get(e.data.ticketId);
        if (r) {
          r.outcome = 'cancelled';
          r.cancelReason = e.data.reason;
        }
        break;
      }
      default:
        break;
    }
  }
  return [...byId.values()].map(({ serviceMs, served, ...r }) => ({
    ...r,
    serviceMinutes: served ? serviceMs / MINUTE : null,
  }));
}

/**
 * Simulates one day. Deterministic: same spec, options and start state → the same event log. The
 * day's branch is `options.config` (or the start state's), else the layout the spec names.
 */
export function simulateDay(spec: DaySpec, options: SimOptions = {}): SimDay {
  const layout = BRANCH_LAYOUTS[spec.layout ?? 'sample'];
  const start = options.startState ?? initialState(options.config ?? layout.config());
  const planOptions: PlanOptions = {
    saysBackIn: layout.saysBackIn,
    ...options.plan,
    models: { ...layout.models, ...options.plan?.models },
  };
  const plan = planDay(start.config, spec, planOptions);
  const sim = new DaySim(plan, start, options);
  sim.run(options.dispatch);
  return {
    spec,
    plan,
    startState: start,
    events: sim.events,
    endState: sim.state,
    records: ticketRecords(spec, sim.events, start.config.branch.timeZone, sim.predictions),
    counts: sim.counts,
    refusals: sim.refusals,
  };
}

/**
 * Simulates days in order, each starting from the previous day's end (the branch keeps its service
 * history overnight, as the hub does).
 */
export function simulateDays(days: readonly DaySpec[], options: SimOptions = {}): SimDay[] {
  const out: SimDay[] = [];
  // One branch per layout: each carries its own state from its previous day.
  const states = new Map<string, QueueState | undefined>();
  for (const spec of days) {
    const key = spec.layout ?? 'sample';
    const state = states.has(key) ? states.get(key) : options.startState;
    const day = simulateDay(spec, { ...options, ...(state ? { startState: state } : {}) });
    out.push(day);
    states.set(key, day.endState);
  }
  return out;
}
