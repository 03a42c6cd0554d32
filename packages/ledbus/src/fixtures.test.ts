import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { encodeFrame, FrameDecoder, fromHex, toHex } from './codec/frame.ts';
import { docCrc } from './conformance/doc-device.ts';
import { lineDialect } from './dialects/line.ts';
import type { Dialect } from './dialects/types.ts';
import { v1Dialect } from './dialects/v1.ts';
import type { BusReply, BusRequest } from './model.ts';

const hardware = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'hardware');
const dir = join(hardware, 'fixtures', 'led-bus');
const fixture = (name: string) => fromHex(readFileSync(join(dir, `${name}.hex`), 'utf8'));

type Golden =
  | { dialect: Dialect; request: BusRequest; seq: number }
  | { dialect: Dialect; reply: BusReply; to: BusRequest; seq: number }
  /** A byte stream a receiver must cut into exactly these frames (led-bus.md §2.1). */
  | { dialect: Dialect; stream: { request: BusRequest; seq: number }[] };

const ping3: BusRequest = { kind: 'ping', address: 3 };
const show3: BusRequest = {
  kind: 'show',
  address: 3,
  area: 0,
  effect: { kind: 'blink', times: 3 },
  text: 'A023 请到3号窗口',
};
const counterStatus = { type: 'counterBoard', firmware: '1.2', columns: 16, rows: 1 } as const;
const main200: BusRequest = { kind: 'ping', address: 200 };
const poll101: BusRequest = { kind: 'poll', address: 101, session: 0, ack: 0 };
const pollAck: BusRequest = { kind: 'poll', address: 101, session: 0x5a, ack: 2 };
const v1 = v1Dialect;
const line = lineDialect;

