import { type CounterState, sampleBranchConfig } from '@nextup/core';
import { clientCommand } from '@nextup/protocol';
import { describe, expect, it } from 'vitest';
import type { Key } from '../model.ts';
import { FakeHubSender } from '../testing.ts';
import { busDevicesFromConfig, KeypadRouter, keypadAction } from './router.ts';

const counter = (status: CounterState['status']) => ({ id: 'c3', status });

describe('keypad keys as counter commands', () => {
  it.each([
    ['next', 'open', { type: 'CallNext', data: { counterId: 'c3' } }],
    ['recall', 'open', { type: 'Recall', data: { counterId: 'c3' } }],
    ['noShow', 'open', { type: 'MarkNoShow', data: { counterId: 'c3' } }],
    ['pause', 'open', { type: 'PauseCounter', data: { counterId: 'c3', reason: 'keypad' } }],
    ['pause', 'paused', { type: 'ResumeCounter', data: { counterId: 'c3' } }],
    ['pause', 'closed', { type: 'OpenCounter', data: { counterId: 'c3' } }],
  ] as const)('%s on a %s counter is %o', (key, status, command) => {
    const got = keypadAction(key as Key, counter(status));
    expect(got).toEqual(command);
    // And it is a command the hub's schema accepts as it is.
    expect(clientCommand.safeParse(got).success).toBe(true);
  });
});

describe('the keypad router', () => {
  const state = () => ({
    config: sampleBranchConfig(),
    counters: { c2: { id: 'c2', status: 'paused' as const, pauseReason: 'lunch', ticketId: null, since: 0 } },
  });

  it('finds the counter by its keypad address and sends its command with the event id as requestId', async () => {
    const hub = new FakeHubSender();
    const router = new KeypadRouter({ state, send: hub.send });
    // The sample branch puts counter n's keypad at 100 + n.
    await router.handle({ address: 101, key: 'next', id: 'kp-test-101-1', at: 0 });
    await router.handle({ address: 102, key: 'pause', id: 'kp-test-102-2', at: 0 });
    expect(hub.sent).toEqual([
      {
        command: { type: 'CallNext', data: { counterId: 'c1' } },
        requestId: 'kp-test-101-1',
        keypadAddress: 101,
      },
      {
        command: { type: 'ResumeCounter', data: { counterId: 'c2' } },
        requestId: 'kp-test-102-2',
        keypadAddress: 102,
      },
    ]);
  });

  it('reports a keypad no counter owns, and a hub that cannot be reached, without throwing', async () => {
    const hub = new FakeHubSender();
    const router = new KeypadRouter({ state, send: hub.send });
    expect(await router.handle({ address: 150, key: 'next', id: 'kp-x-150-1', at: 0 })).toMatchObject({
      ok: false,
      code: 'UNKNOWN_KEYPAD',
    });
    hub.fail = true;
    expect(await router.handle({ address: 101, key: 'next', id: 'kp-x-101-2', at: 0 })).toMatchObject({
      ok: false,
      code: 'SEND_FAILED',
    });
  });
});

describe('bus devices from the branch configuration', () => {
  it("lists every counter's board and keypad, and the main boards", () => {
    expect(busDevicesFromConfig(sampleBranchConfig(), [200])).toEqual({
      boards: [1, 2, 3, 4, 5, 200],
      keypads: [101, 102, 103, 104, 105],
    });
  });
});
