import {
  decide,
  evolve,
  initialState,
  type QueueCommand,
  type QueueState,
  sampleBranchConfig,
} from '@nextup/core';
import { describe, expect, it } from 'vitest';
import { flexAdvice, type LiveClock, liveActions, plannedActions } from './live.ts';

/** A clock that never really waits: sleeping moves its time forward. Named so: it is a fake. */
class FakeClock implements LiveClock {
  t = 1000;
  slept: number[] = [];
  now() {
    return this.t;
  }
  async sleep(ms: number) {
    this.slept.push(ms);
    this.t += ms;
  }
}

describe('live actions for the demo', () => {
  const options = { seed: 9, shape: 'normal' as const };

  it('list a drawn day in time order: tellers, bookings, arrivals, check-ins, give-ups', () => {
    const { actions } = plannedActions(options);
    const kinds = new Set(actions.map((a) => a.action.kind));
    for (const k of [
      'openCounter',
      'pauseCounter',
      'resumeCounter',
      'closeCounter',
      'bookAppointment',
      'arrive',
      'checkIn',
      'giveUp',
    ])
      expect(kinds, k).toContain(k);
    for (let i = 1; i < actions.length; i++)
      expect(actions[i]!.offsetMs).toBeGreaterThanOrEqual(actions[i - 1]!.offsetMs);
    const arrive = actions.find((a) => a.action.kind === 'arrive')!.action;
    if (arrive.kind !== 'arrive') throw new Error('unreachable');
    expect(arrive.advice.serveMs).toBeGreaterThan(0);
    expect(['yes', 'afterRecall', 'never']).toContain(arrive.advice.answers);
    expect(plannedActions(options).actions).toEqual(actions);
  });

  it('start later in the day when asked', () => {
    const { actions } = plannedActions({ ...options, fromMinute: 14 * 60 });
    const arrivals = actions.filter((a) => a.action.kind === 'arrive');
    expect(arrivals.length).toBeGreaterThan(20);
    expect(actions.filter((a) => a.action.kind === 'openCounter')).toEqual([]);
    // Nobody gives up who did not come inside the window.
    const came = new Set(
      actions.flatMap((a) =>
        a.action.kind === 'arrive' || a.action.kind === 'checkIn' ? [a.action.customer] : [],
      ),
    );
    for (const a of actions) if (a.action.kind === 'giveUp') expect(came).toContain(a.action.customer);
  });

  it('play in real time scaled by the speed factor', async () => {
    const clock = new FakeClock();
    const got = [];
    for await (const a of liveActions({ ...options, speed: 60, clock })) {
      got.push(a);
      if (got.length === 40) break;
    }
    const planned = plannedActions(options).actions.slice(0, 40);
    expect(got.map((a) => a.action)).toEqual(planned.map((a) => a.action));
    // Each is handed over when its sim offset ÷ 60 has passed on the clock.
    for (const a of got) expect(a.realAt).toBeCloseTo(1000 + a.offsetMs / 60, 6);
    expect(clock.t).toBeCloseTo(1000 + got[got.length - 1]!.offsetMs / 60, 6);
  });

  it('stop when aborted, and refuse a speed that is not positive', async () => {
    const ac = new AbortController();
    const got = [];
    for await (const a of liveActions({
      ...options,
      speed: 1000,
      clock: new FakeClock(),
      signal: ac.signal,
    })) {
      got.push(a);
      if (got.length === 3) ac.abort();
    }
    expect(got).toHaveLength(3);
    await expect(liveActions({ ...options, speed: 0 }).next()).rejects.toThrow(TypeError);
  });
});

describe('the manager rule for the flexible counter', () => {
  const T0 = Date.UTC(2026, 10, 23, 1, 0);
  const run = (...commands: QueueCommand[]) => {
    let s: QueueState = initialState(sampleBranchConfig());
    for (const c of commands) {
      const d = decide(c, s);
      if (!d.ok) throw new Error(d.error.code);
      for (const e of d.events) s = evolve(s, e);
    }
    return s;
  };
  const issue = (i: number, min: number): QueueCommand => ({
    type: 'IssueTicket',
    data: { ticketId: `t${i}`, serviceId: 'cash', class: 'normal', source: 'kiosk', at: T0 + min * 60_000 },
  });

  it('opens it when 8 wait or someone has waited 15 minutes, and closes it after three calm checks', () => {
    const few = run(issue(1, 0), issue(2, 1));
    expect(flexAdvice(few, 'c2', T0 + 5 * 60_000, 0).action).toBe('none');
    expect(flexAdvice(few, 'c2', T0 + 16 * 60_000, 0).action).toBe('open');
    const many = run(...Array.from({ length: 8 }, (_, i) => issue(i, 0)));
    expect(flexAdvice(many, 'c2', T0 + 60_000, 0).action).toBe('open');
    const opened = run({ type: 'OpenCounter', data: { counterId: 'c2', at: T0 } });
    let calm = 0;
    const seen: string[] = [];
    for (let k = 0; k < 3; k++) {
      const a = flexAdvice(opened, 'c2', T0 + k * 5 * 60_000, calm);
      calm = a.calm;
      seen.push(a.action);
    }
    expect(seen).toEqual(['none', 'none', 'close']);
  });
});
