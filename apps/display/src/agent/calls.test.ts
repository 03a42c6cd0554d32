import {
  decide,
  fold,
  HOUR,
  initialState,
  type QueueCommand,
  type QueueEvent,
  type QueueState,
  sampleBranchConfig,
} from '@nextup/core';
import { emptyView } from '@nextup/hub-view';
import type { LoggedEvent } from '@nextup/protocol';
import { describe, expect, it } from 'vitest';
import { buildScreen, CallBoard } from './calls.ts';

const T0 = Date.UTC(2026, 10, 23, 1, 0);

/** A branch driven through the real decider, keeping the log as a hub would. */
class Branch {
  state: QueueState;
  log: LoggedEvent[] = [];
  t = T0;
  #ids = 0;
  constructor() {
    const config = sampleBranchConfig();
    const boot: QueueEvent[] = [
      { type: 'BranchConfigured', data: { branch: config.branch, at: T0 } },
      ...Object.values(config.services).map((service) => ({
        type: 'ServiceUpserted' as const,
        data: { service, at: T0 },
      })),
      ...Object.values(config.counters).map((counter) => ({
        type: 'CounterUpserted' as const,
        data: { counter, at: T0 },
      })),
    ];
    this.state = fold(boot);
    this.do({ type: 'RollBusinessDay', data: { at: T0 } });
    for (const counterId of ['c1', 'c2', 'c3']) this.do({ type: 'OpenCounter', data: { counterId, at: T0 } });
  }
  do(cmd: QueueCommand): LoggedEvent[] {
    const d = decide(cmd, this.state);
    if (!d.ok) throw new Error(`${cmd.type}: ${d.error.code}`);
    const logged = d.events.map((event) => ({
      seq: this.log.length + 1,
      actor: { kind: 'system' as const },
      event,
    }));
    for (const e of logged) {
      this.log.push(e);
      this.state = fold([e.event as QueueEvent], this.state);
    }
    return logged;
  }
  issue(serviceId = 'cash') {
    this.t += 1000;
    return this.do({
      type: 'IssueTicket',
      data: { ticketId: `t${++this.#ids}`, serviceId, class: 'normal', source: 'kiosk', at: this.t },
    });
  }
  call(counterId: string) {
    this.t += 5000;
    return this.do({ type: 'CallNext', data: { counterId, at: this.t } });
  }
  recall(counterId: string) {
    this.t += 5000;
    return this.do({ type: 'Recall', data: { counterId, at: this.t } });
  }
  /** A teller's action at a counter, a second after the last one. */
  act(type: 'StartServing' | 'FinishTicket' | 'MarkNoShow', counterId: string) {
    this.t += 1000;
    return this.do({ type, data: { counterId, at: this.t } });
  }
}

const LIVE = (b: Branch) => ({ live: true, localNow: 1_000, hubNow: b.t });

describe('which calls are new', () => {
  it('a call that arrives live is new, highlighted for a while, and said once', () => {
    const b = new Branch();
    const board = new CallBoard({ newForMs: 10_000 });
    board.seed(b.state);
    b.issue();
    const fresh = board.apply(b.call('c1'), b.state, LIVE(b));
    expect(fresh).toMatchObject([{ number: 'A001', counterNumber: 1, recall: false }]);
    expect(board.calls(b.state)[0]).toMatchObject({ number: 'A001', newUntil: 11_000, recall: false });
  });

  it('nothing in a snapshot is new (the box restarted mid-day)', () => {
    const b = new Branch();
    b.issue();
    b.issue();
    b.call('c1');
    b.call('c2');
    b.recall('c1');
    const board = new CallBoard();
    board.seed(b.state);
    const calls = board.calls(b.state);
    expect(calls.map((c) => [c.number, c.counterNumber, c.recall, c.newUntil])).toEqual([
      ['A002', 2, false, null],
      ['A001', 1, true, null],
    ]);
  });

  it('calls in the catch-up after a reconnect are listed but not new', () => {
    const b = new Branch();
    const board = new CallBoard();
    board.seed(b.state);
    b.issue();
    const missed = b.call('c1');
    expect(board.apply(missed, b.state, { live: false, localNow: 0, hubNow: b.t })).toEqual([]);
    expect(board.calls(b.state)[0]).toMatchObject({ number: 'A001', newUntil: null });
  });

  it('an old call is not new even when it arrives after the catch-up (a long outage replayed in batches)', () => {
    const b = new Branch();
    const board = new CallBoard({ liveWindowMs: 60_000 });
    board.seed(b.state);
    b.issue();
    const old = b.call('c1');
    expect(board.apply(old, b.state, { live: true, localNow: 0, hubNow: b.t + 5 * 60_000 })).toEqual([]);
  });

  it('a recall is a new call of its own, marked as a recall', () => {
    const b = new Branch();
    const board = new CallBoard();
    board.seed(b.state);
    b.issue();
    const [call] = board.apply(b.call('c1'), b.state, LIVE(b));
    const [recall] = board.apply(b.recall('c1'), b.state, LIVE(b));
    expect(recall).toMatchObject({ number: 'A001', recall: true });
    expect(recall!.key).not.toBe(call!.key);
    expect(board.calls(b.state)).toHaveLength(1);
  });

  it('a new business day clears the list', () => {
    const b = new Branch();
    const board = new CallBoard();
    board.seed(b.state);
    b.issue();
    board.apply(b.call('c1'), b.state, LIVE(b));
    const rolled = b.do({ type: 'RollBusinessDay', data: { at: T0 + 24 * 3600_000 } });
    board.apply(rolled, b.state, LIVE(b));
    expect(board.calls(b.state)).toEqual([]);
  });
});

