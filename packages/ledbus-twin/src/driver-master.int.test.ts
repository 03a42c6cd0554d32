import { closeSync, openSync, writeSync } from 'node:fs';
import { sampleBranchConfig } from '@nextup/core';
import {
  BusMaster,
  closeBusPort,
  encodeFrame,
  type KeyEvent,
  KeypadRouter,
  LedBusError,
  openBusPort,
} from '@nextup/ledbus';
import { FakeHubSender } from '@nextup/ledbus/testing';
import type { HealthComponent } from '@nextup/protocol';
import { healthComponent } from '@nextup/protocol';
import { openPtyPair } from '@nextup/ptypair';
import { afterEach, describe, expect, it } from 'vitest';
import { startVirtualBus } from './service.ts';
import { openRig, type Rig } from './testing.ts';

/** The driver (`@nextup/ledbus`'s bus master and keypad router) against this twin, over a real pty. */

let rig: Rig | null = null;
afterEach(async () => {
  await rig?.close();
  rig = null;
});

describe('the bus master and the virtual bus over a real pty (v1)', () => {
  it('puts text on the addressed board and on no other', async () => {
    rig = await openRig();
    await rig.master.show(3, 'A023');
    const s = rig.vb.bus.snapshot();
    expect(s.boards.find((b) => b.address === 3)?.areas).toEqual([
      { area: 0, text: 'A023', effect: { kind: 'static' } },
    ]);
    for (const b of s.boards.filter((x) => x.address !== 3))
      expect(b.areas, `board ${b.address}`).toEqual([]);
  });

  it('puts a broadcast on every board, and no board answers it', async () => {
    rig = await openRig();
    await rig.master.show(0, '暂停服务 Closed', { effect: { kind: 'blink', times: 2 } });
    const s = rig.vb.bus.snapshot();
    expect(s.boards.length).toBe(6);
    for (const b of s.boards) expect(b.areas[0]?.text, `board ${b.address}`).toBe('暂停服务 Closed');
    expect(s.stats.replies).toBe(0);
    expect(s.stats.broadcasts).toBe(1);
  });

  it('carries Chinese text intact (GB18030 round trip), on a line of the main board', async () => {
    rig = await openRig();
    const text = '请 A023 号到 3 号窗口办理 · 𠀀 € ￥';
    await rig.master.show(200, text, { area: 2, effect: { kind: 'scroll', speed: 8 } });
    expect(rig.vb.bus.snapshot().boards.find((b) => b.address === 200)?.areas).toEqual([
      { area: 2, text, effect: { kind: 'scroll', speed: 8 } },
    ]);
  });

  it('reports what a device is (ping) and finds every device on the bus (scan)', async () => {
    rig = await openRig({ boards: [1, 2], mainBoards: [25], keypads: [11] });
    expect(await rig.master.ping(25)).toEqual({
      type: 'mainBoard',
      firmware: '1.0',
      columns: 64,
      rows: 4,
      poweredUp: true,
    });
    const found = await rig.master.scan({ from: 1, to: 30, timeoutMs: 40 });
    expect(found.map((f) => [f.address, f.status?.type])).toEqual([
      [1, 'counterBoard'],
      [2, 'counterBoard'],
      [11, 'keypad'],
      [25, 'mainBoard'],
    ]);
  }, 30_000);

  it('reports a board silent after the retries, and OK again (with its text back) when it answers', async () => {
    const changes: HealthComponent[][] = [];
    rig = await openRig({}, { boards: [1, 2, 3], silentPingIntervalMs: 100, retries: 2, timeoutMs: 300 });
    rig.master.onHealth((h) => changes.push(h));
    await rig.master.start();
    await rig.master.show(2, 'B101 请到2号窗口');
    rig.vb.bus.setSilent(2, true);
    rig.vb.bus.snapshot(); // (a silent board keeps what it showed; the master cannot know that)
    const err = await rig.master.show(2, 'B102').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LedBusError);
    expect((err as LedBusError).code).toBe('TIMEOUT');
    const stats = rig.master.stats();
    expect(stats.retries).toBeGreaterThanOrEqual(2);
    const silent = rig.master.health().find((h) => h.address === 2)!;
    expect(silent).toMatchObject({ component: 'ledBoard', code: 'SILENT', level: 'error' });
    expect(silent.detail).toBe('no answer after 3 tries');
    expect(healthComponent.safeParse(silent).success).toBe(true);
    expect(
      rig.master
        .health()
        .filter((h) => h.code !== 'OK')
        .map((h) => h.address),
    ).toEqual([2]);

    // The board comes back (power restored, blank): the periodic ping notices, and the master
    // restores what it should show (the last text it acknowledged).
    rig.vb.bus.setSilent(2, false);
    await expect
      .poll(() => rig!.master.health().find((h) => h.address === 2)?.code === 'OK', {
        message: 'board 2 to recover',
      })
      .toBeTruthy();
    await expect
      .poll(() => rig!.vb.bus.textOf(2) === 'B101 请到2号窗口', { message: 'board 2 restored' })
      .toBeTruthy();
    expect(changes.map((h) => h.find((x) => x.address === 2)?.code)).toEqual(['SILENT', 'OK']);
  });

  it('recognises a retry after a lost ACK: the board does the work once (sequence number)', async () => {
    rig = await openRig();
    await rig.master.ping(3); // first contact (§4.2), so the next request is the SHOW itself
    rig.vb.bus.corrupt(3, 1); // the board's next reply is damaged on the way back
    await rig.master.show(3, 'A024', { effect: { kind: 'blink', times: 3 } });
    const s = rig.vb.bus.snapshot();
    expect(s.boards.find((b) => b.address === 3)?.shows).toBe(1);
    expect(s.stats.duplicates).toBe(1);
    expect(rig.master.stats().retries).toBe(1);
    // Address 3 travels escaped (10 23); the flipped bit lands on the DLE, so the length breaks.
    expect(rig.master.stats().rejected.BAD_LENGTH).toBeGreaterThan(0);
  });

  it('fails a refused request at once with the reason (no retries for a bad payload)', async () => {
    rig = await openRig();
    // Counter boards have one line: line 3 does not exist.
    const err = (await rig.master.show(3, 'x', { area: 3 }).catch((e: unknown) => e)) as LedBusError;
    expect(err).toMatchObject({ code: 'NAK', nak: 'BAD_PAYLOAD', address: 3 });
    expect(rig.master.stats().retries).toBe(0);
  });

  it('delivers each key press once, in order, even when a poll reply is lost', async () => {
    rig = await openRig({}, { keypads: [101, 102], pollIntervalMs: 20 });
    const got: KeyEvent[] = [];
    rig.master.onKey((e) => got.push(e));
    await rig.master.start();
    rig.vb.bus.press(101, 'next');
    rig.vb.bus.corrupt(101, 1); // the reply carrying it is lost once; the keypad keeps the event
    rig.vb.bus.press(101, 'recall');
    rig.vb.bus.press(102, 'noShow');
    await expect.poll(() => got.length >= 3, { message: 'three key events' }).toBeTruthy();
    await expect
      .poll(() => rig!.vb.bus.snapshot().keypads.every((k) => k.queued.length === 0), {
        message: 'queues emptied',
      })
      .toBeTruthy();
    expect(got.filter((e) => e.address === 101).map((e) => e.key)).toEqual(['next', 'recall']);
    expect(got.filter((e) => e.address === 102).map((e) => e.key)).toEqual(['noShow']);
    expect(new Set(got.map((e) => e.id)).size).toBe(3);
    await new Promise((r) => setTimeout(r, 200));
    expect(got).toHaveLength(3);
  });

  it('routes a keypad press to its counter as the counter action (keypad → router → hub sender)', async () => {
    rig = await openRig({}, { keypads: [101, 103], pollIntervalMs: 20 });
    const hub = new FakeHubSender();
    const router = new KeypadRouter({
      state: () => ({
        config: sampleBranchConfig(),
        counters: { c3: { id: 'c3', status: 'paused', pauseReason: 'keypad', ticketId: null, since: 0 } },
      }),
      send: hub.send,
    });
    router.attach(rig.master);
    await rig.master.start();
    rig.vb.bus.press(101, 'next');
    rig.vb.bus.press(103, 'pause');
    await expect.poll(() => hub.sent.length >= 2, { message: 'two commands sent' }).toBeTruthy();
    expect(hub.sent.map((s) => s.command)).toEqual([
      { type: 'CallNext', data: { counterId: 'c1' } },
      { type: 'ResumeCounter', data: { counterId: 'c3' } },
    ]);
    for (const s of hub.sent) expect(s.requestId).toMatch(/^[A-Za-z0-9_-]{8,64}$/);
  });

  it('keeps answering after garbage on the line, and counts what it rejected', async () => {
    const pair = await openPtyPair();
    const vb = await startVirtualBus({ pair, boards: [3], mainBoards: [], keypads: [] });
    try {
      // Raw garbage straight into the master end: noise, a cut-off frame, a frame with a bad CRC
      // for a board that is not there, and one for board 3 (which NAKs it).
      const fd = openSync(pair.a, 'r+');
      const bad = encodeFrame({ address: 9, seq: 1, command: 0x10, payload: Uint8Array.of(0, 0, 0, 0x41) });
      bad[bad.length - 2] = bad[bad.length - 2]! ^ 0x55;
      writeSync(
        fd,
        Buffer.concat([
          Buffer.from([0xff, 0x00, 0x10, 0x03, 0x55]),
          Buffer.from(bad),
          Buffer.from([0x02, 0x03, 0x01]),
        ]),
      );
      closeSync(fd);
      await expect
        .poll(() => Object.keys(vb.bus.snapshot().stats.rejected).length >= 2, {
          message: 'rejections counted',
        })
        .toBeTruthy();
      const port = await openBusPort({ path: pair.a });
      const master = new BusMaster({ port, timeoutMs: 500 });
      await master.show(3, 'OK after garbage');
      expect(vb.bus.textOf(3)).toBe('OK after garbage');
      const s = vb.bus.snapshot().stats;
      expect(s.internalErrors).toBe(0);
      expect(s.rejected.NOISE).toBeGreaterThan(0);
      expect(s.rejected.BAD_CRC).toBe(1);
      await master.close();
      await closeBusPort(port);
    } finally {
      await vb.close();
      await pair.close();
    }
  });

  it('carries on without direction control when RTS cannot be driven (a pty has no modem lines)', async () => {
    const warnings: string[] = [];
    const logger = { debug() {}, info() {}, error() {}, warn: (_o: object, m: string) => warnings.push(m) };
    rig = await openRig({}, { direction: 'rts', logger });
    await rig.master.show(1, 'A001');
    await rig.master.show(1, 'A002');
    expect(rig.vb.bus.textOf(1)).toBe('A002');
    expect(warnings.filter((w) => w.includes('RTS'))).toHaveLength(1);
  });
});

