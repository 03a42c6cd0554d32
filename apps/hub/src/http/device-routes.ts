import { healthReport, pairRequest } from '@nextup/protocol';
import type { FastifyInstance } from 'fastify';
import { unauthenticated } from '../security/request-auth.ts';
import type { RouteContext } from './route-context.ts';

/** When each device was last heard from (requests, stream messages); not an event. */
export type LastSeen = Map<string, number>;

/**
 * What a device asks for itself: pairing with a code (`POST /api/v1/devices/pair`), who it is
 * (`GET /api/v1/devices/me`) and its health (`POST /api/v1/devices/health`).
 */
export function registerDeviceRoutes(app: FastifyInstance, ctx: RouteContext, lastSeen: LastSeen) {
  const { hub, identity } = ctx;
  app.post('/api/v1/devices/pair', async (req, reply) => {
    const b = ctx.body(req, reply, pairRequest);
    if (!b) return reply;
    return ctx.send(reply, identity.pair(b.code, b.name, req.ip, b.kind));
  });
  app.get('/api/v1/devices/me', async (req, reply) => {
    const p = ctx.principal(req);
    if (p?.kind !== 'device') return reply.code(401).send(unauthenticated());
    const info = hub.view.hub.devices.find((d) => d.deviceId === p.device.id);
    return {
      deviceId: p.device.id,
      kind: p.device.kind,
      name: p.device.name,
      hubId: hub.hubId,
      info: info ?? null,
    };
  });
  app.post('/api/v1/devices/health', async (req, reply) => {
    const p = ctx.principal(req);
    if (p?.kind !== 'device') return reply.code(401).send(unauthenticated());
    const b = ctx.body(req, reply, healthReport);
    if (!b) return reply;
    // Only a change is an event (`hub-decide.ts`): a heartbeat with the same health does not grow the log.
    const d = hub.decideHub({
      type: 'ReportDeviceHealth',
      data: { deviceId: p.device.id, health: b.health, at: hub.clock.now() },
    });
    if (d.ok) hub.record({ kind: 'device', id: p.device.id }, d.events);
    lastSeen.set(p.device.id, hub.clock.now());
    return { ok: true };
  });
}
