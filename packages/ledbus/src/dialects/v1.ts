import { Transform, type TransformCallback } from 'node:stream';
import { type DecodeEvent, encodeFrame, type Frame, FrameDecoder } from '../codec/frame.ts';
import {
  BROADCAST,
  type BusReply,
  type BusRequest,
  type DeviceType,
  type Effect,
  type Key,
  type KeyEventOnWire,
  type NakReason,
  type RequestKind,
} from '../model.ts';
import { decodeText, encodeText } from '../text.ts';
import type { DeviceInput, Dialect, ReplyMatch } from './types.ts';

/** Command bytes (hardware/led-bus.md, "Commands"). Requests are below 0x80 except the two replies. */
export const CMD = {
  PING: 0x01,
  SHOW: 0x10,
  CLEAR: 0x11,
  BRIGHTNESS: 0x12,
  POLL: 0x20,
  /** ASCII ACK: the request was done; the payload carries the answer (status, key events). */
  ACK: 0x06,
  /** ASCII NAK: refused; payload [reason]. */
  NAK: 0x15,
} as const;

const EFFECT = { static: 0x00, blink: 0x01, scroll: 0x02 } as const;
export const NAK_CODE: Record<Exclude<NakReason, 'OTHER'>, number> = {
  BAD_CRC: 0x01,
  UNKNOWN_COMMAND: 0x02,
  BAD_PAYLOAD: 0x03,
  BUSY: 0x04,
};
const DEVICE_TYPE: Record<DeviceType, number> = { mainBoard: 0x01, counterBoard: 0x02, keypad: 0x03 };
/** STATUS FLAGS bits (hardware/led-bus.md §5.2). */
export const STATUS_FLAG = {
  /** The device restarted since the flag was last cleared: a board's text and brightness are gone. */
  POWER_UP: 0x01,
} as const;
const KEY_CODE: Record<Key, number> = { next: 0x01, recall: 0x02, noShow: 0x03, pause: 0x04 };
/** A keypad returns at most this many events per poll (the rest on the next poll). */
export const MAX_EVENTS_PER_POLL = 8;

const byCode = <K extends string>(table: Record<K, number>, code: number): K | undefined =>
  (Object.keys(table) as K[]).find((k) => table[k] === code);

function requestFrame(req: BusRequest, seq: number): Frame {
  const f = (command: number, payload: number[] | Uint8Array): Frame => ({
    address: req.address,
    seq,
    command,
    payload: Uint8Array.from(payload),
  });
  switch (req.kind) {
    case 'ping':
      // No payload: read only. One byte: the flags to clear once the device has answered.
      return f(CMD.PING, req.clearPowerUp ? [STATUS_FLAG.POWER_UP] : []);
    case 'show': {
      const text = encodeText(req.text);
      const param =
        req.effect.kind === 'blink' ? req.effect.times : req.effect.kind === 'scroll' ? req.effect.speed : 0;
      const payload = new Uint8Array(3 + text.length);
      payload.set([req.area, EFFECT[req.effect.kind], param]);
      payload.set(text, 3);
      return f(CMD.SHOW, payload);
    }
    case 'clear':
      return f(CMD.CLEAR, [req.area]);
    case 'brightness':
      return f(CMD.BRIGHTNESS, [req.level]);
    case 'poll':
      return f(CMD.POLL, [req.session, req.ack]);
    default: {
      const _: never = req;
      return _;
    }
  }
}

