import {
  commandRequest,
  type HealthResponse,
  LIMITS,
  PROTOCOL_VERSION,
  type StateResponse,
} from '@nextup/protocol';
import type { FastifyInstance } from 'fastify';
import { errorBody } from '../hub.ts';
import { unauthenticated } from '../security/request-auth.ts';
import type { RouteContext } from './route-context.ts';

/**
 * The queue as every client reads and drives it: the hub's health, commands (`POST /api/v1/commands`),
 * the view and the log cut to what the caller's role reads (`security/view-cut.ts`), and the kiosk's
 * offers. The stream is `stream-route.ts`.
 */
export function registerQueueRoutes(app: FastifyInstance, ctx: RouteContext) {
  const { hub, identity } = ctx;

  app.get(
    '/api/v1/health',
    async () =>
      ({
        ok: true,
        v: PROTOCOL_VERSION,
        hubId: hub.hubId,
        seq: hub.head,
        day: hub.view.state.day,
        time: hub.clock.now(),
        needsSetup: identity.needsSetup(),
      }) satisfies HealthResponse,
  );

  app.post('/api/v1/commands', async (req, reply) => {
    const p = ctx.principal(req);
    if (!p) return reply.code(401).send(unauthenticated());
    const b = ctx.body(req, reply, commandRequest);
    if (!b) return reply;
    return ctx.send(reply, hub.execute(p, b.command, b.requestId));
  });

  app.get('/api/v1/state', async (req, reply) => {
    const p = ctx.readable(req, reply);
    if (!p) return reply;
    const v = hub.cutFor(p).view(hub.view);
    return { seq: v.seq, state: v.state, hub: v.hub, serverTime: hub.clock.now() } satisfies StateResponse;
  });
  app.get<{ Querystring: { after?: string; limit?: string } }>('/api/v1/events', async (req, reply) => {
    const p = ctx.readable(req, reply);
    if (!p) return reply;
    const after = Number(req.query.after ?? 0);
    const limit = Math.min(Number(req.query.limit ?? 1000), LIMITS.maxBatch);
    if (!Number.isInteger(after) || after < 0 || !Number.isInteger(limit) || limit < 1)
      return reply
        .code(400)
        .send(errorBody('input', 'BAD_QUERY', '参数无效', 'after and limit must be whole numbers'));
    const events = hub.log.readAfter(after, limit);
    const through = events.at(-1)?.seq ?? after;
    // `eventsResponse` in the protocol (the cut's run is readonly, so no `satisfies` here; the
    // response-schemas test parses it).
    return { ...hub.cutFor(p).run(events, after, through, hub.view.state), head: hub.head };
  });
  app.get('/api/v1/offers', async (req, reply) => {
    if (!ctx.readable(req, reply)) return reply;
    return { seq: hub.head, serverTime: hub.clock.now(), offers: hub.offers() };
  });
}
