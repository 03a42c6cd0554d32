import { has, own, type QueueState } from '@nextup/core';
import { busDevicesFromConfig, type DeviceStatus, type Dialect, getDialect } from '@nextup/ledbus';
import type { DisplayCall, DisplayHall, DisplaySettings } from '@nextup/protocol';
import { isBeingCalled } from './hall.ts';
import type { BoardTarget } from './led/boards.ts';
import type { BusConfig } from './led/bus.ts';
import {
  counterBoardText,
  DEFAULT_COUNTER_COLUMNS,
  DEFAULT_MAIN_COLUMNS,
  mainBoardAreas,
} from './led/texts.ts';

/** An explicit bus for tests and the demo, in place of the settings' (the port is usually a pty). */
export interface BusOverride {
  /** Serial device path. */
  port: string;
  /** Default: the settings' baud, else 9600. */
  baud?: number;
  /** Default: the settings' dialect, else 'v1'. */
  dialect?: string;
  /** Default: the settings' brightness, else 100. */
  brightness?: number;
}

/** The counters this display shows, announces and drives the boards and keypads of (empty = all). */
export function shownCounters(state: QueueState, settings: DisplaySettings): string[] {
  const all = state.config.counterOrder.filter((id) => has(state.config.counters, id));
  return settings.counters.length === 0 ? all : all.filter((id) => settings.counters.includes(id));
}

/**
 * The line and its devices: the settings' bus (or the override), the main boards from the settings,
 * and the LED boards and keypads of the counters this display serves (`busDevicesFromConfig`).
 * Null = no bus. Keypads only on a dialect that can poll them.
 */
export function busConfigFor(
  state: QueueState,
  settings: DisplaySettings,
  override: BusOverride | null | undefined,
): BusConfig | null {
  const bus =
    override === undefined
      ? settings.bus
      : override === null
        ? null
        : {
            port: override.port,
            baud: override.baud ?? settings.bus?.baud ?? 9600,
            dialect: override.dialect ?? settings.bus?.dialect ?? 'v1',
            brightness: override.brightness ?? settings.bus?.brightness,
          };
  if (!bus) return null;
  const ids = new Set(shownCounters(state, settings));
  const counters = Object.fromEntries(Object.entries(state.config.counters).filter(([id]) => ids.has(id)));
  const { boards, keypads } = busDevicesFromConfig({ counters }, settings.mainBoards);
  let canPoll = true;
  let areas = true;
  try {
    const d = getDialect(bus.dialect);
    canPoll = d.supports.has('poll');
    areas = hasAreas(d);
  } catch {
    // An unknown dialect: the master will refuse it and say so in the health.
  }
  return {
    port: bus.port,
    baud: bus.baud,
    dialect: bus.dialect,
    brightness: bus.brightness ?? 100,
    boards,
    keypads: canPoll ? keypads : [],
    areas,
  };
}

/**
 * Whether a dialect can address one line of a board: it encodes "line 1" differently from "the
 * whole board". A dialect that cannot (the line dialect) would make every line overwrite the whole
 * board, so its main boards get the latest call only.
 */
export function hasAreas(d: Dialect): boolean {
  const show = (area: number) =>
    d.encodeRequest({ kind: 'show', address: 1, area, effect: { kind: 'static' }, text: 'A' }, 1);
  const a = show(0);
  const b = show(1);
  return a.length !== b.length || a.some((x, i) => x !== b[i]);
}

/**
 * Every board's target: each shown counter's board from its state (the board of the latest call
 * first, so the customer's own counter lights up before anything else), then the main boards with
 * the calls still being made (`isBeingCalled`), newest first, or why there is none (`hall`). A call
 * blinks only while it is new (`newUntil`), i.e. arrived live.
 */
export function planBoards(
  state: QueueState,
  settings: DisplaySettings,
  calls: readonly DisplayCall[],
  statusOf: (address: number) => DeviceStatus | null,
  opts: { areas?: boolean; hall?: DisplayHall } = {},
): BoardTarget[] {
  const main = new Set(settings.mainBoards);
  const latest = calls[0];
  const counterTargets: BoardTarget[] = [];
  for (const id of shownCounters(state, settings)) {
    const c = state.config.counters[id]!;
    if (c.ledAddress === null || main.has(c.ledAddress)) continue;
    const columns = statusOf(c.ledAddress)?.columns || DEFAULT_COUNTER_COLUMNS;
    const text = counterBoardText(state, id, columns);
    const atCounter = own(state.counters, id)?.ticketId ?? null;
    const call = calls.find((k) => k.counterId === id);
    const flash =
      call &&
      call.newUntil !== null &&
      call.ticketId === atCounter &&
      own(state.counters, id)?.status === 'open'
        ? call.key
        : null;
    const target = { address: c.ledAddress, areas: [{ area: 0, text, flash }] };
    if (latest && latest.counterId === id) counterTargets.unshift(target);
    else counterTargets.push(target);
  }
  const hall = opts.hall ?? { state: 'open', opensAt: null };
  const inEffect = hall.state === 'open' ? calls.filter((k) => isBeingCalled(state, k)) : [];
  const first = inEffect[0];
  const mainTargets: BoardTarget[] = settings.mainBoards.map((address) => {
    const st = statusOf(address);
    const rows = opts.areas === false ? 1 : (st?.rows ?? 1);
    const areas = mainBoardAreas(inEffect, rows, st?.columns || DEFAULT_MAIN_COLUMNS, hall);
    return {
      address,
      areas: areas.map((a) => ({
        ...a,
        flash: (a.area <= 1 && first && first.newUntil !== null ? first.key : null) ?? null,
      })),
    };
  });
  return [...counterTargets, ...mainTargets];
}
