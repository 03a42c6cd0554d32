import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { HealthComponent } from '@nextup/protocol';
import { openPtyPair, type PtyPair } from '@nextup/ptypair';
import { afterEach, describe, expect, it } from 'vitest';
import { BusMaster, type BusMasterOptions } from '../master/master.ts';
import { closeBusPort, openBusPort } from '../master/port.ts';
import { DocBoard, DocBus, type DocDevice, DocKeypad, docFrame } from './doc-device.ts';

/**
 * Our BusMaster against devices written from hardware/led-bus.md alone (doc-device.ts), over a real
 * socat pty pair: one test per rule of the document that the master must keep. Timing is measured
 * on the device side.
 */

interface Rig {
  bus: DocBus;
  master: BusMaster;
  pair: PtyPair;
  port: Awaited<ReturnType<typeof openBusPort>>;
  /** A second master on the same line, as after a restart of the display box. */
  restartMaster(o?: Omit<BusMasterOptions, 'port'>): Promise<BusMaster>;
  close(): Promise<void>;
}
let rig: Rig | null = null;
afterEach(async () => {
  await rig?.close();
  rig = null;
});

async function open(devices: DocDevice[], options: Omit<BusMasterOptions, 'port'> = {}): Promise<Rig> {
  const pair = await openPtyPair();
  const bus = await DocBus.open(pair.b, devices);
  const port = await openBusPort({ path: pair.a });
  let master = new BusMaster({ timeoutMs: 400, ...options, port });
  rig = {
    bus,
    get master() {
      return master;
    },
    pair,
    port,
    async restartMaster(o = {}) {
      await master.close();
      master = new BusMaster({ timeoutMs: 400, ...o, port });
      return master;
    },
    async close() {
      await master.close();
      await closeBusPort(port);
      await bus.close();
      await pair.close();
    },
  };
  return rig;
}

const hex = (b: ArrayLike<number>) => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join(' ');

/** Gaps between the end of the last thing the devices sent and the next request, device side. */
function quietGaps(bus: DocBus): number[] {
  const gaps: number[] = [];
  let lastTx: number | null = null;
  for (const e of bus.log) {
    if (e.dir === 'tx') lastTx = e.t;
    else if (e.dir === 'rx' && lastTx !== null) {
      gaps.push(e.t - lastTx);
      lastTx = null;
    }
  }
  return gaps;
}

describe('the document-only devices', () => {
  it('import nothing from our code (a vendor has only the document)', () => {
    const src = readFileSync(join(dirname(fileURLToPath(import.meta.url)), 'doc-device.ts'), 'utf8');
    const imports = [...src.matchAll(/from '([^']+)'/g)].map((m) => m[1]);
    expect(imports).toEqual(['serialport']);
  });
});

describe('§3 timing', () => {
  it('leaves at least 3 ms of quiet after every reply before the next request (measured on the board)', async () => {
    const { bus, master } = await open([new DocBoard({ address: 3 }), new DocBoard({ address: 4 })]);
    for (let i = 0; i < 60; i++) {
      await master.show(3 + (i % 2), `A${String(i).padStart(3, '0')}`);
      if (i % 5 === 0) await master.ping(3);
    }
    const gaps = quietGaps(bus);
    expect(gaps.length).toBeGreaterThan(60);
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(3);
  });

  it('counts the quiet time from the last byte of anything on the line, noise after a reply too', async () => {
    // Noise 1 ms after each reply, and a quiet time long enough that the noise always lands inside
    // it even on a loaded machine: the gap must then run from the noise, not from the reply.
    const { bus, master } = await open([new DocBoard({ address: 3 })], { quietGapMs: 25 });
    bus.noiseAfterReply = Buffer.from([0xff, 0x00]);
    for (let i = 0; i < 20; i++) await master.show(3, `B${i}`);
    // reply, noise, next request: only where the noise left within 10 ms of the reply (a stalled
    // event loop can send it after the quiet time, when the master rightly knew nothing of it).
    const gaps: number[] = [];
    const log = bus.log;
    for (let i = 0; i + 2 < log.length; i++) {
      const [reply, noise, next] = [log[i]!, log[i + 1]!, log[i + 2]!];
      if (reply.dir !== 'tx' || noise.dir !== 'tx' || next.dir !== 'rx' || noise.addr !== -1) continue;
      if (noise.t - reply.t < 10) gaps.push(next.t - noise.t);
    }
    expect(gaps.length).toBeGreaterThanOrEqual(15);
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(25);
  });

  it('ignores its own request echoed back by the adapter (a frame with a request CMD is not a reply)', async () => {
    const { bus, master } = await open([new DocBoard({ address: 3 })]);
    bus.echo = true;
    await master.show(3, 'A001');
    await master.brightness(3, 60);
    expect(bus.board(3).text()).toBe('A001');
    expect(bus.board(3).brightness).toBe(60);
    expect(master.stats()).toMatchObject({ retries: 0, timeouts: 0 });
  });
});