/** Decodes the payload of a request frame; a string is the BAD_PAYLOAD detail. */
function requestFromFrame(fr: Frame): BusRequest | { nak: NakReason; detail: string } {
  const p = fr.payload;
  const address = fr.address;
  switch (fr.command) {
    case CMD.PING:
      if (p.length > 1) return { nak: 'BAD_PAYLOAD', detail: 'status takes no payload or [flags to clear]' };
      return p.length === 1 && (p[0]! & STATUS_FLAG.POWER_UP) !== 0
        ? { kind: 'ping', address, clearPowerUp: true }
        : { kind: 'ping', address };
    case CMD.SHOW: {
      if (p.length < 3) return { nak: 'BAD_PAYLOAD', detail: 'show needs area, effect, param' };
      const kind = byCode(EFFECT, p[1]!);
      if (!kind) return { nak: 'BAD_PAYLOAD', detail: `unknown effect 0x${p[1]!.toString(16)}` };
      const effect: Effect =
        kind === 'static' ? { kind } : kind === 'blink' ? { kind, times: p[2]! } : { kind, speed: p[2]! };
      return { kind: 'show', address, area: p[0]!, effect, text: decodeText(p.subarray(3)) };
    }
    case CMD.CLEAR:
      if (p.length !== 1) return { nak: 'BAD_PAYLOAD', detail: 'clear needs [area]' };
      return { kind: 'clear', address, area: p[0]! };
    case CMD.BRIGHTNESS:
      if (p.length !== 1 || p[0]! > 100) return { nak: 'BAD_PAYLOAD', detail: 'brightness needs [0–100]' };
      return { kind: 'brightness', address, level: p[0]! };
    case CMD.POLL:
      if (p.length !== 2) return { nak: 'BAD_PAYLOAD', detail: 'poll needs [session, ack]' };
      return { kind: 'poll', address, session: p[0]!, ack: p[1]! };
    default:
      return { nak: 'UNKNOWN_COMMAND', detail: `command 0x${fr.command.toString(16)}` };
  }
}

function replyPayload(reply: BusReply): { command: number; payload: number[] } {
  switch (reply.kind) {
    case 'ack':
      return { command: CMD.ACK, payload: [] };
    case 'nak':
      return { command: CMD.NAK, payload: [reply.reason === 'OTHER' ? 0xff : NAK_CODE[reply.reason]] };
    case 'status': {
      const s = reply.status;
      const [major, minor] = s.firmware.split('.').map((x) => Number.parseInt(x, 10) & 0xff);
      const type = typeof s.type === 'string' ? DEVICE_TYPE[s.type] : s.type.unknown & 0xff;
      const flags = s.poweredUp ? STATUS_FLAG.POWER_UP : 0;
      return {
        command: CMD.ACK,
        payload: [type, major ?? 0, minor ?? 0, s.columns & 0xff, s.rows & 0xff, flags],
      };
    }
    case 'keys': {
      const events = reply.events.slice(0, MAX_EVENTS_PER_POLL);
      return {
        command: CMD.ACK,
        payload: [
          reply.session,
          events.length,
          ...events.flatMap((e) => [e.n, typeof e.key === 'string' ? KEY_CODE[e.key] : e.key.unknown]),
        ],
      };
    }
    default: {
      const _: never = reply;
      return _;
    }
  }
}

function decodeAck(kind: RequestKind, p: Uint8Array): ReplyMatch {
  switch (kind) {
    case 'show':
    case 'clear':
    case 'brightness':
      return { match: 'reply', reply: { kind: 'ack' } };
    case 'ping': {
      // TYPE FW_MAJOR FW_MINOR COLUMNS ROWS FLAGS. Firmware written before FLAGS existed sends five
      // bytes: no flags. Bytes beyond six are for later versions and ignored.
      if (p.length < 5) return { match: 'malformed', detail: `status reply of ${p.length} bytes` };
      // A TYPE we do not know is still a device that answers: reported as such, never dropped.
      const type = byCode(DEVICE_TYPE, p[0]!) ?? { unknown: p[0]! };
      const poweredUp = ((p[5] ?? 0) & STATUS_FLAG.POWER_UP) !== 0;
      return {
        match: 'reply',
        reply: {
          kind: 'status',
          status: { type, firmware: `${p[1]}.${p[2]}`, columns: p[3]!, rows: p[4]!, poweredUp },
        },
      };
    }
    case 'poll': {
      if (p.length < 2 || p.length !== 2 + 2 * p[1]!)
        return { match: 'malformed', detail: `key reply of ${p.length} bytes` };
      const events: KeyEventOnWire[] = [];
      for (let i = 0; i < p[1]!; i++) {
        const code = p[3 + 2 * i]!;
        events.push({ n: p[2 + 2 * i]!, key: byCode(KEY_CODE, code) ?? { unknown: code } });
      }
      return { match: 'reply', reply: { kind: 'keys', session: p[0]!, events } };
    }
    default: {
      const _: never = kind;
      return _;
    }
  }
}

