import {
  evolve,
  evolveAll,
  initialState,
  put,
  QUEUE_EVENT_TYPES,
  type QueueEvent,
  type QueueState,
  type Ticket,
} from '@nextup/core';
import {
  type AnyEvent,
  type DeviceInfo,
  defaultDeviceSettings,
  type HubEvent,
  type HubView,
  type LoggedEvent,
} from '@nextup/protocol';

/**
 * The branch as a subscriber sees it: the queue state, the hub's view (devices, notice) and the
 * sequence number of the last event applied. The hub builds its own the same way, so a subscriber
 * that applied the same events holds exactly the hub's state.
 */
export interface BranchView {
  seq: number;
  state: QueueState;
  hub: HubView;
}

const queueTypes: ReadonlySet<string> = new Set(QUEUE_EVENT_TYPES);

export function isQueueEvent(e: AnyEvent): e is QueueEvent {
  return queueTypes.has(e.type);
}

export function emptyView(): BranchView {
  return { seq: 0, state: initialState(), hub: { notice: null, devices: [] } };
}

function patchDevice(hub: HubView, deviceId: string, patch: Partial<DeviceInfo>): HubView {
  return { ...hub, devices: hub.devices.map((d) => (d.deviceId === deviceId ? { ...d, ...patch } : d)) };
}

export function evolveHubView(hub: HubView, e: HubEvent): HubView {
  switch (e.type) {
    case 'DevicePaired': {
      const device: DeviceInfo = {
        deviceId: e.data.deviceId,
        kind: e.data.kind,
        name: e.data.name,
        pairedAt: e.data.at,
        revoked: false,
        online: false,
        lastSeen: null,
        health: null,
        settings: defaultDeviceSettings(e.data.kind),
      };
      return { ...hub, devices: [...hub.devices.filter((d) => d.deviceId !== device.deviceId), device] };
    }
    case 'DeviceRevoked':
      return patchDevice(hub, e.data.deviceId, { revoked: true, online: false });
    case 'DeviceRenamed':
      return patchDevice(hub, e.data.deviceId, { name: e.data.name });
    case 'DeviceHealthReported':
      return patchDevice(hub, e.data.deviceId, { health: e.data.health, lastSeen: e.data.at });
    case 'DeviceConnectionChanged':
      return patchDevice(hub, e.data.deviceId, { online: e.data.online, lastSeen: e.data.at });
    case 'DeviceConfigured':
      return patchDevice(hub, e.data.deviceId, { settings: e.data.settings });
    case 'NoticeChanged':
      return { ...hub, notice: e.data.notice };
    case 'PairingCodeCreated':
    case 'StaffAccountCreated':
    case 'StaffAccountUpdated':
    case 'StaffPasswordChanged':
    case 'StaffSignedIn':
    case 'StaffSignedOut':
    case 'ApiKeyCreated':
    case 'ApiKeyRevoked':
    // The desk's print requests and outcomes: the kiosk acts on the event itself, the desk page asks
    // the hub for its list; nothing of the view changes.
    case 'TicketPrintRequested':
    case 'TicketPrintReported':
      return hub;
    default: {
      const _exhaustive: never = e;
      return _exhaustive;
    }
  }
}

/** Applies one event of either kind. */
export function evolveView(view: BranchView, e: AnyEvent, seq: number): BranchView {
  if (isQueueEvent(e)) return { ...view, seq, state: evolve(view.state, e) };
  return { ...view, seq, hub: evolveHubView(view.hub, e as HubEvent) };
}

/**
 * Applies a run of consecutive events (sequence numbers already checked) in one go: queue events
 * through `evolveAll` (one copy of the state's records for the whole run), hub events one by one.
 * The queue state and the hub view do not depend on each other, so splitting keeps the order that
 * matters.
 */
export function evolveViewAll(view: BranchView, logged: readonly LoggedEvent[]): BranchView {
  if (logged.length === 0) return view;
  const queue: QueueEvent[] = [];
  let hub = view.hub;
  for (const e of logged) {
    if (isQueueEvent(e.event)) queue.push(e.event);
    else hub = evolveHubView(hub, e.event as HubEvent);
  }
  return {
    seq: logged.at(-1)!.seq,
    state: queue.length > 0 ? evolveAll(view.state, queue) : view.state,
    hub,
  };
}

export type ApplyResult =
  | { kind: 'applied'; view: BranchView }
  | { kind: 'duplicate' }
  | { kind: 'gap'; expected: number; got: number };

/** Applies a logged event if it is the next one; says so when it is old or when one is missing. */
export function applyLogged(view: BranchView, logged: LoggedEvent): ApplyResult {
  if (logged.seq <= view.seq) return { kind: 'duplicate' };
  if (logged.seq !== view.seq + 1) return { kind: 'gap', expected: view.seq + 1, got: logged.seq };
  return { kind: 'applied', view: evolveView(view, logged.event, logged.seq) };
}

/**
 * A run of the log as the hub sends it (stream `events` message, `GET /api/v1/events`): the events of
 * `(after, through]` that the reader's role may read, and for a role that holds only some tickets,
 * the current records of its tickets that changed in the run.
 */
export interface LogRun {
  after: number;
  through: number;
  events: readonly LoggedEvent[];
  tickets?: readonly Ticket[] | undefined;
}

export type RunResult =
  | { kind: 'applied'; view: BranchView; applied: LoggedEvent[]; skipped: number }
  | { kind: 'duplicate' }
  | { kind: 'gap'; expected: number; got: number };

/**
 * Applies a run if it starts at or before the view's sequence number and goes past it: its events
 * after the view's number are folded, its ticket records put in place, and the view moves to
 * `through`. A run that starts after the view is a gap (something was missed: resubscribe); one that
 * ends at or before it is a duplicate. Sequence numbers inside a run may skip: the hub leaves out
 * what the reader's role may not read.
 */
export function applyRun(view: BranchView, run: LogRun): RunResult {
  if (run.after > view.seq) return { kind: 'gap', expected: view.seq + 1, got: run.after + 1 };
  if (run.through <= view.seq) return { kind: 'duplicate' };
  const applied: LoggedEvent[] = [];
  let last = run.after;
  for (const e of run.events) {
    // A run out of order or beyond its own range is a broken run: treat it as a gap.
    if (e.seq <= last || e.seq > run.through) return { kind: 'gap', expected: last + 1, got: e.seq };
    last = e.seq;
    if (e.seq > view.seq) applied.push(e);
  }
  const folded = evolveViewAll(view, applied);
  let state = folded.state;
  if (run.tickets && run.tickets.length > 0) {
    const tickets = { ...state.tickets };
    for (const t of run.tickets) put(tickets, t.id, t);
    state = { ...state, tickets };
  }
  return {
    kind: 'applied',
    view: { ...folded, seq: run.through, state },
    applied,
    skipped: run.events.length - applied.length,
  };
}
