import type { DeviceCredentials, LinkStatus, PairingState } from '@nextup/agent-kit';
import { type Bilingual, own } from '@nextup/core';
import type { BranchView } from '@nextup/hub-view';
import type { KioskOffer, KioskPrint, KioskProblem, KioskSettings, KioskState } from '@nextup/protocol';
import type { PrinterSummary } from './kiosk-printer.ts';
import { problem } from './words.ts';

/** Everything the kiosk's state is made of. */
export interface KioskStateInputs {
  credentials: DeviceCredentials | null;
  pairing: PairingState;
  link: LinkStatus;
  view: BranchView | null;
  settings: KioskSettings | null;
  offers: KioskOffer[];
  checkInClosed: Bilingual | null;
  serverTime: number | null;
  printer: PrinterSummary;
  /** The latest prints, given whether a failed one can be reprinted now. */
  prints: (canReprint: boolean) => KioskPrint[];
}

/** Where the kiosk is in joining its hub: the pairing screen until it has credentials. */
function phaseOf(i: Pick<KioskStateInputs, 'credentials' | 'pairing'>): KioskState['phase'] {
  return i.credentials ? 'ready' : i.pairing.busy ? 'pairing' : 'unpaired';
}

/** Why no ticket can be issued now (not paired, the hub, the printer), or null when one can. */
export function blockedBy(i: Omit<KioskStateInputs, 'prints' | 'offers'>): KioskProblem | null {
  if (phaseOf(i) !== 'ready' || i.link === 'revoked') return problem('NOT_PAIRED');
  if (i.link === 'offline') return problem('HUB_OFFLINE');
  if (i.link === 'connecting' || !i.view) return problem('CONNECTING');
  return i.printer.problem;
}

/** Everything the UI shows, from the kiosk's parts. Pure. */
export function kioskState(i: KioskStateInputs): KioskState {
  const canReprint = i.printer.problem === null && i.link !== 'revoked';
  const services = i.settings?.services ?? [];
  const config = i.view?.state.config;
  const shownIds = services.length > 0 ? services : (config?.serviceOrder ?? []);
  const deviceId = i.credentials?.deviceId;
  return {
    v: 1,
    phase: phaseOf(i),
    link: i.link,
    hubUrl: i.credentials?.hubUrl ?? i.pairing.hubUrl,
    device: i.credentials
      ? {
          deviceId: i.credentials.deviceId,
          // The hub's name for it (an admin may have renamed it since pairing).
          name: i.view?.hub.devices.find((d) => d.deviceId === deviceId)?.name ?? i.credentials.name,
        }
      : null,
    pairingError: i.pairing.error?.message ?? null,
    branch: config?.branch.name ?? null,
    offers: i.offers,
    appointments: shownIds.some((id) => {
      const s = config ? own(config.services, id) : undefined;
      return Boolean(s?.appointments && s.enabled);
    }),
    appointmentsClosed: i.checkInClosed,
    blocked: blockedBy(i),
    printer: { level: i.printer.level, problem: i.printer.problem, paperNearEnd: i.printer.paperNearEnd },
    idleSeconds: i.settings?.idleSeconds ?? 20,
    prints: i.prints(canReprint),
    serverTime: i.serverTime,
  };
}
