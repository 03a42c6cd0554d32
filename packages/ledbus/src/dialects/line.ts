import type { TransformCallback } from 'node:stream';
import { ReadlineParser } from '@serialport/parser-readline';
import {
  BROADCAST,
  type BusReply,
  type BusRequest,
  type DeviceType,
  type NakReason,
  type RequestKind,
} from '../model.ts';
import { decodeText, encodeText } from '../text.ts';
import type { DeviceInput, Dialect, ReplyMatch } from './types.ts';

/**
 * The plain line protocol of cheap single-line boards (hardware/led-bus.md, "The line dialect"):
 *
 *   @3:A023 请到3号窗口\r\n   show text (GB18030), whole board, static
 *   @3:\r\n                  clear
 *   @3#80\r\n                brightness 80 %
 *   @3?\r\n                  status → OK LED 16x1 V1.0\r\n
 *   OK\r\n / ERR BUSY\r\n     the board's answer (no answer to @0, the broadcast)
 *
 * No CRC, no sequence number, no areas or effects: what such boards offer. It exists to prove that a
 * vendor protocol plugs in behind the same `Dialect` interface as v1.
 */
const CRLF = '\r\n';
/** Lines are read as latin1 so each char is one byte: the GB18030 text survives the parser intact. */
const LATIN1 = 'latin1';

const TYPE_WORD: Record<DeviceType, string> = { mainBoard: 'MAIN', counterBoard: 'LED', keypad: 'KEY' };
const ERR_WORD: Record<NakReason, string> = {
  BAD_CRC: 'CRC',
  UNKNOWN_COMMAND: 'CMD',
  BAD_PAYLOAD: 'ARG',
  BUSY: 'BUSY',
  OTHER: 'FAIL',
};

const bytesOf = (s: string) => Buffer.from(s, LATIN1);

/** The longest line kept while waiting for CR LF: a board's text plus room; noise beyond is cut. */
const MAX_LINE = 512;

/**
 * serialport's readline parser, bounded: it buffers without limit until a delimiter comes, so a
 * line of noise with no CR LF would grow memory for ever. Only the last MAX_LINE bytes are kept;
 * the cut-down line still arrives (and is rejected as noise) when a CR LF finally comes.
 */
class BoundedReadlineParser extends ReadlineParser {
  override _transform(chunk: Buffer, encoding: BufferEncoding, cb: TransformCallback): void {
    super._transform(chunk, encoding, (err) => {
      if (this.buffer.length > MAX_LINE) this.buffer = this.buffer.subarray(this.buffer.length - MAX_LINE);
      cb(err);
    });
  }
}

function requestLine(req: BusRequest): Buffer {
  const head = `@${req.address}`;
  switch (req.kind) {
    case 'show': {
      // CR or LF inside the text would end the line early: a board shows one line anyway.
      const text = encodeText(req.text.replace(/[\r\n]+/g, ' '));
      return Buffer.concat([bytesOf(`${head}:`), text, bytesOf(CRLF)]);
    }
    case 'clear':
      return bytesOf(`${head}:${CRLF}`);
    case 'brightness':
      return bytesOf(`${head}#${req.level}${CRLF}`);
    case 'ping':
      return bytesOf(`${head}?${CRLF}`);
    case 'poll':
      throw new TypeError('the line dialect has no keypad poll');
    default: {
      const _: never = req;
      return _;
    }
  }
}

