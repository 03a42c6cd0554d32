import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { displayAgentMessage, kioskAnswer, localAnswer, parseWith } from '@nextup/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DisplayAgent, startDisplayAgent } from './display-agent.ts';

let agent: DisplayAgent;
let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'nextup-display-api-'));
  agent = await startDisplayAgent({ dataDir: dir, makeClips: false });
});

afterAll(async () => {
  await agent?.close();
  rmSync(dir, { recursive: true, force: true });
});

const post = async (path: string, body: unknown) => {
  const res = await fetch(`${agent.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as unknown };
};

describe("the display agent's local API", () => {
  it('shows a blank box the pairing form', async () => {
    const m = parseWith(displayAgentMessage, await (await fetch(`${agent.url}/local/state`)).json());
    expect(m.ok && m.value.type).toBe('pairing');
    expect(agent.status).toBe('pairing');
  });

  it("refuses a pairing request in the kiosk's shape: { ok: false, error: { kind, code, message } }", async () => {
    const bad = await post('/local/pair', { hubUrl: 'not a url', code: '12' });
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({
      ok: false,
      error: { kind: 'input', code: 'INVALID_MESSAGE', message: { zh: expect.stringContaining('配对码') } },
    });
    // Nothing listens on port 1: the hub is unreachable, said in both languages.
    const noHub = await post('/local/pair', { hubUrl: 'http://127.0.0.1:1', code: '123456', name: '叫号屏' });
    expect(noHub.body).toMatchObject({ ok: false, error: { kind: 'offline', code: 'HUB_UNREACHABLE' } });
    // One shape: the kiosk UI's schema reads the display's refusals too.
    for (const r of [bad, noHub]) {
      expect(parseWith(localAnswer, r.body).ok).toBe(true);
      expect(parseWith(kioskAnswer, r.body).ok).toBe(true);
    }
    expect(agent.status).toBe('pairing');
  });
});