describe('the line dialect through the same master', () => {
  it('shows text, answers a status request and refuses a keypad poll as unsupported', async () => {
    rig = await openRig({ dialect: 'line', boards: [1, 2, 3], mainBoards: [], keypads: [] });
    await rig.master.show(3, 'A023 请到3号窗口');
    expect(rig.vb.bus.textOf(3)).toBe('A023 请到3号窗口');
    expect(rig.vb.bus.textOf(2)).toBeNull();
    expect(await rig.master.ping(2)).toEqual({
      type: 'counterBoard',
      firmware: '1.0',
      columns: 16,
      rows: 1,
      poweredUp: false,
    });
    await rig.master.show(0, '欢迎');
    expect([1, 2, 3].map((a) => rig!.vb.bus.textOf(a))).toEqual(['欢迎', '欢迎', '欢迎']);
    await rig.master.clear(1);
    expect(rig.vb.bus.textOf(1)).toBeNull();
    await expect(rig.master.pollKeypad(101)).rejects.toMatchObject({ code: 'UNSUPPORTED' });
  });

  it('retries when a reply is garbled and reports a silent board', async () => {
    rig = await openRig(
      { dialect: 'line', boards: [1], mainBoards: [], keypads: [] },
      { boards: [1], timeoutMs: 300 },
    );
    rig.vb.bus.corrupt(1, 1);
    await rig.master.brightness(1, 40);
    expect(rig.vb.bus.snapshot().boards[0]?.brightness).toBe(40);
    expect(rig.master.stats().retries).toBe(1);
    rig.vb.bus.setSilent(1, true);
    await expect(rig.master.show(1, 'x')).rejects.toMatchObject({ code: 'TIMEOUT' });
    expect(rig.master.health()[0]).toMatchObject({ address: 1, code: 'SILENT' });
  });
});

describe('opening a port', () => {
  it('says clearly when the port does not exist', async () => {
    await expect(openBusPort({ path: '/dev/ttyNOPE42' })).rejects.toMatchObject({ code: 'PORT_MISSING' });
  });
});
