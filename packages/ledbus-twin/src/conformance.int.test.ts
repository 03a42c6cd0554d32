import { type DocFrame, DocReceiver, docFrame } from '@nextup/ledbus/testing';
import { openPtyPair, type PtyPair } from '@nextup/ptypair';
import { SerialPort } from 'serialport';
import { afterEach, describe, expect, it } from 'vitest';
import { type RunningVirtualBus, type StartVirtualBusOptions, startVirtualBus } from './service.ts';

/**
 * The virtual bus (our board and keypad twin) against the document's device rules, driven by a raw
 * master: bytes written straight onto the other end of a socat pty pair, replies read back with the
 * document-only receiver of `@nextup/ledbus/testing` (packages/ledbus/src/conformance/doc-device.ts).
 */

interface Raw {
  vb: RunningVirtualBus;
  /** Writes bytes and returns the `n` frames that answer them (waiting for them, then a moment more). */
  send(bytes: Buffer | string, n?: number): Promise<DocFrame[]>;
  /** Writes bytes that must get no answer: true when the probe sent after them is answered first. */
  silent(bytes: Buffer | string): Promise<boolean>;
  /** Line dialect: writes a line and returns the `n` reply lines. */
  lines(bytes: string, n?: number): Promise<string[]>;
  close(): Promise<void>;
}
let raw: Raw | null = null;
afterEach(async () => {
  await raw?.close();
  raw = null;
});

/** Every twin here has a probe board at 9: replies come in order, so its answer closes a window. */
const PROBE = 9;