describe('the screen model', () => {
  it('has the latest call, the earlier ones, waiting counts and the counters this display shows', () => {
    const b = new Branch();
    const board = new CallBoard();
    board.seed(b.state);
    for (let i = 0; i < 4; i++) b.issue();
    b.issue('personal');
    board.apply([...b.call('c1'), ...b.call('c2'), ...b.call('c3')], b.state, LIVE(b));
    const view = { ...emptyView(), seq: b.log.length, state: b.state };
    const s = buildScreen(view, board, { link: 'online', counters: ['c1', 'c2'], clock: null });
    expect(s.current?.number).toBe('A002');
    expect(s.recent.map((c) => c.number)).toEqual(['A001']);
    expect(s.counters.map((c) => [c.counterId, c.status, c.ticketNumber])).toEqual([
      ['c1', 'open', 'A001'],
      ['c2', 'open', 'A002'],
    ]);
    expect(s.services.map((x) => [x.prefix, x.waiting])).toEqual([
      ['A', 2],
      ['B', 0],
      ['C', 0],
      ['V', 0],
    ]);
    expect(initialState().tickets).toEqual({});
  });

  it('shows as current the newest call still being made: none once its customer came, the call kept among the recent ones', () => {
    const b = new Branch();
    const board = new CallBoard();
    board.seed(b.state);
    b.issue();
    board.apply(b.call('c1'), b.state, LIVE(b));
    const screen = () =>
      buildScreen({ ...emptyView(), seq: b.log.length, state: b.state }, board, {
        link: 'online',
        counters: [],
        clock: null,
      });
    expect(screen().current?.number).toBe('A001');
    b.issue();
    board.apply(b.call('c2'), b.state, LIVE(b));
    expect(screen().current?.number).toBe('A002');
    board.apply(b.act('StartServing', 'c2'), b.state, LIVE(b));
    // A002's customer came; A001's has not: A001 is the call still being made.
    expect(screen().current?.number).toBe('A001');
    expect(screen().recent.map((c) => c.number)).toEqual(['A002']);
    board.apply(b.act('StartServing', 'c1'), b.state, LIVE(b));
    expect(screen().current).toBeNull();
    board.apply(b.act('FinishTicket', 'c1'), b.state, LIVE(b));
    expect(screen().current).toBeNull();
    expect(screen().recent.map((c) => c.number)).toEqual(['A002', 'A001']);
    expect(screen().hall).toEqual({ state: 'open', opensAt: null });
  });

  it('shows no call at all once every counter is closed, and why: the hours on the hub clock', () => {
    const b = new Branch();
    const board = new CallBoard();
    board.seed(b.state);
    b.issue();
    board.apply(b.call('c1'), b.state, LIVE(b));
    board.apply(b.act('MarkNoShow', 'c1'), b.state, LIVE(b));
    for (const counterId of ['c1', 'c2', 'c3'])
      board.apply(b.do({ type: 'CloseCounter', data: { counterId, at: b.t } }), b.state, LIVE(b));
    const at = (hubNow: number | null) =>
      buildScreen({ ...emptyView(), seq: b.log.length, state: b.state }, board, {
        link: 'online',
        counters: [],
        clock: null,
        hubNow,
      });
    // T0 is Monday 09:00 in Shanghai; the sample branch opens 08:30–17:00 on weekdays.
    expect(at(T0)).toMatchObject({ hall: { state: 'noCounterOpen' }, current: null, recent: [] });
    expect(at(T0 + 8.5 * HOUR).hall).toEqual({ state: 'afterHours', opensAt: null });
    expect(at(T0 - 1 * HOUR).hall).toEqual({ state: 'beforeHours', opensAt: '08:30' });
    // No clock yet: closed, without a reason it cannot know.
    expect(at(null).hall).toEqual({ state: 'noCounterOpen', opensAt: null });
    // A counter opens again: the hall is served, the earlier calls are listed again.
    board.apply(b.do({ type: 'OpenCounter', data: { counterId: 'c2', at: b.t } }), b.state, LIVE(b));
    expect(at(T0)).toMatchObject({ hall: { state: 'open' }, current: null });
    expect(at(T0).recent.map((c) => c.number)).toEqual(['A001']);
  });
});