describe('§3.1 scan', () => {
  it('finds a board that answers late, one whose first reply is garbled and one of an unknown type, and clears no flag', async () => {
    const late = new DocBoard({ address: 5 });
    late.replyDelayMs = 200; // after its 150 ms window, within the next address's
    const garbled = new DocBoard({ address: 7 });
    garbled.garbleNext = 1;
    const odd = new DocBoard({ address: 9, type: 0x07, columns: 32, rows: 2 });
    const { bus, master } = await open([new DocBoard({ address: 3 }), late, garbled, odd, new DocKeypad(11)]);
    const found = await master.scan({ from: 1, to: 12, timeoutMs: 150 });
    expect(
      found.map((f) => ({
        address: f.address,
        type: f.status?.type,
        tries: f.tries,
        late: f.late,
        problem: f.problem,
      })),
    ).toEqual([
      { address: 3, type: 'counterBoard', tries: 1, late: false, problem: null },
      { address: 5, type: 'counterBoard', tries: 1, late: true, problem: null },
      { address: 7, type: 'counterBoard', tries: 2, late: false, problem: null },
      { address: 9, type: { unknown: 7 }, tries: 1, late: false, problem: null },
      { address: 11, type: 'keypad', tries: 1, late: false, problem: null },
    ]);
    // An empty address is asked once; the garbled one again with the same SEQ; nothing is cleared.
    const statusTo = (a: number) => bus.requests(a).filter((r) => r.frame.cmd === 0x01);
    expect(statusTo(4)).toHaveLength(1);
    expect(statusTo(7).map((r) => [r.frame.seq, r.frame.crc])).toEqual([
      [statusTo(7)[0]!.frame.seq, statusTo(7)[0]!.frame.crc],
      [statusTo(7)[0]!.frame.seq, statusTo(7)[0]!.frame.crc],
    ]);
    for (const r of bus.requests()) expect(r.frame.payload, `STATUS to ${r.frame.addr}`).toEqual([]);
    expect(bus.board(3).flags & 1).toBe(1);
  });

  it('lists a device that only ever answers unreadably, with the reason, after three tries', async () => {
    const broken = new DocBoard({ address: 2 });
    broken.garbleNext = 99;
    const { bus, master } = await open([broken]);
    const found = await master.scan({ from: 1, to: 3, timeoutMs: 150 });
    expect(found).toEqual([{ address: 2, status: null, tries: 3, late: false, problem: 'unreadable reply' }]);
    expect(bus.requests(2)).toHaveLength(3);
  });
});

