import { shortText } from '@nextup/protocol';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { errorBody } from '../hub.ts';
import type { RouteContext } from './app.ts';

const renameRequest = z.strictObject({ name: shortText.trim().min(1) });

/**
 * Branch IT's device chores beside pairing and settings: `PATCH /api/v1/admin/devices/:id` renames a
 * device ("大厅取号机" → "二楼取号机"). The new name is kept with the device's credentials and recorded
 * as an audited `DeviceRenamed` event with the admin as its actor, so every console and the device
 * itself see it at once.
 */
export function registerDeviceAdminRoutes(app: FastifyInstance, ctx: RouteContext): void {
  app.patch<{ Params: { id: string } }>('/api/v1/admin/devices/:id', async (req, reply) => {
    const p = ctx.require(req, reply, 'admin');
    if (p?.kind !== 'staff') return reply;
    const b = ctx.body(req, reply, renameRequest);
    if (!b) return reply;
    const { hub } = ctx;
    const device = hub.identities.deviceById(req.params.id);
    if (!device)
      return reply.code(404).send(errorBody('notFound', 'UNKNOWN_DEVICE', '没有此设备', 'No such device'));
    if (device.revokedAt !== null)
      return reply
        .code(409)
        .send(errorBody('conflict', 'DEVICE_REVOKED', '设备已被移除，不能改名', 'The device was revoked'));
    if (device.name !== b.name) {
      hub.identities.renameDevice(device.id, b.name);
      hub.record({ kind: 'staff', id: p.staff.id }, [
        { type: 'DeviceRenamed', data: { deviceId: device.id, name: b.name, at: hub.clock.now() } },
      ]);
    }
    return { ok: true, name: b.name };
  });
}