/** Every golden file and what it means; the bytes are in hardware/fixtures/led-bus/ and in led-bus.md. */
const GOLDEN: Record<string, Golden> = {
  'ping-request': { dialect: v1, request: ping3, seq: 1 },
  'ping-reply': {
    dialect: v1,
    reply: { kind: 'status', status: { ...counterStatus, poweredUp: false } },
    to: ping3,
    seq: 1,
  },
  'ping-clear-request': { dialect: v1, request: { kind: 'ping', address: 3, clearPowerUp: true }, seq: 8 },
  'ping-reply-powered-up': {
    dialect: v1,
    reply: { kind: 'status', status: { ...counterStatus, poweredUp: true } },
    to: { kind: 'ping', address: 3, clearPowerUp: true },
    seq: 8,
  },
  'main-status-reply': {
    dialect: v1,
    reply: {
      kind: 'status',
      status: { type: 'mainBoard', firmware: '1.0', columns: 64, rows: 4, poweredUp: false },
    },
    to: main200,
    seq: 1,
  },
  'main-line1-request': {
    dialect: v1,
    request: {
      kind: 'show',
      address: 200,
      area: 1,
      effect: { kind: 'blink', times: 3 },
      text: 'A023 请到3号窗口',
    },
    seq: 8,
  },
  'main-clear-line4-request': { dialect: v1, request: { kind: 'clear', address: 200, area: 4 }, seq: 9 },
  'nak-busy': { dialect: v1, reply: { kind: 'nak', reason: 'BUSY' }, to: show3, seq: 9 },
  'stream-bad-escape-then-stx': { dialect: v1, stream: [{ request: ping3, seq: 1 }] },
  'stream-bad-escape': { dialect: v1, stream: [{ request: ping3, seq: 1 }] },
  'show-request': { dialect: v1, request: show3, seq: 2 },
  'show-ack': { dialect: v1, reply: { kind: 'ack' }, to: show3, seq: 2 },
  'show-scroll-line2-request': {
    dialect: v1,
    request: {
      kind: 'show',
      address: 200,
      area: 2,
      effect: { kind: 'scroll', speed: 8 },
      text: '请 A023 号到 3 号窗口办理',
    },
    seq: 7,
  },
  'show-broadcast': {
    dialect: v1,
    request: { kind: 'show', address: 0, area: 0, effect: { kind: 'static' }, text: '欢迎光临' },
    seq: 1,
  },
  'clear-request': { dialect: v1, request: { kind: 'clear', address: 3, area: 0 }, seq: 3 },
  'brightness-request': { dialect: v1, request: { kind: 'brightness', address: 3, level: 80 }, seq: 4 },
  'poll-first-request': { dialect: v1, request: poll101, seq: 1 },
  'poll-reply': {
    dialect: v1,
    reply: {
      kind: 'keys',
      session: 0x5a,
      events: [
        { n: 1, key: 'next' },
        { n: 2, key: 'recall' },
      ],
    },
    to: poll101,
    seq: 1,
  },
  'poll-ack-request': { dialect: v1, request: pollAck, seq: 2 },
  'poll-empty-reply': {
    dialect: v1,
    reply: { kind: 'keys', session: 0x5a, events: [] },
    to: pollAck,
    seq: 2,
  },
  'nak-bad-crc': { dialect: v1, reply: { kind: 'nak', reason: 'BAD_CRC' }, to: ping3, seq: 5 },
  'nak-bad-payload': { dialect: v1, reply: { kind: 'nak', reason: 'BAD_PAYLOAD' }, to: show3, seq: 6 },
  'line-show-request': {
    dialect: line,
    request: { kind: 'show', address: 3, area: 0, effect: { kind: 'static' }, text: 'A023 请到3号窗口' },
    seq: 0,
  },
  'line-ping-request': { dialect: line, request: ping3, seq: 0 },
  'line-ping-3digit-request': { dialect: line, request: main200, seq: 0 },
  'line-brightness-request': {
    dialect: line,
    request: { kind: 'brightness', address: 3, level: 80 },
    seq: 0,
  },
  'line-status-reply': {
    dialect: line,
    reply: {
      kind: 'status',
      status: { type: 'counterBoard', firmware: '1.0', columns: 16, rows: 1, poweredUp: false },
    },
    to: ping3,
    seq: 0,
  },
  'line-ok-reply': { dialect: line, reply: { kind: 'ack' }, to: show3, seq: 0 },
};

/** Units as the dialect's own parser cuts them from the bytes. */
async function unitsOf(dialect: Dialect, bytes: Uint8Array): Promise<unknown[]> {
  const parser = dialect.createParser();
  const units: unknown[] = [];
  parser.on('data', (u) => units.push(u));
  parser.end(Buffer.from(bytes));
  await new Promise((r) => parser.once('end', r).resume());
  return units.filter((u) => u !== '');
}

