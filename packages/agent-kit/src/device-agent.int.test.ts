import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ManualClock, type RunningHub, startHub } from '@nextup/hub';
import { type HealthComponent, localAnswer, parseWith } from '@nextup/protocol';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DeviceAgent, type DeviceAgentOptions, pairWithHub, startDeviceAgent } from './index.ts';

const MONDAY_0900 = Date.UTC(2026, 10, 23, 1, 0);
let hub: RunningHub;
let dir: string;
let cookie: string;
let csrf: string;
const agents: DeviceAgent[] = [];

async function admin(method: string, path: string, body?: unknown) {
  const res = await fetch(`${hub.url}${path}`, {
    method,
    headers: { 'content-type': 'application/json', cookie, 'x-csrf-token': csrf },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  return (await res.json()) as any;
}

async function code(kind: 'kiosk' | 'display', name: string): Promise<string> {
  return (await admin('POST', '/api/v1/admin/pairing-codes', { kind, name })).code;
}

async function post(agent: DeviceAgent, path: string, body: unknown) {
  const res = await fetch(`${agent.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as any };
}

/** A display-like box: the pairing form sends `{ hubUrl, code }`. */
async function start(options: Partial<DeviceAgentOptions> & { dataDir: string }): Promise<DeviceAgent> {
  const agent = await startDeviceAgent({
    kind: 'display',
    name: 'test box',
    version: 'test 1',
    ui: { distDir: join(dir, 'no-ui') },
    parsePairRequest: (body) => {
      const b = body as { hubUrl?: unknown; code?: unknown };
      return typeof b?.hubUrl === 'string' && typeof b.code === 'string'
        ? { ok: true, value: { hubUrl: b.hubUrl, code: b.code } }
        : {
            ok: false,
            error: { kind: 'input', code: 'INVALID_MESSAGE', message: { zh: '请求无效', en: 'Invalid' } },
          };
    },
    message: () => ({ type: 'state' }),
    reconnect: { minMs: 10, maxMs: 50 },
    ...options,
  });
  agents.push(agent);
  return agent;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'nextup-device-agent-'));
  hub = await startHub({
    port: 0,
    host: '127.0.0.1',
    dataDir: join(dir, 'hub'),
    publicUrl: 'http://hub',
    logger: pino({ level: 'silent' }),
    clock: new ManualClock(MONDAY_0900),
  });
  const res = await fetch(`${hub.url}/api/v1/setup`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      token: hub.setupToken,
      username: 'admin',
      displayName: 'A',
      password: 'agent-kit-pass',
    }),
  });
  cookie = /nextup_session=[^;]+/.exec(res.headers.get('set-cookie') ?? '')![0];
  csrf = ((await res.json()) as { csrfToken: string }).csrfToken;
});

afterAll(async () => {
  for (const a of agents) await a.close();
  await hub?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('a device lifecycle', () => {
  it('pairs at start with the code it was given, reports its health, and goes blank when revoked', async () => {
    const dataDir = join(dir, 'box-1');
    let health: HealthComponent[] = [
      { component: 'audio', address: null, level: 'ok', code: 'OK', detail: null, since: 1 },
    ];
    let revoked = 0;
    const agent = await start({
      dataDir,
      hubUrl: hub.url,
      pairingCode: await code('display', '大厅叫号屏'),
      health: () => health,
      onRevoked: () => revoked++,
    });
    // A reachable hub: paired when the start resolves, credentials kept in the data folder.
    expect(agent.credentials?.kind).toBe('display');
    expect(existsSync(join(dataDir, 'credentials.json'))).toBe(true);
    await expect.poll(() => agent.status === 'online', { message: 'online' }).toBeTruthy();
    const deviceId = agent.credentials!.deviceId;
    const atHub = () => hub.hub.view.hub.devices.find((d) => d.deviceId === deviceId)?.health;
    await expect.poll(() => atHub()?.version === 'test 1', { message: 'health at hub' }).toBeTruthy();
    health = [{ ...health[0]!, level: 'warning', code: 'OFFLINE', detail: 'no screen' }];
    agent.reportHealth();
    await expect
      .poll(() => atHub()?.components[0]?.code === 'OFFLINE', { message: 'changed health at hub' })
      .toBeTruthy();

    const again = await post(agent, '/local/pair', { hubUrl: hub.url, code: '123456' });
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({ ok: false, error: { kind: 'refused', code: 'ALREADY_PAIRED' } });

    await admin('POST', `/api/v1/admin/devices/${deviceId}/revoke`);
    await expect.poll(() => agent.credentials === null, { message: 'forgotten' }).toBeTruthy();
    expect(revoked).toBe(1);
    expect(agent.link).toBeNull();
    expect(existsSync(join(dataDir, 'credentials.json'))).toBe(false);
    expect(agent.pairing.error).toEqual({
      code: 'REVOKED',
      message: {
        zh: '本叫号屏已被网点移除，请重新配对。',
        en: 'This display was removed from the branch: pair it again.',
      },
    });
  });

  it('answers every refusal on its local routes in one shape', async () => {
    const agent = await start({ dataDir: join(dir, 'box-2') });
    const kioskCode = await code('kiosk', 'a kiosk');
    const shapes = [
      await post(agent, '/local/pair', { nothing: true }),
      await post(agent, '/local/pair', { hubUrl: hub.url, code: kioskCode }),
      await post(agent, '/local/pair', { hubUrl: 'http://127.0.0.1:1', code: '123456' }),
      await post(agent, '/local/nowhere', {}),
    ];
    expect(shapes.map((s) => [s.status, s.body.error?.kind, s.body.error?.code])).toEqual([
      [400, 'input', 'INVALID_MESSAGE'],
      [200, 'refused', 'WRONG_KIND'],
      [200, 'offline', 'HUB_UNREACHABLE'],
      [404, 'input', 'NOT_FOUND'],
    ]);
    for (const s of shapes) expect(parseWith(localAnswer, s.body).ok).toBe(true);
    expect(agent.credentials).toBeNull();
    expect(agent.pairing).toMatchObject({ busy: false, error: { code: 'HUB_UNREACHABLE' } });
    // The hub refused the kiosk's code before using it: no device was made for the display, and the
    // code still pairs the kiosk it was made for.
    const devices = (await admin('GET', '/api/v1/admin/devices')) as { devices: { name: string }[] };
    expect(devices.devices.map((d) => d.name)).not.toContain('a kiosk');
    const kiosk = await pairWithHub(hub.url, kioskCode, 'kiosk box', 'kiosk');
    expect(kiosk.ok && kiosk.credentials.kind).toBe('kiosk');
  });

  it('pairs from its screen, and comes back paired after a restart with the same data folder', async () => {
    const dataDir = join(dir, 'box-3');
    const first = await start({ dataDir });
    const r = await post(first, '/local/pair', {
      hubUrl: hub.url,
      code: await code('display', '二楼叫号屏'),
    });
    expect(r).toEqual({ status: 200, body: { ok: true } });
    const deviceId = first.credentials!.deviceId;
    await expect.poll(() => first.status === 'online', { message: 'online' }).toBeTruthy();
    await first.close();
    const second = await start({ dataDir });
    expect(second.credentials?.deviceId).toBe(deviceId);
    await expect.poll(() => second.status === 'online', { message: 'online again' }).toBeTruthy();
  });
});
