import type { QueueState, Ticket } from '@nextup/core';
import type { ClientCommand, CommandResponse } from '@nextup/protocol';
import {
  type CustomerAdvice,
  type DayShapeId,
  flexAdvice,
  flexibleCounter,
  type LiveAction,
  liveActions,
  plannedActions,
} from '@nextup/sim';
import type { StaffSession } from './hub-session.ts';

/**
 * The demo's customers and tellers, from the simulator: the drawn day's customers arrive at the kiosk
 * (their tickets print on the virtual printer), book and check in appointments, give up; bot tellers
 * open, pause and close the counters as the plan says and serve each customer as the plan advises
 * (walk up, answer or not, how long, transfers). Everything goes to the hub as real commands.
 *
 * The hub's clock runs at the same speed as the played day (`--time-rate`), so times measured by the
 * hub (waits, service times) are the simulated ones.
 */
export interface SimulationDeps {
  /** Acts for the tellers and the manager (all counters). */
  manager: StaffSession;
  /**
   * A customer gets a ticket: a normal one at the kiosk, a VIP or priority one from the floor
   * manager's desk (printed on the kiosk). Resolves with the ticket id, or null if refused.
   */
  issue(serviceId: string, cls: 'normal' | 'vip' | 'priority'): Promise<string | null>;
  /** A customer checks an appointment in at the kiosk. */
  checkIn(code: string): Promise<string | null>;
  /** The hub's current state and clock. */
  state(): QueueState;
  now(): number;
  log(line: string): void;
}

export interface SimulationOptions {
  speed: number;
  seed: number;
  shape: DayShapeId;
  /** Local date whose weekday the drawn day follows. */
  date: string;
  /**
   * Continue a day a previous run began: play from this local minute (the hub's time now), take over
   * the counters already open and book nothing again. Default: the whole day from opening.
   */
  fromMinute?: number;
  signal: AbortSignal;
  /** The day's actions in their order, in place of the simulator's live player (a test's script). */
  actions?: AsyncIterable<{ action: LiveAction }>;
}

const DEFAULT_ADVICE: CustomerAdvice = {
  walkMs: 40_000,
  answers: 'yes',
  serveMs: 5 * 60_000,
  transfer: null,
};

interface Served {
  advice: CustomerAdvice;
  recalledAt: number | null;
  transferred: boolean;
  /** When serving (re)started at the current counter. */
  servingSince: number | null;
}

/** What the teller bots need: the hub's answer to a command, its state and its clock. */
export interface TellerBotDeps {
  command(command: ClientCommand): Promise<CommandResponse>;
  state(): QueueState;
  now(): number;
  log(line: string): void;
}

/**
 * The demo's tellers. Each counter they run does, at every tick, what its teller would: call the next
 * customer, wait for them to walk up (or recall, then mark the no-show), serve, transfer, finish.
 *
 * Closing works as the decider wants it and as a real teller does it: no new customer is called, the
 * one at the counter is finished (a called customer who never comes is recalled and marked no-show,
 * which another counter can still call by number if they turn up), and the counter closes once it is
 * empty. Nobody is called to a counter that is about to close, and no counter stays open with a
 * called ticket after its teller has gone.
 */
export class TellerBots {
  readonly #deps: TellerBotDeps;
  readonly #served = new Map<string, Served>();
  /** Counters the bots run, with the teller's pace (a multiplier on service times). */
  readonly #pace = new Map<string, number>();
  readonly #closing = new Set<string>();
  #busy = false;

  constructor(deps: TellerBotDeps) {
    this.#deps = deps;
  }

