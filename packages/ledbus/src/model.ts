/**
 * What travels on the bus, independent of any dialect: the requests a master sends and the replies a
 * device gives. A dialect turns these into bytes and back (see dialects/).
 */

/** 0 is broadcast (every device acts, none replies); devices are 1–247 (the Modbus range). */
export const BROADCAST = 0;
export const MIN_ADDRESS = 1;
export const MAX_ADDRESS = 247;

/** How text appears. */
export type Effect =
  | { kind: 'static' }
  /** Blink `times` times, then stay lit; 0 = blink until replaced. */
  | { kind: 'blink'; times: number }
  /** Scroll right to left; `speed` in columns per second, 0 = the board's own default. */
  | { kind: 'scroll'; speed: number };

export type DeviceType = 'mainBoard' | 'counterBoard' | 'keypad';

/** The four keys of a caller keypad (叫号器): 下一位 / 重呼 / 过号 / 暂停. */
export type Key = 'next' | 'recall' | 'noShow' | 'pause';
export const KEYS: readonly Key[] = ['next', 'recall', 'noShow', 'pause'];

export type BusRequest =
  | {
      kind: 'show';
      address: number;
      /** 0 = the whole board; 1…rows = that line. */
      area: number;
      effect: Effect;
      text: string;
    }
  | { kind: 'clear'; address: number; area: number }
  /** `level` 0–100 %; 0 = dark. */
  | { kind: 'brightness'; address: number; level: number }
  /**
   * STATUS. `clearPowerUp` asks the device to clear its POWER_UP flag once it has answered (the
   * reply still shows the flag as it was): read-and-clear, so a restart after this request sets it
   * again and is seen by the next one (hardware/led-bus.md §5.2). Default false: a read-only STATUS.
   */
  | { kind: 'ping'; address: number; clearPowerUp?: boolean }
  /**
   * Asks a keypad for its queued key events. `session` and `ack` acknowledge what the master already
   * has (hardware/led-bus.md, "Keypad poll"); session 0 = "I have nothing yet".
   */
  | { kind: 'poll'; address: number; session: number; ack: number };

export type RequestKind = BusRequest['kind'];

export interface DeviceStatus {
  /** What the device says it is; `{ unknown }` carries a TYPE byte this master does not know. */
  type: DeviceType | { unknown: number };
  /** "major.minor". */
  firmware: string;
  /** Half-width character cells per line (a Chinese character takes two); 0 for a keypad. */
  columns: number;
  rows: number;
  /**
   * The device restarted (power-up, reset) since the flag was last cleared: whatever a board showed
   * and its brightness are gone (FLAGS bit 0, hardware/led-bus.md §5.2). Every decoded STATUS says
   * true or false; a status written by hand may leave it out (= false).
   */
  poweredUp?: boolean;
}

/** A device type this master knows, or null for `{ unknown }`. */
export function knownType(s: Pick<DeviceStatus, 'type'>): DeviceType | null {
  return typeof s.type === 'string' ? s.type : null;
}

export interface KeyEventOnWire {
  /** The keypad's running event number, 0–255 wrapping. */
  n: number;
  /** A key this master knows, or the raw code of one it does not. */
  key: Key | { unknown: number };
}

export type NakReason = 'BAD_CRC' | 'UNKNOWN_COMMAND' | 'BAD_PAYLOAD' | 'BUSY' | 'OTHER';

export type BusReply =
  | { kind: 'ack' }
  | { kind: 'status'; status: DeviceStatus }
  | { kind: 'keys'; session: number; events: KeyEventOnWire[] }
  | { kind: 'nak'; reason: NakReason; detail?: string };

/** A key press as the master delivers it: once, in order, per keypad. */
export interface KeyEvent {
  address: number;
  key: Key;
  /** Unique across this master's life (and random across restarts): usable as a hub requestId. */
  id: string;
  /** When the master received it (ms since epoch, from the injected clock). */
  at: number;
}

/** Checks a request's fields; throws a TypeError that names the bad value. */
export function checkRequest(req: BusRequest): void {
  const { address } = req;
  if (!Number.isInteger(address) || address < 0 || address > MAX_ADDRESS)
    throw new TypeError(`address must be 0 (broadcast) or 1–${MAX_ADDRESS}, got ${address}`);
  switch (req.kind) {
    case 'show':
      checkByte('area', req.area);
      if (req.effect.kind === 'blink') checkByte('blink times', req.effect.times);
      if (req.effect.kind === 'scroll') checkByte('scroll speed', req.effect.speed);
      return;
    case 'clear':
      checkByte('area', req.area);
      return;
    case 'brightness':
      if (!Number.isInteger(req.level) || req.level < 0 || req.level > 100)
        throw new TypeError(`brightness must be 0–100, got ${req.level}`);
      return;
    case 'ping':
      return;
    case 'poll':
      if (address === BROADCAST) throw new TypeError('a keypad poll cannot be broadcast');
      checkByte('session', req.session);
      checkByte('ack', req.ack);
      return;
    default: {
      const _: never = req;
      void _;
    }
  }
}

function checkByte(name: string, v: number) {
  if (!Number.isInteger(v) || v < 0 || v > 255) throw new TypeError(`${name} must be 0–255, got ${v}`);
}
