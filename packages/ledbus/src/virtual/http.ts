import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { isKey } from '../master/master.ts';
import type { VirtualBus } from './bus.ts';

export interface VirtualBusHttpOptions {
  /** Default 0 (any free port). */
  port?: number;
  /** Default 127.0.0.1: the twin is a test and demo tool, not something to expose on a LAN. */
  host?: string;
}

export interface VirtualBusHttp {
  url: string;
  close(): Promise<void>;
}

/**
 * The JSON view of the twin, for tests and the demo:
 *   GET  /boards                   every board, keypad and the rejection counts
 *   POST /boards/:addr/silent      {"silent": true|false} (default true); also /keypads/:addr/silent
 *   POST /boards/:addr/corrupt     {"count": n} (default 1): damage the next n replies
 *   POST /boards/:addr/busy        {"count": n} (default 1): refuse the next n requests with NAK BUSY
 *   POST /boards/:addr/power-cycle lose power for a moment: dark, 100 %, POWER_UP (also /keypads/…)
 *   POST /keypads/:addr/press      {"key": "next"|"recall"|"noShow"|"pause"}
 */
export async function serveVirtualBus(
  bus: VirtualBus,
  options: VirtualBusHttpOptions = {},
): Promise<VirtualBusHttp> {
  const server = createServer((req, res) => {
    void route(bus, req, res).catch((e) => json(res, 500, { ok: false, error: (e as Error).message }));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const a = server.address() as AddressInfo;
  return {
    url: `http://${a.address}:${a.port}`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function json(res: ServerResponse, status: number, body: unknown) {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
  res.end(text);
}

async function readJson(req: IncomingMessage): Promise<Record<string, unknown> | null> {
  let size = 0;
  const parts: Buffer[] = [];
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > 4096) return null;
    parts.push(chunk as Buffer);
  }
  const text = Buffer.concat(parts).toString('utf8').trim();
  if (text === '') return {};
  try {
    const v = JSON.parse(text) as unknown;
    return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

async function route(bus: VirtualBus, req: IncomingMessage, res: ServerResponse) {
  const path = new URL(req.url ?? '/', 'http://x').pathname;
  if (req.method === 'GET' && (path === '/boards' || path === '/')) return json(res, 200, bus.snapshot());
  const m = /^\/(boards|keypads)\/(\d{1,3})\/(silent|corrupt|busy|power-cycle|press)$/.exec(path);
  if (!m || req.method !== 'POST') return json(res, 404, { ok: false, error: 'not found' });
  const body = await readJson(req);
  if (body === null) return json(res, 400, { ok: false, error: 'body must be a JSON object' });
  const address = Number(m[2]);
  const isBoard = bus.snapshot().boards.some((b) => b.address === address);
  const isKeypad = bus.snapshot().keypads.some((k) => k.address === address);
  if ((m[1] === 'boards' && !isBoard) || (m[1] === 'keypads' && !isKeypad))
    return json(res, 404, { ok: false, error: `no ${m[1] === 'boards' ? 'board' : 'keypad'} at ${address}` });
  switch (m[3]) {
    case 'silent': {
      const silent = body.silent ?? true;
      if (typeof silent !== 'boolean')
        return json(res, 400, { ok: false, error: 'silent must be true or false' });
      bus.setSilent(address, silent);
      return json(res, 200, { ok: true, address, silent });
    }
    case 'corrupt':
    case 'busy': {
      const count = body.count ?? 1;
      if (typeof count !== 'number' || !Number.isInteger(count) || count < 0 || count > 1000)
        return json(res, 400, { ok: false, error: 'count must be a whole number 0–1000' });
      if (m[3] === 'busy') bus.busy(address, count);
      else bus.corrupt(address, count);
      return json(res, 200, { ok: true, address, count });
    }
    case 'power-cycle':
      bus.powerCycle(address);
      return json(res, 200, { ok: true, address });
    default: {
      if (m[1] !== 'keypads') return json(res, 404, { ok: false, error: 'only keypads have keys' });
      if (!isKey(body.key))
        return json(res, 400, { ok: false, error: 'key must be one of next, recall, noShow, pause' });
      const queued = bus.press(address, body.key);
      return json(res, queued ? 200 : 409, { ok: queued, address, key: body.key });
    }
  }
}
