import { isKey, type Key } from '@nextup/ledbus';
import Fastify, { type FastifyReply } from 'fastify';
import { z } from 'zod';
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

const NOT_OBJECT = 'body must be a JSON object';
const COUNT = 'count must be a whole number 0–1000';

/** The bodies, by action. Fields other than the action's own are ignored. */
const anyObject = z.looseObject({});
const silentBody = z.object({ silent: z.boolean({ error: 'silent must be true or false' }).default(true) });
const countBody = z.object({
  count: z
    .number({ error: COUNT })
    .int({ error: COUNT })
    .min(0, { error: COUNT })
    .max(1000, { error: COUNT })
    .default(1),
});
const pressBody = z.object({
  key: z.custom<Key>(isKey, { error: 'key must be one of next, recall, noShow, pause' }),
});

/** `/boards|keypads/:address/:action`, the address 1–3 digits. */
const TARGET = /^\/(boards|keypads)\/(\d{1,3})\/(silent|corrupt|busy|power-cycle|press)$/;

/**
 * The JSON view of the twin, for tests and the demo:
 *   GET  /boards                   every board, keypad and the rejection counts
 *   POST /boards/:addr/silent      {"silent": true|false} (default true); also /keypads/:addr/silent
 *   POST /boards/:addr/corrupt     {"count": n} (default 1): damage the next n replies
 *   POST /boards/:addr/busy        {"count": n} (default 1): refuse the next n requests with NAK BUSY
 *   POST /boards/:addr/power-cycle lose power for a moment: dark, 100 %, POWER_UP (also /keypads/…)
 *   POST /keypads/:addr/press      {"key": "next"|"recall"|"noShow"|"pause"}
 * Every answer is JSON; a refusal is `{ ok: false, error }` with 400, 404 or 409 (a keypad's queue
 * of presses is full).
 */
export async function serveVirtualBus(
  bus: VirtualBus,
  options: VirtualBusHttpOptions = {},
): Promise<VirtualBusHttp> {
  const app = Fastify({ bodyLimit: 4096, exposeHeadRoutes: false });
  // The body is read here whatever its content type; an empty body is `{}`.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'string' }, (_req, body, done) => done(null, body));
  const refuse = (reply: FastifyReply, status: number, error: string) =>
    reply.code(status).send({ ok: false, error });

  app.get('/', () => bus.snapshot());
  app.get('/boards', () => bus.snapshot());
  app.post('/*', (req, reply) => {
    const m = TARGET.exec(new URL(req.url, 'http://x').pathname);
    if (!m) return refuse(reply, 404, 'not found');
    const body = anyObject.safeParse(parseJson(typeof req.body === 'string' ? req.body : ''));
    if (!body.success) return refuse(reply, 400, NOT_OBJECT);
    const [, kind, addressText, action] = m;
    const address = Number(addressText);
    const snapshot = bus.snapshot();
    const exists =
      kind === 'boards'
        ? snapshot.boards.some((b) => b.address === address)
        : snapshot.keypads.some((k) => k.address === address);
    if (!exists) return refuse(reply, 404, `no ${kind === 'boards' ? 'board' : 'keypad'} at ${address}`);
    const firstIssue = (e: z.ZodError) => e.issues[0]?.message ?? NOT_OBJECT;
    switch (action) {
      case 'silent': {
        const b = silentBody.safeParse(body.data);
        if (!b.success) return refuse(reply, 400, firstIssue(b.error));
        bus.setSilent(address, b.data.silent);
        return { ok: true, address, silent: b.data.silent };
      }
      case 'corrupt':
      case 'busy': {
        const b = countBody.safeParse(body.data);
        if (!b.success) return refuse(reply, 400, firstIssue(b.error));
        if (action === 'busy') bus.busy(address, b.data.count);
        else bus.corrupt(address, b.data.count);
        return { ok: true, address, count: b.data.count };
      }
      case 'power-cycle':
        bus.powerCycle(address);
        return { ok: true, address };
      default: {
        if (kind !== 'keypads') return refuse(reply, 404, 'only keypads have keys');
        const b = pressBody.safeParse(body.data);
        if (!b.success) return refuse(reply, 400, firstIssue(b.error));
        const queued = bus.press(address, b.data.key);
        return reply.code(queued ? 200 : 409).send({ ok: queued, address, key: b.data.key });
      }
    }
  });
  app.setNotFoundHandler((_req, reply) => refuse(reply, 404, 'not found'));
  app.setErrorHandler((e: { code?: string; message: string }, _req, reply) =>
    // A body over 4 KiB is no body this API takes.
    e.code === 'FST_ERR_CTP_BODY_TOO_LARGE' ? refuse(reply, 400, NOT_OBJECT) : refuse(reply, 500, e.message),
  );

  await app.listen({ port: options.port ?? 0, host: options.host ?? '127.0.0.1' });
  const a = app.server.address();
  const where = a && typeof a === 'object' ? a : { address: options.host ?? '127.0.0.1', port: 0 };
  return {
    url: `http://${where.address}:${where.port}`,
    close: async () => {
      app.server.closeAllConnections();
      await app.close();
    },
  };
}

/** The body as JSON; an empty body is `{}`, text that is not JSON is undefined (refused). */
function parseJson(text: string): unknown {
  if (text.trim() === '') return {};
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
