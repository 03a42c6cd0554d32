import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestHub, type TestHub } from './support.ts';

let hub: TestHub;

beforeAll(async () => {
  hub = await startTestHub();
});
afterAll(async () => {
  await hub?.close();
});

describe('the hub serves the console', () => {
  it('answers every client route with the app, assets with a long cache, and keeps /api, /t/ and /setup', async () => {
    for (const path of ['/', '/counter/c1', '/admin/devices', '/report?date=2026-11-23', '/rating']) {
      const r = await fetch(`${hub.url}${path}`);
      expect(r.status, path).toBe(200);
      expect(r.headers.get('content-type')).toContain('text/html');
      expect(await r.text()).toContain('<div id="root"></div>');
    }
    const asset = readdirSync(join(import.meta.dirname, '..', 'dist', 'assets')).find((f) =>
      f.endsWith('.js'),
    )!;
    const a = await fetch(`${hub.url}/assets/${asset}`);
    expect(a.status).toBe(200);
    expect(a.headers.get('cache-control')).toContain('immutable');
    const missing = await fetch(`${hub.url}/assets/nope.js`);
    expect(missing.status).toBe(404);
    const api = await fetch(`${hub.url}/api/v1/nothing-here`);
    expect(api.status).toBe(404);
    expect((await api.json()).error.code).toBe('NOT_FOUND');
    expect(await (await fetch(`${hub.url}/setup`)).text()).toContain('setup');
    const follow = await fetch(`${hub.url}/t/AAAAAAAAAAAAAAAAAAAA`);
    expect(await follow.text()).not.toContain('<div id="root"></div>');
  });

  it('says plainly how to build the console when it has not been built', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'nextup-no-console-'));
    process.env.NEXTUP_CONSOLE_DIR = empty;
    const bare = await startTestHub();
    delete process.env.NEXTUP_CONSOLE_DIR;
    try {
      const r = await fetch(`${bare.url}/counter`);
      expect(r.status).toBe(503);
      const html = await r.text();
      expect(html).toContain('控制台尚未构建');
      expect(html).toContain('The console has not been built');
      expect(html).toContain('--filter @nextup/console build');
      expect((await fetch(`${bare.url}/api/v1/health`)).status).toBe(200);
    } finally {
      await bare.close();
      rmSync(empty, { recursive: true, force: true });
    }
  });
});
