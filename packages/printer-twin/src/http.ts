import type { Logger } from '@nextup/printer';
import Fastify, { type FastifyReply } from 'fastify';
import { z } from 'zod';
import type { VirtualStatus } from './device.ts';
import { pageState, renderPage } from './page.ts';
import type { VirtualPrinter, VirtualTicket } from './printer.ts';

export interface VirtualPrinterHttpOptions {
  /** Default 9101; 0 picks a free port. */
  port?: number;
  /** Default 127.0.0.1: the twin is a test and demo tool, not something to expose on a LAN. */
  host?: string;
  logger: Logger;
}

export interface VirtualPrinterHttp {
  port: number;
  close(): Promise<void>;
}

const SENSORS = ['paperOut', 'paperNearEnd', 'coverOpen', 'error', 'offline'] as const;
const WHOLE = 'afterBytes must be a whole number ≥ 0';
const sensor = (key: string) => z.boolean({ error: `${key} must be true or false` }).optional();

/** `POST /status`: some sensors, and optionally the number of bytes after which they change. */
const statusChange = z.strictObject(
  {
    paperOut: sensor('paperOut'),
    paperNearEnd: sensor('paperNearEnd'),
    coverOpen: sensor('coverOpen'),
    error: sensor('error'),
    offline: sensor('offline'),
    afterBytes: z.number({ error: WHOLE }).int({ error: WHOLE }).min(0, { error: WHOLE }).optional(),
  },
  {
    error: (issue) =>
      issue.code === 'unrecognized_keys'
        ? `unknown field ${issue.keys[0]}; use ${SENSORS.join(', ')}, afterBytes`
        : 'body must be a JSON object',
  },
);

/**
 * The virtual printer's web page and JSON API (hardware/escpos.md §7), for the demo, branch IT and
 * browser tests. Any page may call it (CORS `*`): the demo's own pages switch its sensors.
 *   GET    /                      the page: sensors with a button per fault, the latest tickets
 *   GET    /state                 what the page polls: sensors, in words, DLE EOT answers, newest id
 *   GET    /status                the sensors
 *   POST   /status                {"paperOut": true, …[, "afterBytes": n]}: set sensors (now or later)
 *   GET    /tickets               status, every ticket (without its dots) and the latest parse issues
 *   DELETE /tickets               forget the tickets and issues
 *   GET    /tickets/:id|latest    one ticket as JSON; with `.png`, the paper as it looks
 */
export async function serveVirtualPrinterHttp(
  vp: VirtualPrinter,
  options: VirtualPrinterHttpOptions,
): Promise<VirtualPrinterHttp> {
  const { logger } = options;
  const app = Fastify({
    bodyLimit: 64 * 1024,
    exposeHeadRoutes: false,
    routerOptions: { ignoreTrailingSlash: true },
  });
  // The body is parsed here whatever its content type (`fetch` with a string body says text/plain),
  // and an empty body is no change.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'string' }, (_req, body, done) => done(null, body));

  app.addHook('onRequest', async (_req, reply) => {
    reply.header('access-control-allow-origin', '*');
    reply.header('access-control-allow-methods', 'GET, POST, DELETE, OPTIONS');
    reply.header('access-control-allow-headers', 'content-type');
  });
  app.options('*', (_req, reply) => reply.code(204).send());

  app.get('/', (_req, reply) => reply.type('text/html; charset=utf-8').send(page(vp)));
  app.get('/status', (_req, reply) => json(reply, 200, vp.status));
  app.get('/state', (_req, reply) =>
    json(reply, 200, pageState(vp.status, vp.tickets.length, vp.tickets.at(-1)?.id ?? 0)),
  );
  app.post('/status', (req, reply) => {
    const text = typeof req.body === 'string' ? req.body : '';
    let body: unknown;
    try {
      body = JSON.parse(text || '{}');
    } catch {
      return json(reply, 400, { error: 'body must be JSON, e.g. {"paperOut": true}' });
    }
    const parsed = statusChange.safeParse(body);
    if (!parsed.success) return json(reply, 400, { error: parsed.error.issues[0]?.message ?? 'bad body' });
    const { afterBytes, ...patch } = parsed.data;
    const sensors: Partial<VirtualStatus> = {};
    for (const k of SENSORS) if (patch[k] !== undefined) sensors[k] = patch[k];
    if (afterBytes !== undefined) vp.setStatusAfter(afterBytes, sensors);
    else vp.setStatus(sensors);
    return json(reply, 200, vp.status);
  });
  app.get('/tickets', (_req, reply) =>
    json(reply, 200, { status: vp.status, tickets: vp.tickets.map(ticketJson), issues: vp.issues }),
  );
  app.delete('/tickets', (_req, reply) => {
    vp.clear();
    return json(reply, 200, { ok: true });
  });
  app.get<{ Params: { ref: string } }>('/tickets/:ref', (req, reply) => {
    const m = /^(\d+|latest)(\.png)?$/.exec(req.params.ref);
    if (!m) return notFound(req.method, req.url, reply);
    const t = m[1] === 'latest' ? vp.tickets.at(-1) : vp.ticket(Number(m[1]));
    if (!t) return json(reply, 404, { error: `no ticket ${m[1]}` });
    if (m[2]) return reply.type('image/png').header('cache-control', 'no-store').send(t.png());
    return json(reply, 200, ticketJson(t));
  });

  app.setNotFoundHandler((req, reply) => notFound(req.method, req.url, reply));
  app.setErrorHandler((e: { statusCode?: number; message: string }, _req, reply) => {
    const code = e.statusCode !== undefined && e.statusCode < 500 ? e.statusCode : 500;
    if (code === 500) logger.error({ err: e.message }, 'virtual printer http error');
    return json(reply, code, { error: code === 500 ? 'internal error' : e.message });
  });

  await app.listen({ port: options.port ?? 9101, host: options.host ?? '127.0.0.1' });
  const address = app.server.address();
  return {
    port: address && typeof address === 'object' ? address.port : 0,
    close: async () => {
      app.server.closeAllConnections();
      await app.close();
    },
  };
}

function json(reply: FastifyReply, code: number, body: unknown): FastifyReply {
  return reply
    .code(code)
    .type('application/json; charset=utf-8')
    .header('cache-control', 'no-store')
    .send(JSON.stringify(body));
}

function notFound(method: string, url: string, reply: FastifyReply): FastifyReply {
  const path = new URL(url, 'http://localhost').pathname.replace(/\/+$/, '') || '/';
  return json(reply, 404, { error: `no route ${method} ${path}` });
}

/** The page with the newest 30 tickets first. */
function page(vp: VirtualPrinter): string {
  const newest = [...vp.tickets].reverse().slice(0, 30);
  return renderPage(
    vp.status,
    newest.map((t) => ({
      id: t.id,
      via: t.via,
      bytes: t.bytes,
      heightDots: t.heightDots,
      text: t.text,
      interrupted: t.interrupted,
      issues: t.issues.length,
    })),
  );
}

/** A ticket as JSON: lines without their dots, plus where to get the picture. */
function ticketJson(t: VirtualTicket) {
  return {
    id: t.id,
    receivedAt: t.receivedAt,
    via: t.via,
    text: t.text,
    lines: t.items.map(({ bitmap: _b, ...rest }) => rest),
    qr: t.qr,
    issues: t.issues,
    cut: t.cut,
    interrupted: t.interrupted,
    bytes: t.bytes,
    heightDots: t.heightDots,
    heightMm: t.heightDots / 8,
    png: `/tickets/${t.id}.png`,
  };
}