async function openRaw(options: Omit<StartVirtualBusOptions, 'pair'> = {}): Promise<Raw> {
  const pair: PtyPair = await openPtyPair();
  const vb = await startVirtualBus({ pair, ...options, boards: [...(options.boards ?? []), PROBE] });
  const port = new SerialPort({ path: pair.a, baudRate: 9600, autoOpen: false });
  await new Promise<void>((resolve, reject) => port.open((e) => (e ? reject(e) : resolve())));
  let got = Buffer.alloc(0);
  port.on('data', (c: Buffer) => {
    got = Buffer.concat([got, c]);
  });
  const write = (bytes: Buffer | string) =>
    port.write(typeof bytes === 'string' ? Buffer.from(bytes, 'latin1') : bytes);
  const framesOf = (b: Buffer) => {
    const frames: DocFrame[] = [];
    new DocReceiver((f) => frames.push(f)).push(b);
    return frames;
  };
  const linesOf = (b: Buffer) =>
    b
      .toString('latin1')
      .split('\r\n')
      .slice(0, -1)
      .filter((l) => l !== '');
  const until = async (done: () => boolean) => {
    const deadline = Date.now() + 5000;
    while (!done() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
    await new Promise((r) => setTimeout(r, 20)); // anything extra would come right behind
  };
  let probeSeq = 0;
  raw = {
    vb,
    async send(bytes, n = 1) {
      got = Buffer.alloc(0);
      write(bytes);
      await until(() => framesOf(got).length >= n);
      return framesOf(got);
    },
    async silent(bytes) {
      got = Buffer.alloc(0);
      write(bytes);
      if (vb.bus.dialect.id === 'line') {
        write(`@${PROBE}?\r\n`);
        await until(() => linesOf(got).length >= 1);
        return linesOf(got).length === 1 && linesOf(got)[0]!.startsWith('OK LED');
      }
      probeSeq = (probeSeq % 250) + 1;
      write(docFrame(PROBE, probeSeq, 0x01));
      await until(() => framesOf(got).length >= 1);
      const frames = framesOf(got);
      return frames.length === 1 && frames[0]!.addr === PROBE;
    },
    async lines(bytes, n = 1) {
      got = Buffer.alloc(0);
      write(bytes);
      await until(() => linesOf(got).length >= n);
      return linesOf(got);
    },
    async close() {
      await new Promise<void>((r) => port.close(() => r()));
      await vb.close();
      await pair.close();
    },
  };
  return raw;
}

const status3 = () => docFrame(3, 1, 0x01);
const show3 = (seq: number, text: string) =>
  docFrame(3, seq, 0x10, [0, 0, 0, ...Buffer.from(text, 'latin1')]);

describe('the virtual board keeps the device rules of led-bus.md', () => {
  it('§2.1: a bad escape cut short by 02, and one followed by garbage, still leave the STATUS after them', async () => {
    const r = await openRaw({ boards: [3], mainBoards: [], keypads: [] });
    for (const stream of [
      '02 10 23 01 10 02 10 23 01 01 00 50 30 03',
      '02 10 23 01 10 41 01 00 50 30 03 02 10 23 01 01 00 50 30 03',
    ]) {
      const frames = await r.send(Buffer.from(stream.replace(/ /g, ''), 'hex'));
      expect(
        frames.map((f) => [f.addr, f.seq, f.cmd]),
        stream,
      ).toEqual([[3, 1, 0x06]]);
    }
  });

  it('§6: does nothing at all on an ACK or NAK frame with its own address, and its memory stays', async () => {
    const r = await openRaw({ boards: [3], mainBoards: [], keypads: [] });
    expect(await r.send(show3(2, 'A001'))).toHaveLength(1);
    expect(await r.silent(docFrame(3, 2, 0x06))).toBe(true);
    expect(await r.silent(docFrame(3, 7, 0x15, [0x01]))).toBe(true);
    // The repeat of SEQ 2 is still known for what it is: answered, not done again.
    expect((await r.send(show3(2, 'A001'))).map((f) => f.cmd)).toEqual([0x06]);
    expect(r.vb.bus.snapshot().boards[0]).toMatchObject({ shows: 1 });
    expect(r.vb.bus.snapshot().stats.duplicates).toBe(1);
  });

  it('§4.1: a request refused BUSY is not remembered, so its repeat is carried out', async () => {
    const r = await openRaw({ boards: [3], mainBoards: [], keypads: [] });
    r.vb.bus.busy(3, 1);
    expect((await r.send(show3(5, 'B1'))).map((f) => [f.cmd, f.payload])).toEqual([[0x15, [0x04]]]);
    expect(r.vb.bus.textOf(3)).toBeNull();
    expect((await r.send(show3(5, 'B1'))).map((f) => f.cmd)).toEqual([0x06]);
    expect(r.vb.bus.textOf(3)).toBe('B1');
    expect(r.vb.bus.snapshot().stats.duplicates).toBe(0);
  });

  it('§4.1: after a damaged copy is refused NAK 01, the repeat of the request before it is still recognised', async () => {
    const r = await openRaw({ boards: [3], mainBoards: [], keypads: [] });
    const req = show3(6, 'C1');
    await r.send(req);
    const damaged = Buffer.from(req);
    damaged[damaged.length - 2]! ^= 0x40;
    expect((await r.send(damaged)).map((f) => [f.cmd, f.payload])).toEqual([[0x15, [0x01]]]);
    expect((await r.send(req)).map((f) => f.cmd)).toEqual([0x06]);
    expect(r.vb.bus.snapshot().boards[0]).toMatchObject({ shows: 1 });
  });

  it('§4: a broadcast is forgotten once the board acts on its own request, so the same broadcast shows again', async () => {
    const r = await openRaw({ boards: [3], mainBoards: [], keypads: [] });
    const welcome = docFrame(0, 1, 0x10, [0, 0, 0, ...Buffer.from('WELCOME', 'latin1')]);
    expect(await r.silent(welcome)).toBe(true);
    expect(r.vb.bus.textOf(3)).toBe('WELCOME');
    await r.send(show3(2, 'A001'));
    expect(await r.silent(welcome)).toBe(true); // a master restarted since: SEQ 1 again, same bytes
    expect(r.vb.bus.textOf(3)).toBe('WELCOME');
  });

  it('§5.2: reports POWER_UP until a STATUS clears it (read and clear), and again after a power cycle', async () => {
    const r = await openRaw({ boards: [3], mainBoards: [], keypads: [] });
    const flags = async (seq: number, clear: boolean) =>
      (await r.send(docFrame(3, seq, 0x01, clear ? [1] : [])))[0]!.payload[5];
    expect(await flags(1, false)).toBe(1);
    expect(await flags(2, true)).toBe(1);
    expect(await flags(2, true)).toBe(1); // the repeat is answered from memory
    expect(await flags(3, false)).toBe(0);
    await r.send(show3(4, 'X'));
    await r.send(docFrame(3, 5, 0x12, [30]));
    r.vb.bus.powerCycle(3);
    expect(r.vb.bus.snapshot().boards[0]).toMatchObject({ areas: [], brightness: 100, poweredUp: true });
    expect(await flags(6, true)).toBe(1);
    expect(await r.send(docFrame(3, 7, 0x01, [1, 0]))).toMatchObject([{ cmd: 0x15, payload: [0x03] }]);
    expect((await r.send(status3()))[0]!.payload).toHaveLength(6);
  });

  it('§5.1: a line replaces a whole-board text, a whole-board text replaces every line', async () => {
    const r = await openRaw({ boards: [], mainBoards: [200], keypads: [] });
    const main = () => r.vb.bus.snapshot().boards.find((b) => b.address === 200)!;
    const show = (seq: number, area: number, text: string) =>
      r.send(docFrame(200, seq, 0x10, [area, 0, 0, ...Buffer.from(text, 'latin1')]));
    await show(1, 1, 'L1');
    await show(2, 2, 'L2');
    expect(main().areas.map((a) => [a.area, a.text])).toEqual([
      [1, 'L1'],
      [2, 'L2'],
    ]);
    await show(3, 0, 'ALL');
    expect(main().areas.map((a) => [a.area, a.text])).toEqual([[0, 'ALL']]);
    await show(4, 3, 'L3');
    expect(main().areas.map((a) => [a.area, a.text])).toEqual([[3, 'L3']]);
    expect((await show(5, 5, 'no such line'))[0]).toMatchObject({ cmd: 0x15, payload: [0x03] });
  });

  it('§7.1: a keypad ignores an ACK for a number it never issued in its session', async () => {
    const r = await openRaw({ boards: [], mainBoards: [], keypads: [101] });
    const session = r.vb.bus.snapshot().keypads[0]!.session;
    r.vb.bus.press(101, 'next');
    r.vb.bus.press(101, 'recall');
    const poll = (seq: number, s: number, ack: number) => r.send(docFrame(101, seq, 0x20, [s, ack]));
    // ACK 40 in our session: ahead of the newest number issued (2), so it drops nothing.
    expect((await poll(1, session, 40))[0]!.payload).toEqual([session, 2, 1, 1, 2, 2]);
    expect((await poll(2, session, 1))[0]!.payload).toEqual([session, 1, 2, 2]);
    expect((await poll(3, session, 2))[0]!.payload).toEqual([session, 0]);
  });

  it('§7.1: a keypad that restarts takes another SESSION, never 0', async () => {
    const r = await openRaw({ boards: [], mainBoards: [], keypads: [101] });
    const seen = [r.vb.bus.snapshot().keypads[0]!.session];
    for (let i = 0; i < 50; i++) {
      r.vb.bus.powerCycle(101);
      seen.push(r.vb.bus.snapshot().keypads[0]!.session);
    }
    for (let i = 1; i < seen.length; i++) {
      expect(seen[i]).not.toBe(seen[i - 1]);
      expect(seen[i]).toBeGreaterThanOrEqual(1);
      expect(seen[i]).toBeLessThanOrEqual(255);
    }
  });
});

describe('the virtual line-dialect board keeps §8', () => {
  it('takes its address in decimal, with or without leading zeros, and ignores other and reserved addresses', async () => {
    const r = await openRaw({ dialect: 'line', boards: [3], mainBoards: [200], keypads: [] });
    expect(await r.lines('@3?\r\n')).toEqual(['OK LED 16x1 V1.0']);
    expect(await r.lines('@003?\r\n')).toEqual(['OK LED 16x1 V1.0']);
    expect(await r.lines('@200?\r\n')).toEqual(['OK MAIN 64x4 V1.0']);
    expect(await r.lines('@03:A023\r\n')).toEqual(['OK']);
    expect(r.vb.bus.textOf(3)).toBe('A023');
    expect(await r.silent('@4?\r\n')).toBe(true);
    expect(await r.silent('@248?\r\n')).toBe(true);
    expect(await r.silent('@ 3?\r\n')).toBe(true);
    expect(await r.lines('@3#101\r\n')).toEqual(['ERR ARG']);
    expect(await r.silent('@0:ALL\r\n')).toBe(true);
    expect([r.vb.bus.textOf(3), r.vb.bus.textOf(200), r.vb.bus.textOf(PROBE)]).toEqual(['ALL', 'ALL', 'ALL']);
  });
});