/** Cuts the byte stream into decoded frames and rejections (both pushed, so rejects can be counted). */
export class V1FrameParser extends Transform {
  private readonly decoder = new FrameDecoder();
  constructor() {
    super({ readableObjectMode: true });
  }
  override _transform(chunk: Buffer, _enc: BufferEncoding, cb: TransformCallback): void {
    for (const ev of this.decoder.push(chunk)) this.push(ev);
    cb();
  }
}

const isEvent = (u: unknown): u is DecodeEvent => typeof u === 'object' && u !== null && 'ok' in u;

/** Nextup LED bus protocol v1 (hardware/led-bus.md). */
export const v1Dialect: Dialect = {
  id: 'v1',
  description: {
    zh: 'Nextup LED 总线协议 v1（二进制帧、CRC-16/MODBUS、应答与重发）',
    en: 'Nextup LED bus protocol v1 (binary frames, CRC-16/MODBUS, ACK/NAK and retries)',
  },
  supports: new Set<RequestKind>(['show', 'clear', 'brightness', 'ping', 'poll']),
  sequenced: true,
  createParser: () => new V1FrameParser(),
  encodeRequest: (req, seq) => encodeFrame(requestFrame(req, seq)),
  matchReply(unit, req, seq) {
    if (!isEvent(unit) || !unit.ok) return { match: 'none' };
    const fr = unit.frame;
    // Only the addressed device answers, echoing the request's SEQ; anything else is not ours.
    if (req.address === BROADCAST || fr.address !== req.address || fr.seq !== seq) return { match: 'none' };
    if (fr.command === CMD.NAK) {
      const reason = fr.payload.length >= 1 ? byCode(NAK_CODE, fr.payload[0]!) : undefined;
      return {
        match: 'reply',
        reply: reason
          ? { kind: 'nak', reason }
          : { kind: 'nak', reason: 'OTHER', detail: `reason 0x${(fr.payload[0] ?? 0).toString(16)}` },
      };
    }
    if (fr.command !== CMD.ACK) return { match: 'none' }; // a request frame (bus echo), not a reply
    return decodeAck(req.kind, fr.payload);
  },
  rejection: (unit) => (isEvent(unit) && !unit.ok ? { reason: unit.reason, bytes: unit.bytes } : null),
  device: {
    decodeRequest(unit): DeviceInput {
      if (!isEvent(unit)) return { type: 'reject', reason: 'NOISE', bytes: 0 };
      if (!unit.ok) {
        // A frame whose CRC failed still says (untrusted) whom it was for: that device may NAK it so
        // the master retries at once instead of waiting out its timeout.
        if (unit.reason === 'BAD_CRC' && unit.claimed && unit.claimed.address !== BROADCAST)
          return {
            type: 'invalid',
            address: unit.claimed.address,
            seq: unit.claimed.seq,
            reason: 'BAD_CRC',
            detail: 'CRC mismatch',
          };
        return { type: 'reject', reason: unit.reason, bytes: unit.bytes };
      }
      const fr = unit.frame;
      if (fr.command === CMD.ACK || fr.command === CMD.NAK) return { type: 'reply' };
      const r = requestFromFrame(fr);
      if ('nak' in r) {
        if (fr.address === BROADCAST) return { type: 'reject', reason: r.nak, bytes: 0 };
        return { type: 'invalid', address: fr.address, seq: fr.seq, reason: r.nak, detail: r.detail };
      }
      const fp = `${fr.seq}:${fr.command}:${Buffer.from(fr.payload).toString('hex')}`;
      return { type: 'request', request: r, seq: fr.seq, fingerprint: fp };
    },
    encodeReply(reply, to) {
      const { command, payload } = replyPayload(reply);
      return encodeFrame({ address: to.address, seq: to.seq, command, payload: Uint8Array.from(payload) });
    },
  },
};
