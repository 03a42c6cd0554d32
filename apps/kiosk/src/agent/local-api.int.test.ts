import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { kioskAnswer, kioskState, kioskStreamMessage, kioskTicketAnswer, parseWith } from '@nextup/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { type KioskAgent, startKioskAgent } from './kiosk-agent.ts';

let agent: KioskAgent;
let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'nextup-kiosk-api-'));
  agent = await startKioskAgent({ dataDir: dir });
});

afterAll(async () => {
  await agent?.close();
  rmSync(dir, { recursive: true, force: true });
});

const post = async (path: string, body: unknown) => {
  const res = await fetch(`${agent.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as unknown };
};

describe("the agent's local API", () => {
  it('pushes its state on /local/stream as soon as the UI connects, in the shared schema', async () => {
    const ws = new WebSocket(`${agent.url.replace('http', 'ws')}/local/stream`);
    const first = await new Promise<unknown>((resolve, reject) => {
      ws.once('message', (d: Buffer) => resolve(JSON.parse(d.toString())));
      ws.once('error', reject);
    });
    ws.close();
    const m = parseWith(kioskStreamMessage, first);
    expect(m.ok).toBe(true);
    if (m.ok) expect(m.value.state).toMatchObject({ phase: 'unpaired', blocked: { code: 'NOT_PAIRED' } });
    const state = parseWith(kioskState, await (await fetch(`${agent.url}/local/state`)).json());
    expect(state.ok).toBe(true);
  });

  it('refuses a malformed request with a readable reason, and issues nothing unpaired', async () => {
    const bad = await post('/local/issue', { v: 1, requestId: 'short', serviceId: 'cash', lang: 'fr' });
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ ok: false, error: { kind: 'input', code: 'INVALID_MESSAGE' } });
    expect(parseWith(kioskTicketAnswer, bad.body).ok).toBe(true);

    const extra = await post('/local/check-in', {
      v: 1,
      requestId: 'request-0001',
      code: '1234',
      via: 'scanner',
      lang: 'zh',
      vip: true,
    });
    expect(extra.status).toBe(400);

    const unpaired = await post('/local/issue', {
      v: 1,
      requestId: 'request-0002',
      serviceId: 'cash',
      lang: 'zh',
    });
    expect(unpaired.body).toMatchObject({ ok: false, error: { code: 'NOT_PAIRED' } });
    expect(parseWith(kioskTicketAnswer, unpaired.body).ok).toBe(true);
  });

  it('checks a pairing request before asking any hub', async () => {
    const badCode = await post('/local/pair', { v: 1, hubAddress: '127.0.0.1:8300', code: '12ab56' });
    expect(badCode.status).toBe(400);
    const badAddress = await post('/local/pair', { v: 1, hubAddress: 'http://h:1/path', code: '123456' });
    expect(badAddress.body).toMatchObject({ ok: false, error: { code: 'BAD_HUB_ADDRESS' } });
    // Nothing listens on port 1: the hub is unreachable, said in both languages.
    const noHub = await post('/local/pair', { v: 1, hubAddress: '127.0.0.1:1', code: '123456' });
    const parsed = parseWith(kioskAnswer, noHub.body);
    expect(parsed.ok && !parsed.value.ok && parsed.value.error).toMatchObject({
      kind: 'offline',
      code: 'HUB_UNREACHABLE',
    });
    expect(agent.state.pairingError?.zh).toContain('无法连接');
    expect(agent.state.phase).toBe('unpaired');
  });
});
