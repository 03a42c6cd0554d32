import {
  createStaffRequest,
  noticeRequest,
  type OkResponse,
  type StaffListResponse,
  updateStaffRequest,
} from '@nextup/protocol';
import type { FastifyInstance } from 'fastify';
import type { RouteContext } from './route-context.ts';

/**
 * Staff accounts (`/api/v1/admin/staff`, admin only; the rules are `identity.ts`'s) and the notice
 * every screen shows (`PUT /api/v1/notice`, admins and managers).
 */
export function registerStaffRoutes(app: FastifyInstance, ctx: RouteContext) {
  const { hub, identity } = ctx;
  app.get('/api/v1/admin/staff', async (req, reply) => {
    if (!ctx.require(req, reply, 'admin')) return reply;
    return { staff: identity.listStaff() } satisfies StaffListResponse;
  });
  app.post('/api/v1/admin/staff', async (req, reply) => {
    const p = ctx.require(req, reply, 'admin');
    if (p?.kind !== 'staff') return reply;
    const b = ctx.body(req, reply, createStaffRequest);
    if (!b) return reply;
    return ctx.send(reply, await identity.createStaff(p.staff, b));
  });
  app.patch<{ Params: { id: string } }>('/api/v1/admin/staff/:id', async (req, reply) => {
    const p = ctx.require(req, reply, 'admin');
    if (p?.kind !== 'staff') return reply;
    const b = ctx.body(req, reply, updateStaffRequest);
    if (!b) return reply;
    return ctx.send(reply, await identity.updateStaff(p.staff, req.params.id, b));
  });
  app.put('/api/v1/notice', async (req, reply) => {
    const p = ctx.require(req, reply, 'admin', 'manager');
    if (p?.kind !== 'staff') return reply;
    const b = ctx.body(req, reply, noticeRequest);
    if (!b) return reply;
    const d = hub.decideHub({ type: 'ChangeNotice', data: { notice: b.notice, at: hub.clock.now() } });
    if (d.ok) hub.record({ kind: 'staff', id: p.staff.id }, d.events);
    return { ok: true } satisfies OkResponse;
  });
}
