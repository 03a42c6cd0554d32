import { type BranchConfig, type CounterConfig, type ServiceConfig, sampleBranchConfig } from '@nextup/core';
import type { ServiceModel } from './plan.ts';

/**
 * Branches of different shapes. The wait estimate must hold in any branch, not only the sample one, so
 * the simulator runs several: they differ in counters, in which services share counters, in services
 * only one counter serves (a business desk, a VIP room: when its teller takes lunch nobody serves the
 * service), in a VIP-only service, in whether tellers say when they will be back, and in whether
 * counters have their breaks in the configuration.
 */
export type LayoutId = 'sample' | 'six' | 'compact';

export interface BranchLayout {
  id: LayoutId;
  label: string;
  config: () => BranchConfig;
  /** How its services really run (arrivals, service times, classes, patience). */
  models: Record<string, Partial<ServiceModel>>;
  /** Share of pauses where the teller says when the counter will be back (the console's 15/30/60). */
  saysBackIn: number;
}

const WEEKDAYS = [1, 2, 3, 4, 5];

function counter(n: number, services: string[], name?: { zh: string; en: string }): CounterConfig {
  return {
    id: `c${n}`,
    number: n,
    name: name ?? { zh: `${n}号窗口`, en: `Counter ${n}` },
    services,
    ledAddress: n,
    keypadAddress: 100 + n,
  };
}

function withServicesAndCounters(services: ServiceConfig[], counters: CounterConfig[]): BranchConfig {
  const base = sampleBranchConfig();
  return {
    ...base,
    services: Object.fromEntries(services.map((s) => [s.id, s])),
    serviceOrder: services.map((s) => s.id),
    counters: Object.fromEntries(counters.map((c) => [c.id, c])),
    counterOrder: counters.map((c) => c.id),
  };
}

/**
 * Six counters: three cash counters (one of them the flexible one), a personal-business counter, a
 * business desk that is the only counter for business banking, and a VIP room that is the only one
 * for the VIP-only wealth service. Foreign exchange is served only as counter 1's second business.
 */
function sixCounters(): BranchConfig {
  const sample = sampleBranchConfig();
  const s = sample.services;
  const forex: ServiceConfig = {
    id: 'forex',
    prefix: 'F',
    name: { zh: '外汇业务', en: 'Foreign exchange' },
    expectedMinutes: 6,
    dailyLimit: null,
    hours: [{ days: WEEKDAYS, open: '09:00', close: '16:00' }],
    hint: null,
    selfServiceSuggested: false,
    appointments: null,
    enabled: true,
  };
  return withServicesAndCounters(
    [s.cash!, s.personal!, s.business!, { ...s.wealth!, name: { zh: '贵宾理财', en: 'VIP wealth' } }, forex],
    [
      counter(1, ['cash', 'forex']),
      counter(2, ['cash', 'personal']),
      counter(3, ['cash', 'personal']),
      counter(4, ['personal', 'cash']),
      counter(5, ['business']),
      counter(6, ['wealth'], { zh: '6号贵宾室', en: 'VIP room 6' }),
    ],
  );
}

/** Three counters and three services; each counter's lunch is in its configuration. */
function compact(): BranchConfig {
  const s = sampleBranchConfig().services;
  const lunch = (start: string, end: string) => [{ start, end }];
  return withServicesAndCounters(
    [s.cash!, s.personal!, { ...s.business!, appointments: null }],
    [
      { ...counter(1, ['cash', 'personal']), breaks: lunch('11:30', '12:15') },
      { ...counter(2, ['personal', 'cash']), breaks: lunch('12:15', '13:00') },
      { ...counter(3, ['business', 'personal']), breaks: lunch('13:00', '13:45') },
    ],
  );
}

export const BRANCH_LAYOUTS: Record<LayoutId, BranchLayout> = {
  sample: {
    id: 'sample',
    label: 'sample branch, 5 counters',
    config: sampleBranchConfig,
    models: {},
    saysBackIn: 0.4,
  },
  six: {
    id: 'six',
    label: '6 counters, single-counter business desk and VIP-only room',
    config: sixCounters,
    models: {
      cash: { perHour: 24, meanMinutes: 3.3, patienceMinutes: 35 },
      personal: { perHour: 5, meanMinutes: 12 },
      business: { perHour: 2.5, meanMinutes: 13, patienceMinutes: 80 },
      wealth: { perHour: 2.1, meanMinutes: 18, vipShare: 1, priorityShare: 0, patienceMinutes: 100 },
      forex: {
        perHour: 2.2,
        meanMinutes: 7,
        sigma: 0.5,
        vipShare: 0.05,
        priorityShare: 0.02,
        patienceMinutes: 45,
        transfers: [],
      },
    },
    saysBackIn: 0,
  },
  compact: {
    id: 'compact',
    label: '3 counters, breaks in the configuration',
    config: compact,
    models: {
      cash: { perHour: 10, meanMinutes: 4 },
      personal: { perHour: 3.6, meanMinutes: 10.5 },
      business: { perHour: 1.6, meanMinutes: 13 },
    },
    saysBackIn: 0,
  },
};

export const LAYOUT_IDS = Object.keys(BRANCH_LAYOUTS) as LayoutId[];
