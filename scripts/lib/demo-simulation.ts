import type { QueueState, Ticket } from '@nextup/core';
import {
  type CustomerAdvice,
  type DayShapeId,
  flexAdvice,
  flexibleCounter,
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
  /** A customer takes a ticket at the kiosk; resolves with the ticket id or null if refused. */
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

export async function runSimulation(o: SimulationOptions, deps: SimulationDeps): Promise<void> {
  const byTicket = new Map<string, Served>();
  const ticketOf = new Map<string, string>(); // customer → ticket
  const codeOf = new Map<string, string>(); // customer → hub appointment code
  const speedOf = new Map<string, number>(); // counter → teller speed
  const botCounters = new Set<string>();
  const window = o.fromMinute !== undefined ? { fromMinute: o.fromMinute } : {};
  const { plan } = plannedActions({ seed: o.seed, shape: o.shape, date: o.date, ...window });
  // A continued day: the tellers at counters the last run opened carry on.
  if (o.fromMinute !== undefined)
    for (const [id, rt] of Object.entries(deps.state().counters))
      if (rt.status !== 'closed') botCounters.add(id);
  const flexId = flexibleCounter(deps.state().config);
  let flexCalm = 0;
  let busy = false;

  const act = async (what: string, command: Parameters<StaffSession['command']>[0]) => {
    const r = await deps.manager.command(command);
    if (!r.ok && r.error.code !== 'NO_WAITING_TICKET' && r.error.code !== 'COUNTER_ALREADY')
      deps.log(`  (${what}: ${r.error.message.en})`);
    return r;
  };

  // The teller bots: every 250 ms of real time, each counter they run does what its teller would.
  const tick = async () => {
    if (busy) return;
    busy = true;
    try {
      const state = deps.state();
      const now = deps.now();
      for (const counterId of botCounters) {
        const rt = state.counters[counterId];
        if (!rt || rt.status === 'closed') continue;
        const t: Ticket | undefined = rt.ticketId ? state.tickets[rt.ticketId] : undefined;
        if (!t) {
          if (rt.status === 'open' && Object.values(state.tickets).some((x) => x.status === 'waiting'))
            await act('call', { type: 'CallNext', data: { counterId } });
          continue;
        }
        const s = byTicket.get(t.id) ?? {
          advice: DEFAULT_ADVICE,
          recalledAt: null,
          transferred: false,
          servingSince: null,
        };
        byTicket.set(t.id, s);
        if (t.status === 'called') {
          const since = now - (s.recalledAt ?? t.calledAt ?? now);
          if (s.advice.answers === 'yes' || (s.advice.answers === 'afterRecall' && s.recalledAt !== null)) {
            if (since >= s.advice.walkMs) {
              s.servingSince = now;
              await act('start', { type: 'StartServing', data: { counterId } });
            }
          } else if (s.recalledAt === null && since >= 60_000) {
            s.recalledAt = now;
            await act('recall', { type: 'Recall', data: { counterId } });
          } else if (s.recalledAt !== null && since >= 60_000) {
            await act('no-show', { type: 'MarkNoShow', data: { counterId } });
          }
        } else if (t.status === 'serving') {
          const start = s.servingSince ?? t.servingAt ?? now;
          const pace = speedOf.get(counterId) ?? 1;
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
            await act('transfer', {
              type: 'TransferTicket',
              data: { counterId, toServiceId: transfer.toServiceId, toCounterId: transfer.toCounterId },
            });
          } else if (now - start >= s.advice.serveMs * pace) {
            await act('finish', { type: 'FinishTicket', data: { counterId } });
          }
        }
      }
      // The manager opens the flexible counter when waits grow, and closes it when calm.
      if (flexId && Math.floor(now / 300_000) !== Math.floor((now - 250 * o.speed) / 300_000)) {
        const advice = flexAdvice(state, flexId, now, flexCalm);
        flexCalm = advice.calm;
        if (advice.action === 'open') {
          botCounters.add(flexId);
          deps.log(`manager opens flexible counter ${state.config.counters[flexId]?.number}`);
          await act('open flexible', { type: 'OpenCounter', data: { counterId: flexId } });
        } else if (advice.action === 'close' && !state.counters[flexId]?.ticketId) {
          deps.log(`manager closes flexible counter ${state.config.counters[flexId]?.number}`);
          await act('close flexible', { type: 'CloseCounter', data: { counterId: flexId } });
        }
      }
    } catch (e) {
      deps.log(`  (bots: ${(e as Error).message})`);
    } finally {
      busy = false;
    }
  };
  const timer = setInterval(() => void tick(), 250);
  const hubStart = deps.now();
  try {
    for await (const a of liveActions({
      seed: o.seed,
      shape: o.shape,
      date: o.date,
      ...window,
      speed: o.speed,
      signal: o.signal,
    })) {
      const x = a.action;
      // The last run booked the day's appointments already.
      if (x.kind === 'bookAppointment' && o.fromMinute !== undefined) continue;
      switch (x.kind) {
        case 'openCounter':
          botCounters.add(x.counterId);
          speedOf.set(x.counterId, x.tellerSpeed);
          await act('open', { type: 'OpenCounter', data: { counterId: x.counterId } });
          break;
        case 'pauseCounter':
          await act('pause', { type: 'PauseCounter', data: { counterId: x.counterId, reason: x.reason } });
          break;
        case 'resumeCounter':
          await act('resume', { type: 'ResumeCounter', data: { counterId: x.counterId } });
          break;
        case 'closeCounter': {
          // A teller finishes their customer before closing.
          const rt = deps.state().counters[x.counterId];
          if (rt?.ticketId) await act('finish', { type: 'CallNext', data: { counterId: x.counterId } });
          botCounters.delete(x.counterId);
          const still = deps.state().counters[x.counterId];
          if (still?.ticketId)
            await act('finish', { type: 'FinishTicket', data: { counterId: x.counterId } });
          await act('close', { type: 'CloseCounter', data: { counterId: x.counterId } });
          break;
        }
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
            byTicket.set(id, { advice: x.advice, recalledAt: null, transferred: false, servingSince: null });
          }
          break;
        }
        case 'checkIn': {
          const code = codeOf.get(x.customer);
          const id = code ? await deps.checkIn(code) : null;
          if (id) {
            ticketOf.set(x.customer, id);
            byTicket.set(id, { advice: x.advice, recalledAt: null, transferred: false, servingSince: null });
          } else {
            // An appointment that could not be checked in (the hub's grid differs at high speed): walk in.
            const walkIn = await deps.issue(x.serviceId, 'normal');
            if (walkIn) {
              ticketOf.set(x.customer, walkIn);
              byTicket.set(walkIn, {
                advice: x.advice,
                recalledAt: null,
                transferred: false,
                servingSince: null,
              });
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
          else {
            const s = byTicket.get(t.id);
            if (s) s.advice = { ...s.advice, answers: 'never' };
          }
          break;
        }
      }
    }
    if (!o.signal.aborted)
      deps.log(`simulated day (${o.shape}, ${plan.customers.length} customers) played to the end`);
  } finally {
    clearInterval(timer);
  }
}
