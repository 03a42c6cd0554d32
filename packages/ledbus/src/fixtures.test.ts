import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { FrameDecoder, fromHex, toHex } from './codec/frame.ts';
import { lineDialect } from './dialects/line.ts';
import type { Dialect } from './dialects/types.ts';
import { v1Dialect } from './dialects/v1.ts';
import type { BusReply, BusRequest } from './model.ts';

const hardware = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'hardware');
const dir = join(hardware, 'fixtures', 'led-bus');
const fixture = (name: string) => fromHex(readFileSync(join(dir, `${name}.hex`), 'utf8'));

type Golden =
  | { dialect: Dialect; request: BusRequest; seq: number }
  | { dialect: Dialect; reply: BusReply; to: BusRequest; seq: number };

const ping3: BusRequest = { kind: 'ping', address: 3 };
const show3: BusRequest = {
  kind: 'show',
  address: 3,
  area: 0,
  effect: { kind: 'blink', times: 3 },
  text: 'A023 请到3号窗口',
};
const poll101: BusRequest = { kind: 'poll', address: 101, session: 0, ack: 0 };
const pollAck: BusRequest = { kind: 'poll', address: 101, session: 0x5a, ack: 2 };
const v1 = v1Dialect;
const line = lineDialect;

/** Every golden file and what it means; the bytes are in hardware/fixtures/led-bus/ and in led-bus.md. */
const GOLDEN: Record<string, Golden> = {
  'ping-request': { dialect: v1, request: ping3, seq: 1 },
  'ping-reply': {
    dialect: v1,
    reply: { kind: 'status', status: { type: 'counterBoard', firmware: '1.2', columns: 16, rows: 1 } },
    to: ping3,
    seq: 1,
  },
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
  'line-status-reply': {
    dialect: line,
    reply: { kind: 'status', status: { type: 'counterBoard', firmware: '1.0', columns: 16, rows: 1 } },
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

  it('v1: a reply with another SEQ or from another address does not answer the request', () => {
    const [ev] = new FrameDecoder().push(fixture('show-ack'));
    expect(v1.matchReply(ev, show3, 3)).toEqual({ match: 'none' });
    expect(v1.matchReply(ev, { ...show3, address: 4 }, 2)).toEqual({ match: 'none' });
  });
});
