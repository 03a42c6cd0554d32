import type { BranchConfig, CounterConfig, CounterState } from '@nextup/core';
import type { ClientCommand } from '@nextup/protocol';
import { type Logger, silentLogger } from '../logger.ts';
import type { Key, KeyEvent } from '../model.ts';

/** The reason a keypad's pause key gives the hub (shown in the console as the pause reason). */
export const KEYPAD_PAUSE_REASON = 'keypad';

/**
 * What a key means for the counter it belongs to. Pure. The pause key toggles: pause an open
 * counter, resume a paused one, and open a closed one (a teller with only a keypad has no other way
 * to start the day; the console's "close" stays a console action).
 */
export function keypadAction(key: Key, counter: Pick<CounterState, 'id' | 'status'>): ClientCommand {
  const counterId = counter.id;
  switch (key) {
    case 'next':
      return { type: 'CallNext', data: { counterId } };
    case 'recall':
      return { type: 'Recall', data: { counterId } };
    case 'noShow':
      return { type: 'MarkNoShow', data: { counterId } };
    case 'pause':
      if (counter.status === 'paused') return { type: 'ResumeCounter', data: { counterId } };
      if (counter.status === 'closed') return { type: 'OpenCounter', data: { counterId } };
      return { type: 'PauseCounter', data: { counterId, reason: KEYPAD_PAUSE_REASON } };
    default: {
      const _: never = key;
      return _;
    }
  }
}

/** The counter whose keypad has this address, if any. */
export function counterForKeypad(
  config: Pick<BranchConfig, 'counters'>,
  address: number,
): CounterConfig | null {
  return Object.values(config.counters).find((c) => c.keypadAddress === address) ?? null;
}

/**
 * The bus devices a branch configuration names: every counter's LED board and keypad address, plus
 * the main boards (which the configuration does not hold yet). For `new BusMaster({ boards, keypads })`.
 */
export function busDevicesFromConfig(
  config: Pick<BranchConfig, 'counters'>,
  mainBoards: readonly number[] = [],
): { boards: number[]; keypads: number[] } {
  const counters = Object.values(config.counters);
  const boards = [...mainBoards, ...counters.flatMap((c) => (c.ledAddress === null ? [] : [c.ledAddress]))];
  const keypads = counters.flatMap((c) => (c.keypadAddress === null ? [] : [c.keypadAddress]));
  const uniq = (xs: number[]) => [...new Set(xs)].sort((a, b) => a - b);
  return { boards: uniq(boards), keypads: uniq(keypads) };
}

export interface KeypadRouterOptions {
  /** The branch as the display box knows it now (its snapshot): configuration and counter states. */
  state: () => { config: Pick<BranchConfig, 'counters'>; counters: Record<string, CounterState> };
  /**
   * Delivers a command to the hub (`POST /api/v1/commands` with `{ v: 1, requestId, command }`).
   * `requestId` is the key event's id: a retry of the same press is the same request to the hub.
   */
  send: (
    command: ClientCommand,
    meta: { requestId: string; keypadAddress: number; key: Key },
  ) => Promise<void>;
  logger?: Logger;
}

export type RouteResult =
  | { ok: true; command: ClientCommand }
  | { ok: false; code: 'UNKNOWN_KEYPAD' | 'SEND_FAILED'; detail: string };

/**
 * Turns keypad events into counter commands for the hub: finds the counter by `keypadAddress`,
 * picks the command with `keypadAction`, hands it to `send`. Events are handled one at a time in
 * arrival order, so "next, next" reaches the hub as two calls in that order.
 */
export class KeypadRouter {
  private readonly logger: Logger;
  private chain: Promise<unknown> = Promise.resolve();

  constructor(private readonly options: KeypadRouterOptions) {
    this.logger = options.logger ?? silentLogger;
  }

  /** Routes one event; never throws (a failure is the result). */
  handle(event: KeyEvent): Promise<RouteResult> {
    const run = this.chain.then(() => this.route(event));
    this.chain = run;
    return run;
  }

  /** Subscribes to a master's key events; returns the unsubscribe function. */
  attach(master: { onKey(l: (e: KeyEvent) => void): () => void }): () => void {
    return master.onKey((e) => void this.handle(e));
  }

  private async route(event: KeyEvent): Promise<RouteResult> {
    const { config, counters } = this.options.state();
    const counter = counterForKeypad(config, event.address);
    if (!counter) {
      this.logger.warn(
        { address: event.address, key: event.key },
        'keypad: no counter has this keypad address',
      );
      return { ok: false, code: 'UNKNOWN_KEYPAD', detail: `no counter has keypad address ${event.address}` };
    }
    const status = counters[counter.id]?.status ?? 'closed';
    const command = keypadAction(event.key, { id: counter.id, status });
    try {
      await this.options.send(command, { requestId: event.id, keypadAddress: event.address, key: event.key });
      this.logger.info(
        { address: event.address, key: event.key, command: command.type },
        'keypad: command sent',
      );
      return { ok: true, command };
    } catch (e) {
      this.logger.error({ address: event.address, err: (e as Error).message }, 'keypad: sending failed');
      return { ok: false, code: 'SEND_FAILED', detail: (e as Error).message };
    }
  }
}
