import {
  decide,
  evolve,
  initialState,
  type QueueCommand,
  type QueueState,
  sampleBranchConfig,
} from '@nextup/core';
import { describe, expect, it } from 'vitest';
import { addSample, isRising, serviceLive, suggestCounter } from './alerts.ts';

const MIN = 60_000;
const T0 = Date.UTC(2026, 10, 23, 1, 0); // Monday 09:00 Asia/Shanghai

function branch(): { state: QueueState; run: (c: QueueCommand) => void } {
  let state = initialState(sampleBranchConfig());
  const run = (c: QueueCommand) => {
    const d = decide(c, state);
    if (!d.ok) throw new Error(d.error.code);
    for (const e of d.events) state = evolve(state, e);
  };
  return {
    get state() {
      return state;
    },
    run,
  };
}

describe('isRising', () => {
  it('needs three samples over half the window, never dipping, up by the minimum', () => {
    const s = (m: number, v: number) => ({ at: T0 + m * MIN, minutes: v });
    expect(isRising([s(0, 10), s(5, 12), s(10, 16)], T0 + 10 * MIN)).toBe(true);
    expect(isRising([s(0, 10), s(5, 9), s(10, 16)], T0 + 10 * MIN)).toBe(false);
    expect(isRising([s(0, 10), s(5, 12), s(10, 14)], T0 + 10 * MIN)).toBe(false);
    expect(isRising([s(8, 10), s(9, 12), s(10, 20)], T0 + 10 * MIN)).toBe(false);
    expect(isRising([s(0, 10), s(10, 20)], T0 + 10 * MIN)).toBe(false);
  });

  it('keeps one sample a minute for the last hour', () => {
    let list = addSample([], { at: T0, minutes: 1 });
    list = addSample(list, { at: T0 + 30_000, minutes: 2 });
    expect(list).toEqual([{ at: T0 + 30_000, minutes: 2 }]);
    list = addSample(list, { at: T0 + 2 * MIN, minutes: 3 });
    list = addSample(list, { at: T0 + 90 * MIN, minutes: 4 });
    expect(list).toEqual([{ at: T0 + 90 * MIN, minutes: 4 }]);
  });
});

describe('suggestCounter', () => {
  it('suggests the closed counter whose opening cuts the wait most', () => {
    const b = branch();
    b.run({ type: 'OpenCounter', data: { counterId: 'c1', at: T0 } });
    for (let i = 0; i < 25; i++)
      b.run({
        type: 'IssueTicket',
        data: {
          ticketId: `p${i}`,
          serviceId: 'personal',
          class: 'normal',
          source: 'kiosk',
          at: T0 + i * 1000,
        },
      });
    const now = T0 + 60_000;
    const s = suggestCounter(b.state, 'personal', now)!;
    // c3 serves personal as its main business; c2 and c1 treat it as second.
    expect(s.counterId).toBe('c3');
    expect(s.rank).toBe(0);
    expect(s.status).toBe('closed');
    const live = serviceLive(b.state, now, {}, 20).find((x) => x.serviceId === 'personal')!;
    expect(live.waiting).toBe(25);
    expect(live.countersOpen).toBe(1);
    expect(live.overThreshold).toBe(true);
    expect(live.suggestion?.estimate?.minutes).toBeLessThan(live.estimate!.minutes);
  });

  it('raises nothing for a service nobody waits for, and flags a queue no open counter serves', () => {
    const b = branch();
    b.run({ type: 'OpenCounter', data: { counterId: 'c1', at: T0 } });
    const quiet = serviceLive(b.state, T0, {}, 1);
    expect(quiet.every((r) => !r.overThreshold && !r.rising && !r.unserved && r.suggestion === null)).toBe(
      true,
    );
    b.run({
      type: 'IssueTicket',
      data: { ticketId: 'b1', serviceId: 'business', class: 'normal', source: 'kiosk', at: T0 },
    });
    const business = serviceLive(b.state, T0, {}, 240).find((r) => r.serviceId === 'business')!;
    expect(business.unserved).toBe(true);
    expect(business.suggestion?.counterId).toBe('c4');
  });

  it('suggests nothing when every counter that serves it is open', () => {
    const b = branch();
    b.run({ type: 'OpenCounter', data: { counterId: 'c4', at: T0 } });
    expect(suggestCounter(b.state, 'business', T0)).toBeNull();
  });
});
