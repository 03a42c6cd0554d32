import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { QueueCommand } from './commands.ts';
import { sampleBranchConfig } from './config.ts';
import { decide } from './decide.ts';
import { HOUR, MINUTE } from './durations.ts';
import { createEstimator, estimateNew, estimateWait } from './estimate.ts';
import { evolve, initialState } from './evolve.ts';
import { at, branchWith, callNext, issue, open, run } from './test-support/branch.ts';
import type { BranchConfig, QueueState, WaitOutcome } from './types.ts';
import { serviceOffers } from './views.ts';
import { waitWords } from './words.ts';

/**
 * The situations issue 16 measured the estimator failing in, each as a small branch: a service only
 * one counter serves while that counter is on a break, breaks longer than assumed, customers who left
 * without a word, a VIP-only service, and no counter at all.
 */

const forNew = (state: QueueState, serviceId: string, minute: number, cls: 'normal' | 'vip' = 'normal') =>
  estimateWait(state, { kind: 'new', serviceId, class: cls }, at(minute))!;

const pause = (counterId: string, minute: number, reason = '', backInMinutes?: number) =>
  ({
    type: 'PauseCounter',
    data: { counterId, reason, at: at(minute), ...(backInMinutes !== undefined ? { backInMinutes } : {}) },
  }) as const;
const resume = (counterId: string, minute: number) =>
  ({ type: 'ResumeCounter', data: { counterId, at: at(minute) } }) as const;

/** Business banking is served only at counter 4 in the sample branch. */
function businessQueue(extra: Parameters<typeof run>[1][] = []): QueueState {
  return run(
    branchWith(['c4']),
    ...[0, 1, 2].map((i) => issue(`b${i}`, 'business', i)),
    callNext('c4', 3),
    ...extra,
  ).state;
}

/** Days before today on which counter 4 took a lunch of `minutes` from 12:00 (09:00 + 180). */
function withPastLunches(minutes: number, days = 5, config: BranchConfig = sampleBranchConfig()): QueueState {
  let s = initialState(config);
  for (let d = days; d >= 1; d--) {
    const day = -d * 24 * 60;
    s = run(
      s,
      { type: 'RollBusinessDay', data: { at: at(day - 60) } } as const,
      open('c4', day - 30),
      pause('c4', day + 180),
      resume('c4', day + 180 + minutes),
    ).state;
  }
  return run(s, { type: 'RollBusinessDay', data: { at: at(-60) } } as const, open('c4', -30)).state;
}

describe('a service only one counter serves, while it is on a break', () => {
  it('believes the teller who says when the counter is back, and says so', () => {
    const s = businessQueue([pause('c4', 5, '', 30)]);
    const e = forNew(s, 'business', 10);
    expect(e.noCounterOpen).toBe(true);
    expect(e.reopen).toMatchObject({ counterId: 'c4', basis: 'said', name: { en: 'Counter 4' } });
    // Back at 09:35 (give or take a minute of the usual lateness), then two customers ahead.
    expect(e.reopen!.at).toBeGreaterThanOrEqual(at(35));
    expect(e.reopen!.at).toBeLessThanOrEqual(at(37));
    expect(e.minutes).toBeGreaterThan(35);
    expect(waitWords(e).wait.en).toMatch(/^No counter open; Counter 4 expected back about 09:3\d/);
  });

  it('expects it back when its planned break ends', () => {
    const config = sampleBranchConfig();
    config.counters.c4 = { ...config.counters.c4!, breaks: [{ start: '12:00', end: '13:00' }] };
    const s = run(branchWith(['c4'], config), issue('b0', 'business', 170), pause('c4', 180)).state;
    const e = forNew(s, 'business', 190);
    expect(e.reopen).toMatchObject({ counterId: 'c4', basis: 'planned' });
    expect(e.reopen!.hhmm >= '13:00' && e.reopen!.hhmm <= '13:05').toBe(true);
    expect(e.minutes).toBeGreaterThan(45);
  });

  it('expects its breaks to last what they lasted before, not a fixed 40 minutes', () => {
    const long = run(withPastLunches(75), issue('b0', 'business', 178), pause('c4', 180)).state;
    const short = run(withPastLunches(30), issue('b0', 'business', 178), pause('c4', 180)).state;
    const eLong = forNew(long, 'business', 190);
    const eShort = forNew(short, 'business', 190);
    expect(eLong.reopen?.basis).toBe('learned');
    // Back about 13:15 after 75-minute lunches, about 12:30 after 30-minute ones.
    expect(eLong.reopen!.at).toBeGreaterThan(at(180 + 60));
    expect(eShort.reopen!.at).toBeLessThan(at(180 + 45));
    expect(eLong.minutes).toBeGreaterThan(eShort.minutes + 25);
  });

  it('does not believe a break is over because it ran past its usual length', () => {
    const s = run(withPastLunches(40), issue('b0', 'business', 178), pause('c4', 180)).state;
    // 70 minutes into a lunch that usually lasts 40: still away, back soon but not at once.
    const e = forNew(s, 'business', 250);
    expect(e.reopen!.at).toBeGreaterThan(at(250));
    expect(e.minutes).toBeGreaterThan(1);
    expect(e.minutes).toBeLessThan(60);
  });
});

