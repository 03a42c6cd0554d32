import { own, type QueueState, type Ticket } from '@nextup/core';
import type { BranchView, LogRun } from '@nextup/hub-view';
import type { Actor, AnyEvent, HubView, LoggedEvent } from '@nextup/protocol';
import type { Principal } from '../principal.ts';

/**
 * What each caller reads of the branch: `GET /api/v1/state`, `GET /api/v1/events` and the stream all
 * give a principal the same cut of the view and of the log, so that a display or a kiosk in the
 * public hall, a rating tablet a customer can pick up, or a teller's PC never carries appointment
 * customers' names, phone tails and check-in codes, staff accounts, or other devices' settings.
 * Admins and the central shipper (which reads the log in-process) get everything.
 *
 * A cut must stay exact: a reader that folds its cut runs onto its cut snapshot holds exactly the cut
 * of the hub's view (`view-cut.int.test.ts` checks this for every role, with links dropping at random).
 * So a cut leaves out whole records and whole kinds of events whose fold touches only what is cut:
 * appointments (only appointment events write them), devices other than the caller (device events
 * name their device), and the audit events (staff, API keys, pairing codes), which fold into nothing.
 * Tickets are the one part a role holds only some of (a kiosk: the tickets it issued); their events
 * also move counters, running numbers and service history, so a kiosk gets no ticket events at all
 * but the current records of its tickets with each run, counters without the ticket they hold, and
 * no running numbers or service history (of the estimator's history, only the counters' pauses).
 */

/** How much of each part of the branch a role reads. */
export interface CutSpec {
  /** Appointments: booked customers' names, phone tails and check-in codes. */
  appointments: boolean;
  /** Devices in the hub view: every device, only the caller itself, or none. */
  devices: 'all' | 'self' | 'none';
  /** Staff accounts and sign-ins, API keys and pairing codes: the audit events. */
  audit: boolean;
  /** Today's tickets: all of them, or only those the caller issued (with counters' tickets hidden). */
  tickets: 'all' | 'own';
}

const WHOLE: CutSpec = { appointments: true, devices: 'all', audit: true, tickets: 'all' };

/** The rule, role by role (the README's security section and `docs/hub-api.md` say it in words). */
export function cutSpecOf(p: Principal): CutSpec {
  switch (p.kind) {
    case 'system':
      return WHOLE;
    case 'apiKey':
      // A key never reads the queue (`mayRead`); should it ever, it reads the least.
      return { appointments: false, devices: 'none', audit: false, tickets: 'own' };
    case 'staff':
      switch (p.staff.role) {
        case 'admin':
          return WHOLE;
        // The manager's pages: live queues, the day's bookings, device health (as `/admin/devices`).
        case 'manager':
          return { appointments: true, devices: 'all', audit: false, tickets: 'all' };
        // The counter console: queues and counters; bookings are a manager's list.
        case 'teller':
          return { appointments: false, devices: 'none', audit: false, tickets: 'all' };
      }
      break;
    case 'device':
      switch (p.device.kind) {
        // Its settings, the services, its own tickets (to know when an unprinted one was called).
        case 'kiosk':
          return { appointments: false, devices: 'self', audit: false, tickets: 'own' };
        // Calls, counters, waiting counts per service, the notice, its settings.
        case 'display':
        // The finished tickets at its counter, its settings.
        case 'counterTablet':
          return { appointments: false, devices: 'self', audit: false, tickets: 'all' };
      }
  }
  throw new Error('unreachable');
}

export interface ViewCut {
  readonly spec: CutSpec;
  /** Callers with the same key read exactly the same: one encoded message serves them all. */
  readonly key: string;
  /** The part of `view` the caller reads. */
  view(view: BranchView): BranchView;
  /**
   * The run `(after, through]` of the log as the caller reads it; `current` is the hub's state now
   * (where a kiosk's ticket records come from).
   */
  run(events: readonly LoggedEvent[], after: number, through: number, current: QueueState): LogRun;
}

/** What the cut asks of the log about today's tickets. */
export interface TicketOwnership {
  /** Who issued one of today's tickets. */
  issuerOf(ticketId: string): Actor | null;
  /** Whether the floor desk asked this kiosk to print this ticket. */
  printRequested(ticketId: string, deviceId: string): boolean;
}

/**
 * The cut for `p`. A kiosk's "own tickets" are those it issued and those the floor desk asked it to
 * print (it prints them from its view, and follows them like its own).
 */
