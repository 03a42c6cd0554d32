import { createTransport, TicketPrinter } from '@nextup/printer';
import { pngPixels, sampleJob } from '@nextup/printer/testing';
import jsQR from 'jsqr';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { VirtualPrinter } from './printer.ts';

let vp: VirtualPrinter;
let base: string;
let tcp: number;
const printers: TicketPrinter[] = [];

function printer(): TicketPrinter {
  const p = new TicketPrinter({
    transport: createTransport(`tcp://127.0.0.1:${tcp}`),
    statusTimeoutMs: 3000,
  });
  printers.push(p);
  return p;
}

function decodeQr(png: Buffer): string | null {
  const { data, width, height } = pngPixels(png);
  return jsQR(data, width, height)?.data ?? null;
}

const post = (path: string, body: string) => fetch(`${base}${path}`, { method: 'POST', body });

beforeEach(async () => {
  vp = new VirtualPrinter();
  tcp = await vp.listen({ port: 0 });
  base = `http://127.0.0.1:${await vp.listenHttp({ port: 0 })}`;
});

afterEach(async () => {
  for (const p of printers.splice(0)) await p.dispose();
  await vp.close();
});

describe("the virtual printer's HTTP API", () => {
  it('serves tickets, pictures and status over HTTP', async () => {
    expect((await printer().print(sampleJob())).ok).toBe(true);
    const list = (await (await fetch(`${base}/tickets`)).json()) as {
      tickets: { id: number; text: string; qr: string[] }[];
    };
    expect(list.tickets).toHaveLength(1);
    expect(list.tickets[0]!.text).toContain('A023');
    expect(list.tickets[0]!.qr).toEqual([sampleJob().followUrl]);
    const png = Buffer.from(await (await fetch(`${base}/tickets/${list.tickets[0]!.id}.png`)).arrayBuffer());
    expect(decodeQr(png)).toBe(sampleJob().followUrl);
    const set = await fetch(`${base}/status`, { method: 'POST', body: JSON.stringify({ paperOut: true }) });
    expect(await set.json()).toMatchObject({ paperOut: true });
    expect((await (await fetch(`${base}/status`)).json()) as object).toMatchObject({ paperOut: true });
    const bad = await fetch(`${base}/status`, { method: 'POST', body: JSON.stringify({ paperOut: 'yes' }) });
    expect(bad.status).toBe(400);
    const r = await printer().print(sampleJob());
    expect(r).toMatchObject({ ok: false, error: { code: 'PAPER_OUT' } });
  });

  it('says what is wrong with a status change, field by field', async () => {
    const cases: [string, string][] = [
      ['{"paperOut": "yes"}', 'paperOut must be true or false'],
      [
        '{"jam": true}',
        'unknown field jam; use paperOut, paperNearEnd, coverOpen, error, offline, afterBytes',
      ],
      ['{"afterBytes": -1}', 'afterBytes must be a whole number ≥ 0'],
      ['{"afterBytes": 1.5}', 'afterBytes must be a whole number ≥ 0'],
      ['[true]', 'body must be a JSON object'],
      ['null', 'body must be a JSON object'],
      ['{paperOut', 'body must be JSON, e.g. {"paperOut": true}'],
    ];
    for (const [body, error] of cases) {
      const r = await post('/status', body);
      expect([body, r.status, await r.json()]).toEqual([body, 400, { error }]);
    }
    expect(vp.status.paperOut).toBe(false);
  });

  it('takes a status change with or without a JSON content type, and an empty body as no change', async () => {
    const typed = await fetch(`${base}/status`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"coverOpen": true}',
    });
    expect(typed.status).toBe(200);
    expect(vp.status.coverOpen).toBe(true);
    const empty = await fetch(`${base}/status`, { method: 'POST' });
    expect(empty.status).toBe(200);
    expect(await empty.json()).toMatchObject({ coverOpen: true, paperOut: false });
  });

  it('sets sensors after a number of bytes', async () => {
    const r = await post('/status', '{"paperOut": true, "afterBytes": 100000}');
    expect(r.status).toBe(200);
    expect(await r.json()).toMatchObject({ paperOut: false });
    expect((await printer().print(sampleJob())).ok).toBe(true);
  });

  it('answers the page, its state, a ticket by id or latest, and clears the tickets', async () => {
    const page = await fetch(`${base}/`);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(await page.text()).toContain('<!doctype html>');
    expect(await (await fetch(`${base}/state`)).json()).toEqual({
      status: vp.status,
      words: { zh: '正常', en: 'Ready' },
      dleEot: '12 12 12 12',
      tickets: 0,
      latest: 0,
    });
    expect((await printer().print(sampleJob())).ok).toBe(true);
    const latest = await fetch(`${base}/tickets/latest`);
    expect(latest.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(latest.headers.get('cache-control')).toBe('no-store');
    const t = (await latest.json()) as { id: number; png: string; heightMm: number; lines: object[] };
    expect(t).toMatchObject({ id: 1, png: '/tickets/1.png', via: 'tcp' });
    expect(t.lines.length).toBeGreaterThan(0);
    expect(t.lines.every((l) => !('bitmap' in l))).toBe(true);
    expect(await (await fetch(`${base}/tickets/1/`)).json()).toEqual(t);
    const png = await fetch(`${base}/tickets/latest.png`);
    expect(png.headers.get('content-type')).toBe('image/png');
    expect(png.headers.get('cache-control')).toBe('no-store');
    expect((await (await fetch(`${base}/state`)).json()) as object).toMatchObject({ tickets: 1, latest: 1 });
    const del = await fetch(`${base}/tickets`, { method: 'DELETE' });
    expect(await del.json()).toEqual({ ok: true });
    expect(vp.tickets).toHaveLength(0);
  });

  it('answers unknown routes and tickets with 404 and JSON, and lets any page call it', async () => {
    const none = await fetch(`${base}/tickets/7`);
    expect([none.status, await none.json()]).toEqual([404, { error: 'no ticket 7' }]);
    const nowhere = await fetch(`${base}/nowhere`);
    expect([nowhere.status, await nowhere.json()]).toEqual([404, { error: 'no route GET /nowhere' }]);
    const wrongVerb = await fetch(`${base}/state`, { method: 'DELETE' });
    expect([wrongVerb.status, await wrongVerb.json()]).toEqual([404, { error: 'no route DELETE /state' }]);
    expect(nowhere.headers.get('access-control-allow-origin')).toBe('*');
    const pre = await fetch(`${base}/status`, { method: 'OPTIONS' });
    expect(pre.status).toBe(204);
    expect(pre.headers.get('access-control-allow-origin')).toBe('*');
    expect(pre.headers.get('access-control-allow-methods')).toBe('GET, POST, DELETE, OPTIONS');
    expect(pre.headers.get('access-control-allow-headers')).toBe('content-type');
  });
});