describe('no counter at all', () => {
  it('says the wait is unknown when every counter for the service is closed during opening hours', () => {
    const s = run(branchWith(['c1']), issue('b0', 'business', 60)).state;
    const e = forNew(s, 'business', 61);
    expect(e.unknown).toBe(true);
    expect(e.reopen).toBeUndefined();
    expect(waitWords(e).wait.en).toMatch(/unknown/);
  });

  it('before opening, expects the counters when the service opens', () => {
    const s = branchWith([]);
    // 08:00, before the 09:00 opening of business banking.
    const e = forNew(s, 'business', -60);
    expect(e.unknown).toBeUndefined();
    expect(e.reopen).toMatchObject({ basis: 'opens' });
    expect(e.minutes).toBeGreaterThanOrEqual(55);
  });
});

describe('breaks still to come', () => {
  it('expects an open counter to take the lunch it took on the days before', () => {
    // Counter 4 has lunched at 12:00 for an hour every day; at 11:55 four customers wait.
    const s = run(withPastLunches(60), ...[0, 1, 2, 3].map((i) => issue(`b${i}`, 'business', 170 + i))).state;
    const withBreaks = forNew(s, 'business', 175);
    const without = createEstimator({ breaks: false })(
      s,
      { kind: 'new', serviceId: 'business', class: 'normal' },
      at(175),
    )!;
    expect(withBreaks.minutes).toBeGreaterThan(without.minutes + 30);
  });

  it('expects a planned break even with no history', () => {
    const config = sampleBranchConfig();
    config.counters.c4 = { ...config.counters.c4!, breaks: [{ start: '12:00', end: '13:00' }] };
    const s = run(
      branchWith(['c4'], config),
      ...[0, 1, 2].map((i) => issue(`b${i}`, 'business', 170 + i)),
    ).state;
    expect(forNew(s, 'business', 175).minutes).toBeGreaterThan(60);
  });
});

describe('customers who left without a word', () => {
  /** A branch whose customers of personal business mostly walk out after 20 minutes, unseen. */
  function impatient(): QueueState {
    const s = branchWith(['c3']);
    const outcomes: WaitOutcome[] = [];
    for (let i = 0; i < 150; i++) outcomes.push(i % 3 === 0 ? [10 + (i % 7), 0] : [25 + (i % 40), 1]);
    return { ...s, history: { ...s.history!, outcomes: { personal: outcomes } } };
  }

  it('expects a queue of long waiters to melt: called, they are no-shows, quickly over', () => {
    const queue = (s: QueueState) =>
      run(s, ...Array.from({ length: 8 }, (_, i) => issue(`p${i}`, 'personal', i))).state;
    const patient = queue(branchWith(['c3']));
    const leaving = queue(impatient());
    const ePatient = forNew(patient, 'personal', 40);
    const eLeaving = forNew(leaving, 'personal', 40);
    expect(eLeaving.minutes).toBeLessThan(ePatient.minutes * 0.75);
  });
});