export function viewCut(p: Principal, ownership: TicketOwnership): ViewCut {
  const spec = cutSpecOf(p);
  const self = p.kind === 'device' ? p.device.id : null;
  const key =
    spec === WHOLE
      ? 'whole'
      : p.kind === 'device'
        ? `device:${p.device.id}`
        : p.kind === 'staff'
          ? `staff:${p.staff.role}`
          : p.kind;
  if (spec === WHOLE)
    return {
      spec,
      key,
      view: (v) => v,
      run: (events, after, through) => ({ after, through, events: [...events] }),
    };
  const mine = (ticketId: string) => {
    const issuer = ownership.issuerOf(ticketId);
    if (issuer?.kind === 'device' && issuer.id === self) return true;
    return self !== null && ownership.printRequested(ticketId, self);
  };
  return {
    spec,
    key,
    view: (v) => ({ seq: v.seq, state: cutState(spec, v.state, mine), hub: cutHub(spec, v.hub, self) }),
    run(events, after, through, current) {
      const out: LoggedEvent[] = [];
      const touched = new Set<string>();
      for (const e of events) {
        const kept = cutEvent(spec, self, e.event, touched);
        if (kept) out.push(kept === e.event ? e : { ...e, event: kept });
      }
      if (spec.tickets === 'all') return { after, through, events: out };
      const tickets: Ticket[] = [];
      for (const id of touched) {
        const t = mine(id) ? own(current.tickets, id) : undefined;
        if (t) tickets.push(t);
      }
      return { after, through, events: out, ...(tickets.length > 0 ? { tickets } : {}) };
    },
  };
}

function cutState(spec: CutSpec, s: QueueState, mine: (ticketId: string) => boolean): QueueState {
  const state: QueueState = { ...s, appointments: spec.appointments ? s.appointments : {} };
  if (spec.tickets === 'all') return state;
  const { history: _whole, ...rest } = state;
  const history = ownHistory(s.history);
  return {
    ...rest,
    ...(history ? { history } : {}),
    tickets: Object.fromEntries(Object.entries(s.tickets).filter(([id]) => mine(id))),
    counters: Object.fromEntries(Object.entries(s.counters).map(([id, c]) => [id, { ...c, ticketId: null }])),
    lastSeq: {},
    queueSeq: 0,
    serviceHistory: {},
  };
}

/**
 * The estimator's history as a role that reads only its own tickets folds it: the counters' finished
 * pauses (counter events, which it reads) and nothing learned from tickets. Absent when that is empty,
 * as a reader that has folded no pause holds none.
 */
function ownHistory(h: QueueState['history']): QueueState['history'] {
  if (!h || Object.keys(h.pauses).length === 0) return undefined;
  return { pauses: h.pauses, outcomes: {}, estimates: [], classes: {} };
}

function cutHub(spec: CutSpec, hub: HubView, self: string | null): HubView {
  switch (spec.devices) {
    case 'all':
      return hub;
    case 'self':
      return { ...hub, devices: hub.devices.filter((d) => d.deviceId === self) };
    case 'none':
      return { ...hub, devices: [] };
  }
}

/**
 * One event as the caller reads it: itself, a narrower copy, or null when the caller reads none of
 * it. With `spec.tickets === 'own'`, the tickets it changes are added to `touched` instead.
 */
function cutEvent(spec: CutSpec, self: string | null, e: AnyEvent, touched: Set<string>): AnyEvent | null {
  switch (e.type) {
    case 'BranchConfigured':
    case 'ServiceUpserted':
    case 'ServiceRemoved':
    case 'CounterUpserted':
    case 'CounterRemoved':
    case 'DispatchSettingsChanged':
    case 'CounterOpened':
    case 'CounterPaused':
    case 'CounterResumed':
    case 'CounterClosed':
    case 'NoticeChanged':
      return e;
    case 'BusinessDayRolled':
      // The tickets left at closing time are the day's, not the caller's.
      return spec.tickets === 'all' ? e : { ...e, data: { ...e.data, unfinished: [] } };
    case 'TicketIssued':
    case 'TicketRecalled':
    case 'TicketServingStarted':
    case 'TicketFinished':
    case 'TicketNoShow':
    case 'TicketTransferred':
    case 'TicketCancelled':
    case 'TicketRated':
      if (spec.tickets === 'all') return e;
      touched.add(e.data.ticketId);
      return null;
    case 'TicketCalled':
      if (spec.tickets === 'all') return e;
      touched.add(e.data.ticketId);
      for (const id of e.data.overtaken) touched.add(id);
      return null;
    case 'AppointmentBooked':
    case 'AppointmentCancelled':
    case 'AppointmentCheckedIn':
      return spec.appointments ? e : null;
    case 'DevicePaired':
    case 'DeviceRevoked':
    case 'DeviceHealthReported':
    case 'DeviceConnectionChanged':
    case 'DeviceConfigured':
      return spec.devices === 'all' || (spec.devices === 'self' && e.data.deviceId === self) ? e : null;
    case 'DeviceRenamed':
      return spec.devices === 'all' || (spec.devices === 'self' && e.data.deviceId === self) ? e : null;
    // The floor desk's print requests and their outcomes: for the kiosk asked (with the ticket's
    // record, now its own), and for whoever reads every device.
    case 'TicketPrintRequested':
    case 'TicketPrintReported':
      if (spec.devices === 'all') return e;
      if (spec.devices === 'self' && e.data.deviceId === self) {
        if (spec.tickets === 'own') touched.add(e.data.ticketId);
        return e;
      }
      return null;
    case 'PairingCodeCreated':
    case 'StaffAccountCreated':
    case 'StaffAccountUpdated':
    case 'StaffPasswordChanged':
    case 'StaffSignedIn':
    case 'StaffSignedOut':
    case 'ApiKeyCreated':
    case 'ApiKeyRevoked':
      return spec.audit ? e : null;
    default: {
      const _exhaustive: never = e;
      return _exhaustive;
    }
  }
}
