import {
  evolve,
  evolveAll,
  initialState,
  QUEUE_EVENT_TYPES,
  type QueueEvent,
  type QueueState,
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
