import type { KeyEvent } from '@nextup/ledbus';
import { afterEach, describe, expect, it } from 'vitest';
import type { VirtualBusSnapshot } from './bus.ts';
import { type RunningVirtualBus, startVirtualBus } from './service.ts';
import { openRig, type Rig } from './testing.ts';

let rig: Rig | null = null;
let lone: RunningVirtualBus | null = null;
afterEach(async () => {
  await rig?.close();
  await lone?.close();
  rig = null;
  lone = null;
});

const post = (url: string, body: unknown) =>
  fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

describe("the virtual bus's JSON view", () => {
  it('shows the boards, presses keys, silences and corrupts on request', async () => {
    rig = await openRig({ httpPort: 0 }, { keypads: [101], boards: [1], pollIntervalMs: 20, timeoutMs: 300 });
    const base = rig.vb.http!.url;
    const keys: KeyEvent[] = [];
    rig.master.onKey((e) => keys.push(e));
    await rig.master.start();
    await rig.master.show(1, 'A001 请到1号窗口');

    const view = (await (await fetch(`${base}/boards`)).json()) as VirtualBusSnapshot;
    expect(view.boards.find((b) => b.address === 1)?.areas[0]?.text).toBe('A001 请到1号窗口');

    expect((await post(`${base}/keypads/101/press`, { key: 'noShow' })).status).toBe(200);
    await expect.poll(() => keys.length === 1, { message: 'the key event' }).toBeTruthy();
    expect(keys[0]).toMatchObject({ address: 101, key: 'noShow' });

    expect((await post(`${base}/boards/1/corrupt`, { count: 1 })).status).toBe(200);
    await rig.master.show(1, 'A002');
    expect(rig.master.stats().retries).toBe(1);

    expect((await post(`${base}/boards/1/silent`, {})).status).toBe(200);
    await expect(rig.master.show(1, 'A003')).rejects.toMatchObject({ code: 'TIMEOUT' });
    expect(rig.master.health().find((h) => h.address === 1)?.code).toBe('SILENT');
    expect((await post(`${base}/boards/1/silent`, { silent: false })).status).toBe(200);
    await rig.master.show(1, 'A004');
    expect(rig.master.health().find((h) => h.address === 1)?.code).toBe('OK');
  });

  it("cuts a board's power for a moment: the master gives it back its brightness and text", async () => {
    rig = await openRig({ httpPort: 0 }, { boards: [2], checkIntervalMs: 100 });
    const base = rig.vb.http!.url;
    await rig.master.start();
    await rig.master.brightness(2, 35);
    await rig.master.show(2, 'B007 请到2号窗口');
    expect((await post(`${base}/boards/2/power-cycle`, {})).status).toBe(200);
    const board = async () =>
      ((await (await fetch(`${base}/boards`)).json()) as VirtualBusSnapshot).boards.find(
        (b) => b.address === 2,
      )!;
    expect(await board()).toMatchObject({ areas: [], brightness: 100, poweredUp: true });
    await expect
      .poll(() => rig!.vb.bus.textOf(2) === 'B007 请到2号窗口', { message: 'text restored' })
      .toBeTruthy();
    expect(await board()).toMatchObject({ brightness: 35, poweredUp: false });
    expect((await post(`${base}/boards/2/busy`, { count: 1 })).status).toBe(200);
    await rig.master.show(2, 'B008');
    expect(rig.vb.bus.snapshot().stats.busy).toBe(1);
    expect(rig.vb.bus.textOf(2)).toBe('B008');
  });

  it('answers bad requests with a status and a reason instead of failing', async () => {
    rig = await openRig({ httpPort: 0 });
    const base = rig.vb.http!.url;
    expect((await post(`${base}/keypads/101/press`, { key: 'finish' })).status).toBe(400);
    expect((await post(`${base}/keypads/9/press`, { key: 'next' })).status).toBe(404);
    expect((await post(`${base}/boards/101/silent`, {})).status).toBe(404);
    const r = await fetch(`${base}/boards/1/silent`, { method: 'POST', body: '{nope' });
    expect(r.status).toBe(400);
    expect(await r.json()).toMatchObject({ ok: false });
  });

  it('answers every request with its status and exact JSON, without a master on the bus', async () => {
    lone = await startVirtualBus({ httpPort: 0, boards: [1], mainBoards: [], keypads: [101] });
    const base = lone.http!.url;
    const call = async (method: string, path: string, body?: string) => {
      const r = await fetch(`${base}${path}`, { method, ...(body === undefined ? {} : { body }) });
      return [r.status, await r.json()];
    };
    const snapshot = JSON.parse(JSON.stringify(lone.bus.snapshot()));
    expect(await call('GET', '/')).toEqual([200, snapshot]);
    expect(await call('GET', '/boards')).toEqual([200, snapshot]);
    const notFound = [404, { ok: false, error: 'not found' }];
    expect(await call('GET', '/boards/')).toEqual(notFound);
    expect(await call('GET', '/boards/1/silent')).toEqual(notFound);
    expect(await call('POST', '/boards')).toEqual(notFound);
    expect(await call('POST', '/boards/1234/silent', '{}')).toEqual(notFound);
    expect(await call('POST', '/boards/1/dance', '{}')).toEqual(notFound);
    expect(await call('POST', '/boards/9/silent', '{}')).toEqual([
      404,
      { ok: false, error: 'no board at 9' },
    ]);
    expect(await call('POST', '/keypads/1/press', '{}')).toEqual([
      404,
      { ok: false, error: 'no keypad at 1' },
    ]);
    const notObject = [400, { ok: false, error: 'body must be a JSON object' }];
    expect(await call('POST', '/boards/1/silent', '{nope')).toEqual(notObject);
    expect(await call('POST', '/boards/1/silent', '[true]')).toEqual(notObject);
    expect(await call('POST', '/boards/1/silent', `{"x": "${'a'.repeat(5000)}"}`)).toEqual(notObject);
    expect(await call('POST', '/boards/1/silent', '{"silent": "yes"}')).toEqual([
      400,
      { ok: false, error: 'silent must be true or false' },
    ]);
    expect(await call('POST', '/boards/1/silent')).toEqual([200, { ok: true, address: 1, silent: true }]);
    expect(await call('POST', '/boards/1/silent', '{"silent": false}')).toEqual([
      200,
      { ok: true, address: 1, silent: false },
    ]);
    const badCount = [400, { ok: false, error: 'count must be a whole number 0–1000' }];
    expect(await call('POST', '/boards/1/corrupt', '{"count": -1}')).toEqual(badCount);
    expect(await call('POST', '/boards/1/busy', '{"count": 1001}')).toEqual(badCount);
    expect(await call('POST', '/boards/1/busy', '{"count": 1.5}')).toEqual(badCount);
    expect(await call('POST', '/boards/1/corrupt', '{"count": 2}')).toEqual([
      200,
      { ok: true, address: 1, count: 2 },
    ]);
    expect(await call('POST', '/boards/1/busy', '')).toEqual([200, { ok: true, address: 1, count: 1 }]);
    expect(await call('POST', '/keypads/101/power-cycle')).toEqual([200, { ok: true, address: 101 }]);
    expect(await call('POST', '/boards/1/press', '{"key": "next"}')).toEqual([
      404,
      { ok: false, error: 'only keypads have keys' },
    ]);
    expect(await call('POST', '/keypads/101/press', '{"key": "finish"}')).toEqual([
      400,
      { ok: false, error: 'key must be one of next, recall, noShow, pause' },
    ]);
    expect(await call('POST', '/keypads/101/press', '{"key": "recall"}')).toEqual([
      200,
      { ok: true, address: 101, key: 'recall' },
    ]);
  });
});
