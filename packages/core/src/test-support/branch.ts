import { expect } from 'vitest';
import type { QueueCommand } from '../commands.ts';
import { sampleBranchConfig } from '../config.ts';
import { decide } from '../decide.ts';
import { MINUTE } from '../durations.ts';
import type { DomainErrorCode } from '../errors.ts';
import type { QueueEvent } from '../events.ts';
import { evolve, initialState } from '../evolve.ts';
import type { BranchConfig, QueueState } from '../types.ts';

/** Monday 2026-11-23 09:00 in Asia/Shanghai (UTC+8), inside every sample service's hours. */
export const MONDAY_0900 = Date.UTC(2026, 10, 23, 1, 0);
export const at = (minutesAfter0900: number) => MONDAY_0900 + minutesAfter0900 * MINUTE;

/** Applies commands that must succeed; returns the state and every event. */
export function run(
  state: QueueState,
  ...commands: QueueCommand[]
): { state: QueueState; events: QueueEvent[] } {
  const events: QueueEvent[] = [];
  let s = state;
  for (const c of commands) {
    const d = decide(c, s);
    if (!d.ok) throw new Error(`${c.type} was refused: ${d.error.code} ${JSON.stringify(d.error.params)}`);
    for (const e of d.events) {
      s = evolve(s, e);
      events.push(e);
    }
  }
  return { state: s, events };
}

/** Asserts the command is refused with `code` and returns the refusal's parameters. */
export function expectRefused(state: QueueState, command: QueueCommand, code: DomainErrorCode) {
  const before = JSON.stringify(state);
  const d = decide(command, state);
  expect(d.ok, `${command.type} should be refused with ${code}`).toBe(false);
  if (d.ok) throw new Error('unreachable');
  expect(d.error.code).toBe(code);
  expect(d.error.messageKey).toBe(`error.${code}`);
  // A refusal changes nothing (the decider has no other way to, but the state must not be mutated).
  expect(JSON.stringify(state)).toBe(before);
  return d.error.params;
}

export const issue = (
  ticketId: string,
  serviceId: string,
  minute = 0,
  cls: 'normal' | 'vip' | 'priority' = 'normal',
): QueueCommand => ({
  type: 'IssueTicket',
  data: { ticketId, serviceId, class: cls, source: 'kiosk', at: at(minute) },
});
export const open = (counterId: string, minute = 0): QueueCommand => ({
  type: 'OpenCounter',
  data: { counterId, at: at(minute) },
});
export const callNext = (counterId: string, minute = 0): QueueCommand => ({
  type: 'CallNext',
  data: { counterId, at: at(minute) },
});

/**
 * The sample branch on Monday 09:00 with the day rolled and the given counters open. Built through
 * events, like the hub builds it.
 */
export function branchWith(
  openCounters: string[] = [],
  config: BranchConfig = sampleBranchConfig(),
): QueueState {
  const { state } = run(
    initialState(config),
    { type: 'RollBusinessDay', data: { at: at(-60) } },
    ...openCounters.map((c) => open(c, -30)),
  );
  return state;
}

/** A config with one counter serving the given services. */
export function singleCounterConfig(services: string[] = ['cash']): BranchConfig {
  const config = sampleBranchConfig();
  const c1 = { ...config.counters.c1!, services };
  return { ...config, counters: { c1 }, counterOrder: ['c1'] };
}