describe('golden LED bus fixtures (hardware/fixtures/led-bus)', () => {
  it('has a meaning in this test for every fixture file, and a file for every meaning', () => {
    const files = readdirSync(dir)
      .filter((f) => f.endsWith('.hex'))
      .map((f) => f.replace(/\.hex$/, ''))
      .sort();
    expect(files).toEqual(Object.keys(GOLDEN).sort());
  });

  it('prints every fixture in hardware/led-bus.md, byte for byte', () => {
    const doc = readFileSync(join(hardware, 'led-bus.md'), 'utf8');
    for (const name of Object.keys(GOLDEN)) expect(doc, name).toContain(toHex(fixture(name)));
  });

  for (const [name, g] of Object.entries(GOLDEN)) {
    it(`${name}: encodes to the golden bytes and decodes back`, async () => {
      const bytes = fixture(name);
      if ('stream' in g) {
        // Every split of the stream into two reads gives the same frames.
        for (let cut = 0; cut <= bytes.length; cut++) {
          const d = new FrameDecoder();
          const frames = [...d.push(bytes.subarray(0, cut)), ...d.push(bytes.subarray(cut))].filter(
            (e) => e.ok,
          );
          expect(
            frames.map((f) => g.dialect.device.decodeRequest(f)),
            `cut at ${cut}`,
          ).toMatchObject(g.stream.map((x) => ({ type: 'request', request: x.request, seq: x.seq })));
        }
        return;
      }
      const [unit, ...rest] = await unitsOf(g.dialect, bytes);
      expect(rest).toEqual([]);
      if ('request' in g) {
        expect(toHex(g.dialect.encodeRequest(g.request, g.seq))).toBe(toHex(bytes));
        expect(g.dialect.device.decodeRequest(unit)).toMatchObject({ type: 'request', request: g.request });
      } else {
        const to = { address: g.to.address, seq: g.seq, kind: g.to.kind };
        expect(toHex(g.dialect.device.encodeReply(g.reply, to))).toBe(toHex(bytes));
        expect(g.dialect.matchReply(unit, g.to, g.seq)).toEqual({ match: 'reply', reply: g.reply });
      }
    });
  }

  it('v1 frames carry the CRC-16/MODBUS the document describes (an implementation from the text alone)', () => {
    for (const name of Object.keys(GOLDEN).filter(
      (n) => GOLDEN[n]!.dialect === v1 && !n.startsWith('stream-'),
    )) {
      const [ev] = new FrameDecoder().push(fixture(name));
      expect(ev?.ok, name).toBe(true);
      if (!ev?.ok) continue;
      const f = ev.frame;
      const body = [f.address, f.seq, f.command, f.payload.length, ...f.payload];
      expect(docCrc(body), name).toBe(crcOf(fixture(name)));
    }
  });

  it('v1: a device takes a STATUS with two payload bytes for a bad payload, and a five-byte STATUS reply for FLAGS 00', () => {
    const bad = new FrameDecoder().push(
      encodeFrame({ address: 3, seq: 1, command: 0x01, payload: Uint8Array.of(1, 0) }),
    )[0];
    expect(v1.device.decodeRequest(bad)).toMatchObject({ type: 'invalid', reason: 'BAD_PAYLOAD' });
    const old = new FrameDecoder().push(
      encodeFrame({ address: 3, seq: 1, command: 0x06, payload: Uint8Array.of(2, 1, 2, 16, 1) }),
    )[0];
    expect(v1.matchReply(old, ping3, 1)).toEqual({
      match: 'reply',
      reply: { kind: 'status', status: { ...counterStatus, poweredUp: false } },
    });
  });

  it('v1: a STATUS reply with a TYPE we do not know is a device of unknown type, not a bad reply', () => {
    const odd = new FrameDecoder().push(
      encodeFrame({ address: 9, seq: 1, command: 0x06, payload: Uint8Array.of(0x07, 2, 0, 32, 2, 1) }),
    )[0];
    expect(v1.matchReply(odd, { kind: 'ping', address: 9 }, 1)).toEqual({
      match: 'reply',
      reply: {
        kind: 'status',
        status: { type: { unknown: 7 }, firmware: '2.0', columns: 32, rows: 2, poweredUp: true },
      },
    });
  });

  it('v1: a reply with another SEQ or from another address does not answer the request', () => {
    const [ev] = new FrameDecoder().push(fixture('show-ack'));
    expect(v1.matchReply(ev, show3, 3)).toEqual({ match: 'none' });
    expect(v1.matchReply(ev, { ...show3, address: 4 }, 2)).toEqual({ match: 'none' });
  });
});

/** The CRC a v1 frame carries on the wire (the two unescaped bytes before ETX, low first). */
function crcOf(wire: Uint8Array): number {
  const body: number[] = [];
  for (let i = 1; i < wire.length - 1; i++) {
    if (wire[i] === 0x10) body.push(wire[++i]! ^ 0x20);
    else body.push(wire[i]!);
  }
  return body[body.length - 2]! | (body[body.length - 1]! << 8);
}
