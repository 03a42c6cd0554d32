/// <reference types="node" />
// A test-only real peer: the client itself stays browser-safe (no Node types in its tsconfig).
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { healthResponse } from '@nextup/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HubHttp, HubResponseError } from './http.ts';

/** A real HTTP server that answers each path with a fixed status and body. */
const answers: Record<string, [number, unknown]> = {
  '/good': [
    200,
    { ok: true, v: 1, hubId: 'hub-1', seq: 4, day: '2026-03-02', time: 1_772_416_800_000, needsSetup: false },
  ],
  '/drifted': [
    200,
    { ok: true, v: 1, hubId: 'hub-1', seq: 4, day: '2026-03-02', time: '10:00', needsSetup: false },
  ],
  '/refused': [
    403,
    {
      ok: false,
      error: { kind: 'forbidden', code: 'FORBIDDEN', message: { zh: '无权访问', en: 'Not allowed' } },
    },
  ],
};
let server: Server;
let http: HubHttp;

beforeAll(async () => {
  server = createServer((req, res) => {
    const [status, body] = answers[req.url ?? ''] ?? [404, { ok: false }];
    res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  http = new HubHttp({ baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}` });
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe('HubHttp.getJson / sendJson', () => {
  it('parses a 2xx answer with its schema', async () => {
    const r = await http.getJson(healthResponse, '/good');
    expect(r).toEqual({ ok: true, status: 200, value: answers['/good']![1] });
  });

  it('throws a HubResponseError naming the path and the field when a 2xx answer does not match', async () => {
    const error = await http.getJson(healthResponse, '/drifted').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HubResponseError);
    expect((error as HubResponseError).code).toBe('HUB_BAD_RESPONSE');
    expect((error as Error).message).toMatch(/\/drifted \(200\).*time/s);
  });

  it('hands back another status with its body as it came', async () => {
    const r = await http.sendJson(healthResponse, 'POST', '/refused', {});
    expect(r).toEqual({ ok: false, status: 403, body: answers['/refused']![1] });
  });
});
