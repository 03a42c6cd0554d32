import { type ServiceOffer, sampleBranchConfig, type Ticket, waitWords } from '@nextup/core';
import { describe, expect, it } from 'vitest';
import { checkInClosed, kioskOffers } from './offers.ts';
import { kioskTicket, printJob } from './ticket.ts';

const config = sampleBranchConfig();
const offer = (id: string, availability: ServiceOffer['availability'], waiting = 3): ServiceOffer => {
  const estimate = availability.available
    ? {
        minutes: 12,
        lowMinutes: 10,
        highMinutes: 15,
        ahead: waiting,
        countersOpen: 2,
        serviceMinutes: 5,
        basis: 'prior' as const,
        historyCount: 0,
        noCounterOpen: false,
      }
    : null;
  const words = estimate ? waitWords(estimate) : null;
  return {
    service: config.services[id]!,
    waiting,
    availability,
    class: 'normal',
    estimate,
    words,
    byClass: estimate && words ? { normal: { estimate, words } } : {},
  };
};

describe('the check-in button', () => {
  const closed = { available: false, reason: 'outsideHours', opensAt: null } as const;
  it('is open while a service that takes appointments issues, or has not opened yet today', () => {
    expect(checkInClosed([offer('cash', closed), offer('personal', { available: true })], [])).toBeNull();
    expect(
      checkInClosed([offer('personal', { available: false, reason: 'outsideHours', opensAt: '08:30' })], []),
    ).toBeNull();
    // Appointments do not count against a sold-out walk-in limit.
    expect(checkInClosed([offer('personal', { available: false, reason: 'soldOut' })], [])).toBeNull();
  });

  it('closes once every service that takes appointments has stopped for the day, and says so', () => {
    const offers = [offer('cash', { available: true }), offer('personal', closed), offer('wealth', closed)];
    expect(checkInClosed(offers, [])).toEqual({
      zh: '今日预约签到已结束',
      en: 'Check-in has closed for today',
    });
    // A kiosk that shows only some services follows only those.
    expect(
      checkInClosed([offer('personal', closed), offer('wealth', { available: true })], ['personal']),
    ).not.toBeNull();
    expect(checkInClosed([offer('wealth', { available: false, reason: 'disabled' })], [])?.zh).toBe(
      '暂停预约签到',
    );
  });
});

describe('the start screen buttons', () => {
  const offers = [
    offer('cash', { available: true }),
    offer('personal', { available: false, reason: 'soldOut' }),
    offer('business', { available: false, reason: 'outsideHours', opensAt: '13:00' }),
    offer('wealth', { available: false, reason: 'disabled' }),
  ];

  it('says why a service cannot be taken, in both languages', () => {
    const buttons = kioskOffers(offers, []);
    expect(buttons.map((b) => [b.serviceId, b.available, b.reason?.zh ?? null])).toEqual([
      ['cash', true, null],
      ['personal', false, '今日号已取完'],
      ['business', false, '13:00 开始办理'],
      ['wealth', false, '暂停办理'],
    ]);
    expect(buttons[2]!.reason!.en).toBe('Opens at 13:00');
    expect(
      kioskOffers([offer('business', { available: false, reason: 'outsideHours', opensAt: null })], [])[0]!
        .reason,
    ).toEqual({
      zh: '今日已停止办理',
      en: 'Closed for today',
    });
  });

  it('shows the wait range and the self-service suggestion of an open service', () => {
    const [cash] = kioskOffers(offers, []);
    expect(cash).toMatchObject({
      waiting: 3,
      ahead: expect.any(Number),
      estimate: { lowMinutes: 10, highMinutes: 15, noCounterOpen: false },
      selfServiceSuggested: true,
      prefix: 'A',
    });
    expect(cash!.hint!.zh).toContain('智能柜台');
  });

  it('shows only the services the admin chose for this kiosk, in that order', () => {
    expect(kioskOffers(offers, ['wealth', 'cash', 'gone']).map((b) => b.serviceId)).toEqual([
      'wealth',
      'cash',
    ]);
  });
});

describe('the ticket the hub acknowledged', () => {
  const base: Ticket & { followUrl: string } = {
    id: 'tkt_abcdefghijklmnop',
    number: 'B007',
    seq: 7,
    serviceId: 'personal',
    class: 'appointment',
    source: 'appointment',
    status: 'waiting',
    issuedAt: Date.UTC(2026, 10, 23, 1, 41),
    queuedAt: Date.UTC(2026, 10, 23, 1, 41),
    queueOrder: 9,
    calledAt: null,
    servingAt: null,
    endedAt: null,
    counterId: null,
    targetCounterId: null,
    recalls: 0,
    overtaken: 0,
    transfers: 0,
    appointmentId: 'a1',
    slotStart: Date.UTC(2026, 10, 23, 2, 0),
    estimate: null,
    rating: null,
    followUrl: 'http://hub.test:8300/t/tkt_abcdefghijklmnop',
  };

  it('is shown and printed with local times, its slot and the service hint', () => {
    const t = kioskTicket(base, config);
    expect(t).toMatchObject({
      number: 'B007',
      service: { zh: '个人综合业务' },
      issuedAtText: '2026-11-23 09:41',
      slotText: '10:00–10:30',
      ahead: 0,
      estimate: null,
    });
    const job = printJob(t, config.branch, 'en');
    expect(job).toMatchObject({ number: 'B007', language: 'en', issuedAt: '2026-11-23 09:41' });
    expect(job.footer.zh).toContain('10:00–10:30');
    expect(job.hint).toEqual(config.services.personal!.hint);
  });
});
