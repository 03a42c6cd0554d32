/**
 * @nextup/ledbus — LED counter boards and caller keypads on an RS-485 bus (hardware/led-bus.md):
 * the v1 codec, pluggable vendor dialects, the bus master and the keypad → counter-command router.
 * The virtual bus (the hardware twin on a pty) is `@nextup/ledbus-twin`.
 */

// The pure codec (no I/O).
export { crc16modbus } from './codec/crc16.ts';
export type { DecodeEvent, Frame, RejectReason } from './codec/frame.ts';
export { DLE, ETX, encodeFrame, FrameDecoder, fromHex, MAX_PAYLOAD, STX, toHex } from './codec/frame.ts';
// Dialects.
export { dialectIds, getDialect, lineDialect, registerDialect, v1Dialect } from './dialects/index.ts';
export type { DeviceInput, DeviceSide, Dialect, ReplyMatch } from './dialects/types.ts';
export { CMD, MAX_EVENTS_PER_POLL, NAK_CODE, V1FrameParser } from './dialects/v1.ts';
export { LedBusError, type LedBusErrorCode } from './errors.ts';
export type { KeypadRouterOptions, RouteResult } from './keypad/router.ts';
export {
  busDevicesFromConfig,
  counterForKeypad,
  KEYPAD_PAUSE_REASON,
  KeypadRouter,
  keypadAction,
} from './keypad/router.ts';
export { KeypadTracker } from './keypad/tracker.ts';
export type { Logger } from './logger.ts';
export { silentLogger } from './logger.ts';
export type {
  BusMasterOptions,
  BusPort,
  BusStats,
  ScanResult,
  ShowOptions,
  TransactOptions,
} from './master/master.ts';
export { BusMaster, isKey } from './master/master.ts';
export type { OpenBusPortOptions } from './master/port.ts';
export { closeBusPort, openBusPort } from './master/port.ts';
export type {
  BusReply,
  BusRequest,
  DeviceStatus,
  DeviceType,
  Effect,
  Key,
  KeyEvent,
  KeyEventOnWire,
  NakReason,
  RequestKind,
} from './model.ts';
export { BROADCAST, checkRequest, KEYS, MAX_ADDRESS, MIN_ADDRESS } from './model.ts';
export { decodeText, displayWidth, encodeText } from './text.ts';
