import {
  estimateWait,
  type QueueState,
  type ServiceId,
  type WaitEstimate,
  waitingCountByService,
} from '@nextup/core';

/**
 * The manager's alerts: a service whose predicted wait passes a threshold, or keeps rising, and which
 * closed or paused counter could open for it (flexible windows). Pure, so it is tested without a page.
 */

export interface WaitSample {
  at: number;
  minutes: number;
}

/** How far back "keeps rising" looks, and by how much it must have grown. */
export interface RisingRule {
  /** Default 15 minutes. */
  windowMs: number;
  /** Default 5 minutes of predicted wait. */
  minRiseMinutes: number;
}

export const DEFAULT_RISING: RisingRule = { windowMs: 15 * 60_000, minRiseMinutes: 5 };

/**
 * Rising: within the window there are at least three samples spanning at least half of it, each no
 * lower than the one before (a flat step is fine, a dip is not), and the last is `minRiseMinutes`
 * above the first.
 */
export function isRising(
  samples: readonly WaitSample[],
  now: number,
  rule: RisingRule = DEFAULT_RISING,
): boolean {
  const recent = samples.filter((s) => s.at >= now - rule.windowMs && s.at <= now);
  if (recent.length < 3) return false;
  const first = recent[0]!;
  const last = recent.at(-1)!;
  if (last.at - first.at < rule.windowMs / 2) return false;
  for (let i = 1; i < recent.length; i++) if (recent[i]!.minutes < recent[i - 1]!.minutes) return false;
  return last.minutes - first.minutes >= rule.minRiseMinutes;
}

/** Appends a sample, keeping one per minute at most and only the last hour. */
export function addSample(samples: readonly WaitSample[], s: WaitSample): WaitSample[] {
  const kept = samples.filter((x) => x.at > s.at - 3600_000);
  const last = kept.at(-1);
  if (last && s.at - last.at < 60_000) return [...kept.slice(0, -1), s];
  return [...kept, s];
}

export interface Suggestion {
  counterId: string;
  number: number;
  status: 'closed' | 'paused';
  /** 0 = the service is this counter's main business. */
  rank: number;
  /** The predicted wait if it opened now. */
  estimate: WaitEstimate | null;
}

/**
 * Which closed or paused counter that can serve the service should open: the one whose opening
 * brings the predicted wait down most (the estimator runs the branch forward with it open), then the
 * one for which the service ranks highest, then the lowest number.
 */
export function suggestCounter(state: QueueState, serviceId: ServiceId, now: number): Suggestion | null {
  const candidates: Suggestion[] = [];
  for (const id of state.config.counterOrder) {
    const cfg = state.config.counters[id];
    const rt = state.counters[id];
    if (!cfg || !rt || rt.status === 'open' || !cfg.services.includes(serviceId)) continue;
    const opened: QueueState = {
      ...state,
      counters: { ...state.counters, [id]: { ...rt, status: 'open', pauseReason: null, since: now } },
    };
    candidates.push({
      counterId: id,
      number: cfg.number,
      status: rt.status,
      rank: cfg.services.indexOf(serviceId),
      estimate: estimateWait(opened, { kind: 'new', serviceId, class: 'normal' }, now),
    });
  }
  candidates.sort(
    (a, b) =>
      (a.estimate?.minutes ?? Number.POSITIVE_INFINITY) - (b.estimate?.minutes ?? Number.POSITIVE_INFINITY) ||
      a.rank - b.rank ||
      a.number - b.number,
  );
  return candidates[0] ?? null;
}

export interface ServiceLive {
  serviceId: ServiceId;
  waiting: number;
  /** Counters open now that serve it. */
  countersOpen: number;
  estimate: WaitEstimate | null;
  /** Customers wait and the predicted wait of a new ticket passes the threshold. */
  overThreshold: boolean;
  /** Customers wait and the predicted wait keeps rising. */
  rising: boolean;
  /** Customers wait and no open counter serves the service. */
  unserved: boolean;
  suggestion: Suggestion | null;
}

/** Every enabled service's live figures and alert state. */
export function serviceLive(
  state: QueueState,
  now: number,
  history: Readonly<Record<ServiceId, readonly WaitSample[]>>,
  thresholdMinutes: number,
): ServiceLive[] {
  const waiting = waitingCountByService(state);
  return state.config.serviceOrder.flatMap((serviceId) => {
    const s = state.config.services[serviceId];
    if (!s?.enabled) return [];
    const estimate = estimateWait(state, { kind: 'new', serviceId, class: 'normal' }, now);
    const countersOpen = state.config.counterOrder.filter(
      (id) =>
        state.counters[id]?.status === 'open' && state.config.counters[id]?.services.includes(serviceId),
    ).length;
    const n = waiting[serviceId] ?? 0;
    // Nobody waiting: nothing to alert about, whatever a new ticket's estimate says.
    const overThreshold = n > 0 && estimate !== null && estimate.minutes > thresholdMinutes;
    const rising = n > 0 && isRising(history[serviceId] ?? [], now);
    const unserved = n > 0 && countersOpen === 0;
    return [
      {
        serviceId,
        waiting: n,
        countersOpen,
        estimate,
        overThreshold,
        rising,
        unserved,
        suggestion: overThreshold || rising || unserved ? suggestCounter(state, serviceId, now) : null,
      },
    ];
  });
}
