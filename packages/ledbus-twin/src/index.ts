/**
 * @nextup/ledbus-twin — the virtual LED bus, the hardware twin of the counter boards, main boards and
 * caller keypads (hardware/led-bus.md): on one end of a socat pty it answers a bus master the way the
 * devices do, in any registered dialect, draws what each board shows, takes key presses and faults
 * (silent, corrupt, busy, power cycle) from a JSON API, and runs as `pnpm nextup led virtual`. A
 * peer of real boards for `@nextup/ledbus`, never part of production code.
 */
export type {
  AreaView,
  BoardSpec,
  BoardView,
  KeypadView,
  VirtualBusOptions,
  VirtualBusSnapshot,
  VirtualBusStats,
} from './bus.ts';
export { VirtualBus } from './bus.ts';
export type { VirtualBusHttp, VirtualBusHttpOptions } from './http.ts';
export { serveVirtualBus } from './http.ts';
export type { VirtualBusCommandArgs } from './run.ts';
export { runVirtualBusCommand } from './run.ts';
export type { RunningVirtualBus, StartVirtualBusOptions } from './service.ts';
export { parseAddressList, startVirtualBus } from './service.ts';
export { renderBoards } from './view.ts';