const REQUEST = /^@(\d{1,3})([:#?])([\s\S]*)$/;

function parseRequest(line: string): DeviceInput {
  const m = REQUEST.exec(line);
  if (!m) {
    if (/^(OK|ERR)\b/.test(line)) return { type: 'reply' };
    return { type: 'reject', reason: 'NOISE', bytes: line.length + 2 };
  }
  const address = Number(m[1]);
  const op = m[2]!;
  const rest = m[3]!;
  if (address > 247) return { type: 'reject', reason: 'BAD_ADDRESS', bytes: line.length + 2 };
  const invalid = (reason: NakReason, detail: string): DeviceInput =>
    address === BROADCAST
      ? { type: 'reject', reason, bytes: line.length + 2 }
      : { type: 'invalid', address, seq: 0, reason, detail };
  let request: BusRequest;
  if (op === ':') {
    request =
      rest === ''
        ? { kind: 'clear', address, area: 0 }
        : { kind: 'show', address, area: 0, effect: { kind: 'static' }, text: decodeText(bytesOf(rest)) };
  } else if (op === '#') {
    if (!/^\d{1,3}$/.test(rest) || Number(rest) > 100) return invalid('BAD_PAYLOAD', 'brightness 0–100');
    request = { kind: 'brightness', address, level: Number(rest) };
  } else {
    if (rest !== '') return invalid('BAD_PAYLOAD', 'status takes nothing');
    request = { kind: 'ping', address };
  }
  return { type: 'request', request, seq: 0, fingerprint: null };
}

function parseReply(line: string, kind: RequestKind): ReplyMatch {
  if (line.startsWith('ERR')) {
    const word = line.slice(3).trim().split(/\s+/)[0] ?? '';
    const reason = (Object.keys(ERR_WORD) as NakReason[]).find((r) => ERR_WORD[r] === word) ?? 'OTHER';
    return { match: 'reply', reply: { kind: 'nak', reason, detail: line.slice(0, 40) } };
  }
  if (line !== 'OK' && !line.startsWith('OK ')) return { match: 'none' };
  if (kind !== 'ping') return { match: 'reply', reply: { kind: 'ack' } };
  // OK LED 16x1 V1.0
  const m = /^OK (\w+) (\d{1,3})x(\d{1,3}) V(\d+)\.(\d+)$/.exec(line);
  if (!m) return { match: 'malformed', detail: `status line "${line.slice(0, 40)}"` };
  // A type word we do not know is still a board that answers (the line dialect has no type codes: 0).
  const type = (Object.keys(TYPE_WORD) as DeviceType[]).find((t) => TYPE_WORD[t] === m[1]) ?? { unknown: 0 };
  return {
    match: 'reply',
    reply: {
      kind: 'status',
      // No power-up flag in this dialect: a restarted board is noticed only when it was silent.
      status: {
        type,
        columns: Number(m[2]),
        rows: Number(m[3]),
        firmware: `${m[4]}.${m[5]}`,
        poweredUp: false,
      },
    },
  };
}

function replyLine(reply: BusReply): string {
  switch (reply.kind) {
    case 'ack':
      return `OK${CRLF}`;
    case 'nak':
      return `ERR ${ERR_WORD[reply.reason]}${CRLF}`;
    case 'status': {
      const s = reply.status;
      // The line dialect has no power-up flag and no numeric types: an unknown type says UNKNOWN.
      const word = typeof s.type === 'string' ? TYPE_WORD[s.type] : 'UNKNOWN';
      return `OK ${word} ${s.columns}x${s.rows} V${s.firmware}${CRLF}`;
    }
    case 'keys':
      throw new TypeError('the line dialect has no keypad poll');
    default: {
      const _: never = reply;
      return _;
    }
  }
}

export const lineDialect: Dialect = {
  id: 'line',
  description: {
    zh: '简易行协议（@地址:文本 回车换行，OK/ERR 应答），用于低价单行屏',
    en: 'plain line protocol (@ADDR:TEXT CR LF, OK/ERR replies) of cheap single-line boards',
  },
  supports: new Set<RequestKind>(['show', 'clear', 'brightness', 'ping']),
  sequenced: false,
  createParser: () => new BoundedReadlineParser({ delimiter: CRLF, encoding: LATIN1 }),
  encodeRequest: (req) => new Uint8Array(requestLine(req)),
  matchReply(unit, req) {
    // One transaction at a time and no addresses in replies: any OK/ERR line answers the request.
    if (typeof unit !== 'string' || req.address === BROADCAST) return { match: 'none' };
    return parseReply(unit, req.kind);
  },
  rejection: (unit) =>
    typeof unit === 'string' && !/^(OK|ERR)\b/.test(unit) && !unit.startsWith('@')
      ? { reason: 'NOISE', bytes: unit.length + 2 }
      : null,
  device: {
    decodeRequest: (unit) =>
      typeof unit === 'string' ? parseRequest(unit) : { type: 'reject', reason: 'NOISE', bytes: 0 },
    encodeReply: (reply) => new Uint8Array(bytesOf(replyLine(reply))),
  },
};
