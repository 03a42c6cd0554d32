import type { FastifyInstance } from 'fastify';
import type { RouteContext } from '../http/route-context.ts';
import { disabledShipperStatus, type Shipper } from './shipper.ts';

/**
 * `GET /api/v1/admin/shipper` (admin, manager): the central shipper's `ShipperStatus` — code, lag in
 * events and seconds, last contact, next retry. Answers `{enabled: false, …}` when shipping is off.
 */
export function registerShipperRoutes(
  app: FastifyInstance,
  ctx: RouteContext,
  shipper: () => Shipper | null,
) {
  app.get('/api/v1/admin/shipper', async (req, reply) => {
    if (!ctx.require(req, reply, 'admin', 'manager')) return reply;
    return shipper()?.status() ?? disabledShipperStatus(ctx.hub.head);
  });
}
