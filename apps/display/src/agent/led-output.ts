import type { HubLink } from '@nextup/agent-kit';
import type { Logger } from '@nextup/hub-client';
import { type BranchView, emptyView } from '@nextup/hub-view';
import { type KeyEvent, KeypadRouter } from '@nextup/ledbus';
import type { DisplaySettings } from '@nextup/protocol';
import type { CallBoard } from './calls.ts';
import { hallState } from './hall.ts';
import type { ShownRecord } from './led/boards.ts';
import { LedBus, type MasterTuning } from './led/bus.ts';
import { planBoards, shownCounters } from './plan.ts';

export interface LedOutputOptions {
  logger: Logger;
  link: () => HubLink | null;
  view: () => BranchView | null;
  /** The boards' or keypads' health changed. */
  onHealth: () => void;
  /** The bus is open (or reopened): what the boards show must be sent again. */
  onReady: () => void;
  onShown?: ((r: ShownRecord) => void) | undefined;
  busTuning?: MasterTuning | undefined;
  busReopenMs?: number | undefined;
  boardCheckMs?: number | undefined;
}

/**
 * The RS-485 line: the LED boards, and the tellers' caller keypads whose presses become the hub's
 * commands (sent over the hub link with the keypad's request id).
 */
export function startLedOutput(o: LedOutputOptions): LedBus {
  const { logger } = o;
  const router = new KeypadRouter({
    state: () => {
      const s = o.view()?.state ?? emptyView().state;
      return { config: s.config, counters: s.counters };
    },
    send: async (command, meta) => {
      const link = o.link();
      if (!link) throw new Error('not linked to a hub');
      const r = await link.command(command, meta.requestId);
      if (!r.ok)
        logger.warn(
          { keypad: meta.keypadAddress, key: meta.key, command: command.type, code: r.error.code },
          'keypad: the hub refused the command',
        );
    },
    logger,
  });
  return new LedBus({
    logger,
    onHealth: () => o.onHealth(),
    onReady: () => o.onReady(),
    onKey: (e: KeyEvent) => void router.handle(e),
    ...(o.onShown ? { onShown: o.onShown } : {}),
    ...(o.busTuning ? { master: o.busTuning } : {}),
    ...(o.busReopenMs !== undefined ? { reopenMs: o.busReopenMs } : {}),
    ...(o.boardCheckMs !== undefined ? { boardCheckMs: o.boardCheckMs } : {}),
  });
}

/** Sets what every board shows now: the calls of the shown counters, and the hall's hours. */
export function syncBoards(
  led: LedBus,
  view: BranchView | null,
  settings: DisplaySettings,
  board: CallBoard,
  hubNow: number | null,
): void {
  const sync = led.sync;
  if (!sync || !view) return;
  const shown = shownCounters(view.state, settings);
  const calls = board.calls(view.state, shown);
  sync.set(
    planBoards(view.state, settings, calls, (a) => led.statusOf(a), {
      areas: led.config?.areas ?? true,
      hall: hallState(view.state, shown, hubNow),
    }),
  );
}