describe('§4 repeats, BUSY and restarts', () => {
  it('repeats a request refused BUSY after 50 ms, byte for byte, and the board then carries it out once', async () => {
    const board = new DocBoard({ address: 3 });
    const { bus, master } = await open([board]);
    await master.ping(3);
    board.busyNext = 1;
    await master.show(3, 'A023 请到3号窗口', { effect: { kind: 'blink', times: 3 } });
    expect(board.text()).toBe('A023 请到3号窗口');
    const shows = bus.requests(3).filter((r) => r.frame.cmd === 0x10);
    expect(shows).toHaveLength(2);
    expect([shows[1]!.frame.seq, shows[1]!.frame.crc]).toEqual([shows[0]!.frame.seq, shows[0]!.frame.crc]);
    expect(shows.map((s) => s.acted)).toEqual([true, true]);
    const nakAt = bus.log.find((e) => e.dir === 'tx' && e.cmd === 0x15)!.t;
    expect(shows[1]!.t - nakAt).toBeGreaterThanOrEqual(50);
  });

  it('fails a request a board stays BUSY through, and reports it as an error (not silent)', async () => {
    const board = new DocBoard({ address: 3 });
    const { master } = await open([board], { boards: [3] });
    await master.ping(3);
    board.busyNext = 10;
    await expect(master.show(3, 'x')).rejects.toMatchObject({ code: 'NAK', nak: 'NAK BUSY' });
    expect(master.health()[0]).toMatchObject({ address: 3, code: 'ERROR', detail: 'NAK BUSY' });
  });

  it('after a restart, sends each device a read-only STATUS first, so an identical request is not taken for a repeat', async () => {
    const board = new DocBoard({ address: 3 });
    const { bus, restartMaster } = await open([board]);
    const blink = { effect: { kind: 'blink' as const, times: 3 } };
    await rig!.master.show(3, 'A023', blink);
    const second = await restartMaster();
    await second.show(3, 'A023', blink);
    // Both masters' first words to the board are a STATUS without payload, and both blinks happen.
    const frames = bus.requests(3).map((r) => [r.frame.cmd, r.frame.seq, r.frame.payload.length]);
    expect(frames[0]).toEqual([0x01, 1, 0]);
    expect(frames[2]).toEqual([0x01, 1, 0]);
    expect(board.acted.filter((f) => f.cmd === 0x10)).toHaveLength(2);
  });
});

describe('§5 STATUS, brightness and the power-up flag', () => {
  it('gives a board that lost power for a moment its brightness and text back, brightness first', async () => {
    const board = new DocBoard({ address: 3 });
    const { bus, master } = await open([board], { boards: [3], checkIntervalMs: 150 });
    await master.start();
    await master.brightness(3, 40);
    await master.show(3, 'A023 请到3号窗口');
    expect(board.flags & 1).toBe(0); // the master's STATUS at start cleared it
    board.powerCycle();
    expect([board.text(), board.brightness]).toEqual([null, 100]);
    const from = bus.log.length;
    await expect
      .poll(() => board.text() === 'A023 请到3号窗口' && board.brightness === 40, {
        message: 'board restored',
      })
      .toBeTruthy();
    const after = bus.requests(3).filter((r) => bus.log.indexOf(r) >= from && r.acted);
    expect(after.map((r) => hex([r.frame.cmd, ...r.frame.payload.slice(0, 1)]))).toEqual([
      '01 01',
      '12 28',
      '10 00',
    ]);
    expect(board.flags & 1).toBe(0);
    expect(master.health()[0]).toMatchObject({ code: 'OK' });
  });

  it('does not miss a restart when the reply that reported it was lost (the repeat is answered from memory)', async () => {
    const board = new DocBoard({ address: 3 });
    const { master } = await open([board], { boards: [3], checkIntervalMs: 0 });
    await master.brightness(3, 70);
    board.powerCycle();
    board.garbleNext = 1;
    const st = await master.ping(3);
    expect(st.poweredUp).toBe(true);
    await expect.poll(() => board.brightness === 70, { message: 'brightness restored' }).toBeTruthy();
  });

  it('reports a device of a type it does not know, and a board that sends the older five-byte STATUS', async () => {
    const { bus, master } = await open([new DocBoard({ address: 9, type: 0x42 })]);
    expect((await master.ping(9)).type).toEqual({ unknown: 0x42 });
    // A board with firmware from before FLAGS: answer every STATUS with five bytes.
    bus.devices.delete(9);
    const old = new DocBoard({ address: 9 });
    old.handle = () => ({ cmd: 0x06, payload: [0x02, 1, 0, 16, 1], remember: true });
    bus.devices.set(9, old);
    expect(await master.ping(9, { clearPowerUp: false })).toMatchObject({
      type: 'counterBoard',
      poweredUp: false,
    });
  });
});

describe('§5.1 areas on the main board', () => {
  it('shows each line on its own, a whole-board text over all of them, and a line after it alone', async () => {
    const main = new DocBoard({ address: 200, type: 0x01 });
    const { master } = await open([main]);
    await master.show(200, 'A023 请到3号窗口', { area: 1, effect: { kind: 'blink', times: 3 } });
    await master.show(200, 'A022 请到1号窗口', { area: 2 });
    await master.clear(200, 4);
    expect([...main.areas.keys()]).toEqual([1, 2]);
    expect(main.areas.get(1)).toEqual({ text: 'A023 请到3号窗口', effect: 1, param: 3 });
    await master.show(200, '暂停服务');
    expect([...main.areas.entries()]).toEqual([[0, { text: '暂停服务', effect: 0, param: 0 }]]);
    await master.show(200, '欢迎光临', { area: 3 });
    expect([...main.areas.keys()]).toEqual([3]);
    await expect(master.show(200, 'x', { area: 5 })).rejects.toMatchObject({
      code: 'NAK',
      nak: 'BAD_PAYLOAD',
    });
  });
});