  /** Counters the bots run now. */
  get counters(): string[] {
    return [...this.#pace.keys()];
  }

  /** Whether the bots are closing this counter (finishing its customer first). */
  isClosing(counterId: string): boolean {
    return this.#closing.has(counterId);
  }

  /** How a customer will behave when called (from the simulator's plan). */
  expect(ticketId: string, advice: CustomerAdvice): void {
    this.#served.set(ticketId, { advice, recalledAt: null, transferred: false, servingSince: null });
  }

  /** A waiting customer stops listening for their number: they will not answer a call. */
  stopsListening(ticketId: string): void {
    const s = this.#served.get(ticketId);
    if (s) s.advice = { ...s.advice, answers: 'never' };
  }

  /** A teller takes over a counter that is already open (a continued demo day). */
  takeOver(counterId: string, pace = 1): void {
    this.#pace.set(counterId, pace);
  }

  async open(counterId: string, pace = 1): Promise<void> {
    this.#pace.set(counterId, pace);
    this.#closing.delete(counterId);
    const rt = this.#deps.state().counters[counterId];
    if (rt?.status === 'closed') await this.#act('open', { type: 'OpenCounter', data: { counterId } });
  }

  /** The teller stops calling, finishes the customer at the counter, then closes it (at a tick). */
  close(counterId: string): void {
    if (this.#pace.has(counterId)) this.#closing.add(counterId);
  }

  async #act(what: string, command: ClientCommand): Promise<CommandResponse> {
    const r = await this.#deps.command(command);
    if (!r.ok && r.error.code !== 'NO_WAITING_TICKET' && r.error.code !== 'COUNTER_ALREADY')
      this.#deps.log(`  (${what}: ${r.error.message.en})`);
    return r;
  }

  /** One look at every counter the bots run; a tick still running makes the next one a no-op. */
  async tick(): Promise<void> {
    if (this.#busy) return;
    this.#busy = true;
    try {
      for (const counterId of [...this.#pace.keys()]) await this.#step(counterId);
    } finally {
      this.#busy = false;
    }
  }

  async #step(counterId: string): Promise<void> {
    const state = this.#deps.state();
    const now = this.#deps.now();
    const rt = state.counters[counterId];
    if (!rt || rt.status === 'closed') {
      if (this.#closing.delete(counterId)) this.#pace.delete(counterId);
      return;
    }
    const t: Ticket | undefined = rt.ticketId ? state.tickets[rt.ticketId] : undefined;
    if (!t) {
      if (this.#closing.has(counterId)) {
        const r = await this.#act('close', { type: 'CloseCounter', data: { counterId } });
        if (r.ok) {
          this.#closing.delete(counterId);
          this.#pace.delete(counterId);
        }
      } else if (rt.status === 'open' && Object.values(state.tickets).some((x) => x.status === 'waiting'))
        await this.#act('call', { type: 'CallNext', data: { counterId } });
      return;
    }
    const s = this.#served.get(t.id) ?? {
      advice: DEFAULT_ADVICE,
      recalledAt: null,
      transferred: false,
      servingSince: null,
    };
    this.#served.set(t.id, s);
    if (t.status === 'called') {
      const since = now - (s.recalledAt ?? t.calledAt ?? now);
      if (s.advice.answers === 'yes' || (s.advice.answers === 'afterRecall' && s.recalledAt !== null)) {
        if (since >= s.advice.walkMs) {
          s.servingSince = now;
          await this.#act('start', { type: 'StartServing', data: { counterId } });
        }
      } else if (s.recalledAt === null && since >= 60_000) {
        s.recalledAt = now;
        await this.#act('recall', { type: 'Recall', data: { counterId } });
      } else if (s.recalledAt !== null && since >= 60_000) {
        await this.#act('no-show', { type: 'MarkNoShow', data: { counterId } });
      }
    } else if (t.status === 'serving') {
      const start = s.servingSince ?? t.servingAt ?? now;
      const pace = this.#pace.get(counterId) ?? 1;
      const transfer = s.advice.transfer;
      if (transfer && !s.transferred && now - start >= transfer.afterMs * pace) {
        s.transferred = true;
        s.advice = {
          ...s.advice,
          answers: 'yes',
          walkMs: 20_000,
          serveMs: transfer.thenServeMs,
          transfer: null,
        };
        s.servingSince = null;
        await this.#act('transfer', {
          type: 'TransferTicket',
          data: { counterId, toServiceId: transfer.toServiceId, toCounterId: transfer.toCounterId },
        });
      } else if (now - start >= s.advice.serveMs * pace) {
        await this.#act('finish', { type: 'FinishTicket', data: { counterId } });
      }
    }
  }
}

export async function runSimulation(o: SimulationOptions, deps: SimulationDeps): Promise<void> {
  const ticketOf = new Map<string, string>(); // customer → ticket
  const codeOf = new Map<string, string>(); // customer → hub appointment code
  const window = o.fromMinute !== undefined ? { fromMinute: o.fromMinute } : {};
  const { plan } = plannedActions({ seed: o.seed, shape: o.shape, date: o.date, ...window });
  const bots = new TellerBots({
    command: (c) => deps.manager.command(c),
    state: deps.state,
    now: deps.now,
    log: deps.log,
  });
  // A continued day: the tellers at counters the last run opened carry on.
  if (o.fromMinute !== undefined)
    for (const [id, rt] of Object.entries(deps.state().counters))
      if (rt.status !== 'closed') bots.takeOver(id);
  const flexId = flexibleCounter(deps.state().config);
  let flexCalm = 0;
  let managing = false;
  const act = async (what: string, command: ClientCommand) => {
    const r = await deps.manager.command(command);
    if (!r.ok && r.error.code !== 'COUNTER_ALREADY') deps.log(`  (${what}: ${r.error.message.en})`);
    return r;
  };

  // The manager opens the flexible counter when waits grow, and has it closed when calm.
  const manage = async () => {
    const state = deps.state();
    const now = deps.now();
    if (!flexId || Math.floor(now / 300_000) === Math.floor((now - 250 * o.speed) / 300_000)) return;
    const advice = flexAdvice(state, flexId, now, flexCalm);
    flexCalm = advice.calm;
    const number = state.config.counters[flexId]?.number;
    if (advice.action === 'open') {
      deps.log(`manager opens flexible counter ${number}`);
      await bots.open(flexId);
    } else if (advice.action === 'close' && !bots.isClosing(flexId)) {
      deps.log(`manager closes flexible counter ${number} after its customer`);
      bots.close(flexId);
    }
  };
  // Every 250 ms of real time the tellers act, then the manager looks at the waits.
  const tick = async () => {
    if (managing) return;
    managing = true;
    try {
      await bots.tick();
      await manage();
    } catch (e) {
      deps.log(`  (bots: ${(e as Error).message})`);
    } finally {
      managing = false;
    }
  };
  const timer = setInterval(() => void tick(), 250);
  const hubStart = deps.now();
  try {
    const actions =
      o.actions ??
      liveActions({
        seed: o.seed,
        shape: o.shape,
        date: o.date,
        ...window,
        speed: o.speed,
        signal: o.signal,
      });
    for await (const a of actions) {
      const x = a.action;
      // The last run booked the day's appointments already.
      if (x.kind === 'bookAppointment' && o.fromMinute !== undefined) continue;
      switch (x.kind) {
        case 'openCounter':
          await bots.open(x.counterId, x.tellerSpeed);
          break;
        case 'pauseCounter':
          await act('pause', { type: 'PauseCounter', data: { counterId: x.counterId, reason: x.reason } });
          break;
        case 'resumeCounter':
          await act('resume', { type: 'ResumeCounter', data: { counterId: x.counterId } });
          break;
        case 'closeCounter':
          // The teller finishes the customer at the counter first; the bots close it once it is empty.
          bots.close(x.counterId);
          break;
        case 'bookAppointment': {
          const slotStart = hubStart + x.slotOffsetMs;
          const r = await deps.manager.command({
            type: 'BookAppointment',
            data: { serviceId: x.serviceId, slotStart, customerName: null, phoneTail: null },
          });
          if (r.ok && r.appointment) codeOf.set(x.customer, r.appointment.code);
          break;
        }
        case 'arrive': {
          const id = await deps.issue(x.serviceId, x.class === 'appointment' ? 'normal' : x.class);
          if (id) {
            ticketOf.set(x.customer, id);
            bots.expect(id, x.advice);
          }
          break;
        }
        case 'checkIn': {
          const code = codeOf.get(x.customer);
          const id = code ? await deps.checkIn(code) : null;
          if (id) {
            ticketOf.set(x.customer, id);
            bots.expect(id, x.advice);
          } else {
            // An appointment that could not be checked in (the hub's grid differs at high speed): walk in.
            const walkIn = await deps.issue(x.serviceId, 'normal');
            if (walkIn) {
              ticketOf.set(x.customer, walkIn);
              bots.expect(walkIn, x.advice);
            }
          }
          break;
        }
        case 'giveUp': {
          const id = ticketOf.get(x.customer);
          const t = id ? deps.state().tickets[id] : undefined;
          if (t?.status !== 'waiting') break;
          if (x.cancels)
            await act('give up', { type: 'CancelTicket', data: { ticketId: t.id, reason: 'customerLeft' } });
          else bots.stopsListening(t.id);
          break;
        }
      }
    }
    // Tellers still finishing their last customer close their counters before the day is over.
    const until = deps.now() + 30 * 60_000;
    while (!o.signal.aborted && bots.counters.some((id) => bots.isClosing(id)) && deps.now() < until)
      await new Promise((r) => setTimeout(r, 250));
    if (!o.signal.aborted)
      deps.log(`simulated day (${o.shape}, ${plan.customers.length} customers) played to the end`);
  } finally {
    clearInterval(timer);
  }
}
