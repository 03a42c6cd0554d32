import { initialState, type QueueState } from '@nextup/core';
import type { ClientCommand } from '@nextup/protocol';
import { describe, expect, it } from 'vitest';
import { type MapContext, toQueueCommand } from './map-command.ts';

const AT = Date.UTC(2026, 2, 2, 2, 0);

function context(state: QueueState = initialState(), codes: string[] = ['11111111']): MapContext {
  let n = 0;
  return {
    at: AT,
    newId: () => `id-${++n}`,
    newCode: () => codes.shift() ?? 'last-code',
    source: 'staff',
    state,
  };
}

describe('toQueueCommand', () => {
  it("stamps a counter action with the hub's clock and keeps its data", () => {
    const c: ClientCommand = { type: 'Recall', data: { counterId: 'c1' } };
    expect(toQueueCommand(c, context())).toEqual({ type: 'Recall', data: { counterId: 'c1', at: AT } });
  });

  it('keeps a pause reason and what the teller said about coming back', () => {
    const c: ClientCommand = {
      type: 'PauseCounter',
      data: { counterId: 'c1', reason: '午休', backInMinutes: 30 },
    };
    expect(toQueueCommand(c, context())).toEqual({
      type: 'PauseCounter',
      data: { counterId: 'c1', reason: '午休', backInMinutes: 30, at: AT },
    });
  });

  it('makes the ticket id and names the source of an issued ticket', () => {
    const c: ClientCommand = { type: 'IssueTicket', data: { serviceId: 'A', class: 'vip' } };
    expect(toQueueCommand(c, { ...context(), source: 'kiosk' })).toEqual({
      type: 'IssueTicket',
      data: { ticketId: 'id-1', serviceId: 'A', class: 'vip', source: 'kiosk', at: AT },
    });
  });

  it('draws another check-in code while the drawn one is already booked today', () => {
    const state = initialState();
    const taken = { ...state, appointments: { a1: { code: '11111111' } } } as unknown as QueueState;
    const c: ClientCommand = {
      type: 'BookAppointment',
      data: { serviceId: 'A', slotStart: AT + 3_600_000, customerName: null, phoneTail: null },
    };
    const mapped = toQueueCommand(c, context(taken, ['11111111', '22222222']));
    expect(mapped.type === 'BookAppointment' && mapped.data.code).toBe('22222222');
  });
});
