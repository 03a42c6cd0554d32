import { initialState, type Ticket } from '@nextup/core';
import type { LoggedEvent } from '@nextup/protocol';
import { describe, expect, it } from 'vitest';
import { applyRun, type BranchView, emptyView } from './fold.ts';

const AT = Date.UTC(2026, 10, 23, 1, 0);
const notice = (seq: number, en: string): LoggedEvent => ({
  seq,
  actor: { kind: 'system' },
  event: { type: 'NoticeChanged', data: { notice: { zh: en, en }, at: AT } },
});
const at = (seq: number): BranchView => ({ ...emptyView(), seq });

describe('applying a run of the log', () => {
  it('folds the events after the view and moves it to the end of the run, over numbers the role does not read', () => {
    const r = applyRun(at(10), { after: 10, through: 15, events: [notice(12, 'a'), notice(14, 'b')] });
    expect(r.kind).toBe('applied');
    if (r.kind !== 'applied') return;
    expect(r.view.seq).toBe(15);
    expect(r.view.hub.notice?.en).toBe('b');
    expect(r.applied.map((e) => e.seq)).toEqual([12, 14]);
  });

  it('an empty run still moves the view (nothing in that range was for this reader)', () => {
    const r = applyRun(at(10), { after: 10, through: 20, events: [] });
    expect(r).toMatchObject({ kind: 'applied', view: { seq: 20 }, applied: [] });
  });

  it('says gap when a run starts after the view, duplicate when it ends before, and skips what it has', () => {
    expect(applyRun(at(10), { after: 11, through: 12, events: [notice(12, 'x')] })).toEqual({
      kind: 'gap',
      expected: 11,
      got: 12,
    });
    expect(applyRun(at(10), { after: 5, through: 10, events: [notice(9, 'x')] })).toEqual({
      kind: 'duplicate',
    });
    const overlap = applyRun(at(10), {
      after: 5,
      through: 12,
      events: [notice(9, 'old'), notice(11, 'new')],
    });
    expect(overlap).toMatchObject({ kind: 'applied', view: { seq: 12 }, skipped: 1 });
    // A run whose events are out of order or outside its range is not trusted.
    expect(applyRun(at(10), { after: 10, through: 12, events: [notice(13, 'x')] }).kind).toBe('gap');
  });

  it('puts the run’s ticket records in place (a kiosk’s own tickets), leaving the earlier view as it was', () => {
    const before = at(3);
    const ticket = { id: 'constructor', number: 'A001' } as unknown as Ticket;
    const r = applyRun(before, { after: 3, through: 4, events: [], tickets: [ticket] });
    if (r.kind !== 'applied') throw new Error(r.kind);
    expect(Object.hasOwn(r.view.state.tickets, 'constructor')).toBe(true);
    expect(r.view.state.tickets.constructor).toBe(ticket);
    expect(before.state).toEqual(initialState());
  });
});
