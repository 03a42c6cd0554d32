import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { aheadInQueue } from './ahead.ts';
import type { QueueCommand } from './commands.ts';
import { decide } from './decide.ts';
import { evolve } from './evolve.ts';
import { at, branchWith, callNext, issue, run } from './test-support/branch.ts';
import type { QueueState } from './types.ts';

const aheadOf = (s: QueueState, id: string, minute: number) => aheadInQueue(s, s.tickets[id]!, at(minute));

describe('ahead of you', () => {
  it('counts the customers of your own queue, not other services’ at shared counters', () => {
    // Counter 1 serves cash and personal: three cash customers are not ahead of a personal one.
    const s = run(
      branchWith(['c1']),
      issue('a1', 'cash', 0),
      issue('a2', 'cash', 0),
      issue('a3', 'cash', 0),
      issue('p1', 'personal', 1),
      issue('p2', 'personal', 2),
    ).state;
    expect(aheadOf(s, 'p2', 3).ahead).toBe(1);
    expect(aheadOf(s, 'a3', 3).ahead).toBe(2);
  });

  it('rises only with a reason the customer is told: a priority customer served first', () => {
    const before = run(branchWith(['c1']), issue('a1', 'cash', 0), issue('a2', 'cash', 1)).state;
    expect(aheadOf(before, 'a2', 2)).toMatchObject({ ahead: 1 });
    const after = run(before, issue('x', 'cash', 3, 'priority')).state;
    const now = aheadOf(after, 'a2', 3);
    expect(now.ahead).toBe(2);
    expect(now.reasons).toEqual({ vip: 0, priority: 1, transfer: 0, appointment: 0, waitedLong: 0 });
  });

  it('for a ticket not yet taken, counts everyone its class would be called after', () => {
    const s = run(branchWith(['c1']), issue('a1', 'cash', 0), issue('a2', 'cash', 8)).state;
    const fresh = (cls: 'normal' | 'vip') => ({
      id: '\u0000new',
      serviceId: 'cash',
      class: cls,
      queuedAt: at(10),
      queueOrder: s.queueSeq + 1,
      overtaken: 0,
      targetCounterId: null,
      slotStart: null,
      transfers: 0,
    });
    expect(aheadInQueue(s, fresh('normal'), at(10)).ahead).toBe(2);
    // A VIP's 10-minute head start: ahead of the one who waited 2 minutes, not of the one who waited 10.
    expect(aheadInQueue(s, fresh('vip'), at(10)).ahead).toBe(1);
  });

  it('never rises without a reason, whatever customers and tellers do', () => {
    const services = ['cash', 'personal'];
    const step = fc.oneof(
      fc.record({
        k: fc.constant('issue' as const),
        s: fc.nat({ max: 1 }),
        c: fc.constantFrom('normal', 'vip', 'priority'),
      }),
      fc.record({ k: fc.constant('call' as const), c: fc.constantFrom('c1', 'c2', 'c3') }),
      fc.record({ k: fc.constant('transfer' as const), c: fc.constantFrom('c1', 'c2', 'c3') }),
    );
    fc.assert(
      fc.property(fc.array(step, { maxLength: 60 }), (steps) => {
        let s = branchWith(['c1', 'c2', 'c3']);
        let minute = 0;
        let n = 0;
        let last = new Map<string, { ahead: number; reasons: number }>();
        for (const st of steps) {
          minute += 1;
          const command: QueueCommand =
            st.k === 'issue'
              ? issue(`t${n++}`, services[st.s]!, minute, st.c as 'normal' | 'vip' | 'priority')
              : st.k === 'call'
                ? callNext(st.c, minute)
                : {
                    type: 'TransferTicket',
                    data: { counterId: st.c, toServiceId: 'personal', toCounterId: null, at: at(minute) },
                  };
          const d = decide(command, s);
          if (d.ok) for (const e of d.events) s = evolve(s, e);
          const now = new Map<string, { ahead: number; reasons: number }>();
          for (const t of Object.values(s.tickets)) {
            if (t.status !== 'waiting') continue;
            const a = aheadInQueue(s, t, at(minute));
            const r = Object.values(a.reasons).reduce((x, y) => x + y, 0);
            now.set(t.id, { ahead: a.ahead, reasons: r });
            const prev = last.get(t.id);
            // Same queue as before (a transfer starts a new place in another queue).
            if (prev && s.tickets[t.id]!.queuedAt < at(minute) && a.ahead > prev.ahead)
              expect(
                r - prev.reasons,
                `${t.id} rose from ${prev.ahead} to ${a.ahead}`,
              ).toBeGreaterThanOrEqual(a.ahead - prev.ahead);
          }
          last = now;
        }
      }),
      { numRuns: 150 },
    );
  });
});