describe('§6 replies on the line', () => {
  it('decodes a reply that follows a bad escape cut short by 02 (the 02 starts the frame)', async () => {
    const { bus, master } = await open([new DocBoard({ address: 3 })]);
    bus.replyPrefix = Buffer.from([0x02, 0x10, 0x23, 0x01, 0x10]);
    expect((await master.ping(3)).type).toBe('counterBoard');
    expect(master.stats().retries).toBe(0);
  });

  it('ignores a reply from another device or with another SEQ, and waits for its own', async () => {
    const board = new DocBoard({ address: 3 });
    board.replyDelayMs = 60;
    const { bus, master } = await open([board]);
    await master.ping(3);
    const p = master.show(3, 'A001');
    await new Promise((r) => setTimeout(r, 20));
    bus.inject(docFrame(4, 2, 0x06)); // board 4's ACK
    bus.inject(docFrame(3, 99, 0x15, [0x03])); // board 3's NAK, for another SEQ
    await p;
    expect(board.text()).toBe('A001');
    expect(master.stats()).toMatchObject({ retries: 0, naks: 0 });
  });
});

describe('§7 keypads', () => {
  it('delivers presses after a keypad restart that picked the same SESSION again', async () => {
    const keypad = new DocKeypad(101, 0x5a);
    const { master } = await open([keypad], { keypads: [101], pollIntervalMs: 20 });
    const keys: string[] = [];
    master.onKey((e) => keys.push(e.key));
    await master.start();
    for (let i = 0; i < 12; i++) {
      keypad.press(0x01);
      if (i % 4 === 3)
        await expect.poll(() => keys.length === i + 1, { message: `${i + 1} keys` }).toBeTruthy();
    }
    await expect
      .poll(() => keys.length === 12 && keypad.queue.length === 0, {
        message: 'twelve keys, all acknowledged',
      })
      .toBeTruthy();
    keypad.restart(0x5a); // no non-volatile memory: the same SESSION byte again
    keypad.press(0x02);
    keypad.press(0x03);
    await expect.poll(() => keys.length >= 14, { message: 'the two presses after the restart' }).toBeTruthy();
    await new Promise((r) => setTimeout(r, 150));
    expect(keys.slice(12)).toEqual(['recall', 'noShow']);
  });

  it('takes each press once when the keypad restarts with a new SESSION', async () => {
    const keypad = new DocKeypad(101, 0x10);
    const { master } = await open([keypad], { keypads: [101], pollIntervalMs: 20 });
    const keys: string[] = [];
    master.onKey((e) => keys.push(e.key));
    await master.start();
    keypad.press(0x01);
    await expect
      .poll(() => keys.length === 1 && keypad.queue.length === 0, { message: 'first key acknowledged' })
      .toBeTruthy();
    keypad.restart(0x11);
    keypad.press(0x04);
    await expect.poll(() => keys.length === 2, { message: 'the press after the restart' }).toBeTruthy();
    await new Promise((r) => setTimeout(r, 150));
    expect(keys).toEqual(['next', 'pause']);
  });
});

describe('health of boards on the line', () => {
  it('reports a board silent and back, and the quiet time holds through retries and timeouts', async () => {
    const board = new DocBoard({ address: 3 });
    const changes: HealthComponent[][] = [];
    const { bus, master } = await open([board], { boards: [3], timeoutMs: 100, silentPingIntervalMs: 100 });
    master.onHealth((h) => changes.push(h));
    await master.start();
    board.silent = true;
    await expect(master.show(3, 'x')).rejects.toMatchObject({ code: 'TIMEOUT' });
    board.silent = false;
    await expect.poll(() => master.health()[0]?.code === 'OK', { message: 'board back' }).toBeTruthy();
    expect(changes.map((h) => h[0]!.code)).toEqual(['SILENT', 'OK']);
    expect(Math.min(...quietGaps(bus))).toBeGreaterThanOrEqual(3);
  });
});