describe('one figure per class', () => {
  /** The wealth room with VIP customers only. */
  function vipOnly(): QueueState {
    let s = branchWith(['c5']);
    for (let i = 0; i < 6; i++)
      s = run(s, issue(`v${i}`, 'wealth', i * 10, 'vip'), callNext('c5', i * 10 + 1)).state;
    return run(s, issue('w1', 'wealth', 70, 'vip'), issue('w2', 'wealth', 71, 'vip')).state;
  }

  it('gives a VIP-only service the figure a VIP gets, never a normal customer’s', () => {
    const s = vipOnly();
    const offer = serviceOffers(s, at(72)).find((o) => o.service.id === 'wealth')!;
    expect(offer.class).toBe('vip');
    expect(Object.keys(offer.byClass)).toEqual(['vip']);
    expect(offer.estimate).toEqual(forNew(s, 'wealth', 72, 'vip'));
  });

  it('prints on the ticket the figure the kiosk showed, and says the same a moment later', () => {
    const s = vipOnly();
    const offer = serviceOffers(s, at(72)).find((o) => o.service.id === 'wealth')!;
    const d = decide(
      {
        type: 'IssueTicket',
        data: { ticketId: 'mine', serviceId: 'wealth', class: 'vip', source: 'kiosk', at: at(72) },
      },
      s,
    );
    expect(d.ok).toBe(true);
    if (!d.ok) return;
    const issued = d.events.find((e) => e.type === 'TicketIssued');
    expect(issued?.type === 'TicketIssued' && issued.data.estimate).toEqual(offer.estimate);
    let after = s;
    for (const e of d.events) after = evolve(after, e);
    expect(estimateWait(after, { kind: 'ticket', ticketId: 'mine' }, at(72))).toEqual(offer.estimate);
  });
});

describe('the range', () => {
  it('holds the point and says "more than" when it would be too wide', () => {
    // One counter, a long queue of long services: a wide range.
    const s = run(
      branchWith(['c4']),
      ...Array.from({ length: 12 }, (_, i) => issue(`b${i}`, 'business', i)),
    ).state;
    const e = forNew(s, 'business', 15);
    expect(e.lowMinutes).toBeLessThanOrEqual(e.minutes);
    expect(e.highMinutes).toBeGreaterThanOrEqual(e.minutes);
    if (e.highMinutes - e.lowMinutes > 40) expect(e.moreThan).toBe(true);
    expect(e.moreThan).toBe(true);
    expect(waitWords(e).wait.en).toMatch(/more than \d+ min/);
    expect(HOUR).toBe(60 * MINUTE);
  });
});

describe('the offers’ single run', () => {
  it('gives every service and class exactly the figure a run of its own gives (the printed one)', () => {
    const services = ['cash', 'personal', 'business', 'wealth'];
    const classes = ['normal', 'vip', 'priority'] as const;
    const step = fc.oneof(
      fc.record({ k: fc.constant('issue' as const), s: fc.nat({ max: 3 }), c: fc.nat({ max: 2 }) }),
      fc.record({ k: fc.constant('call' as const), c: fc.constantFrom('c1', 'c2', 'c3', 'c4', 'c5') }),
      fc.record({ k: fc.constant('pause' as const), c: fc.constantFrom('c1', 'c3', 'c5') }),
      fc.record({ k: fc.constant('transfer' as const), c: fc.constantFrom('c1', 'c2', 'c3') }),
    );
    fc.assert(
      fc.property(fc.array(step, { minLength: 5, maxLength: 50 }), (steps) => {
        let s = branchWith(['c1', 'c2', 'c3', 'c4', 'c5']);
        let n = 0;
        steps.forEach((st, minute) => {
          const command: QueueCommand =
            st.k === 'issue'
              ? issue(`t${n++}`, services[st.s]!, minute, classes[st.c])
              : st.k === 'call'
                ? callNext(st.c, minute)
                : st.k === 'pause'
                  ? pause(st.c, minute)
                  : {
                      type: 'TransferTicket',
                      data: { counterId: st.c, toServiceId: 'business', toCounterId: null, at: at(minute) },
                    };
          const d = decide(command, s);
          if (d.ok) for (const e of d.events) s = evolve(s, e);
        });
        const now = steps.length + 1;
        const queries = services.flatMap((serviceId) => classes.map((cls) => ({ serviceId, class: cls })));
        const together = estimateNew(s, queries, at(now));
        queries.forEach((q, i) => {
          expect(together[i]).toEqual(estimateWait(s, { kind: 'new', ...q }, at(now)));
        });
      }),
      { numRuns: 60 },
    );
  });
});
