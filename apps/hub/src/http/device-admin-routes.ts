import { createPairingCodeRequest, deviceSettings, shortText } from '@nextup/protocol';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { deviceSettingsRefusal } from '../device-settings-rules.ts';
import { errorBody } from '../hub.ts';
import type { LastSeen } from './device-routes.ts';
import type { RouteContext } from './route-context.ts';

const renameRequest = z.strictObject({ name: shortText.trim().min(1) });
const settingsRequest = z.strictObject({ settings: deviceSettings });

/**
 * Branch IT's device chores: pairing codes, the device list with when each was last heard from,
 * revoking, settings (checked by `device-settings-rules.ts`), and renaming
 * (`PATCH /api/v1/admin/devices/:id`, "大厅取号机" → "二楼取号机"). A new name is kept with the
 * device's credentials and recorded as an audited `DeviceRenamed` event with the admin as its actor,
 * so every console and the device itself see it at once.
 */
export function registerDeviceAdminRoutes(app: FastifyInstance, ctx: RouteContext, lastSeen: LastSeen): void {
  const { hub, identity } = ctx;

  app.post('/api/v1/admin/pairing-codes', async (req, reply) => {
    const p = ctx.require(req, reply, 'admin');
    if (p?.kind !== 'staff') return reply;
    const b = ctx.body(req, reply, createPairingCodeRequest);
    if (!b) return reply;
    return identity.createPairingCode(p.staff, b.kind, b.name);
  });
  app.get('/api/v1/admin/devices', async (req, reply) => {
    if (!ctx.require(req, reply, 'admin', 'manager')) return reply;
    return {
      devices: hub.view.hub.devices.map((d) => ({
        ...d,
        lastSeen: Math.max(d.lastSeen ?? 0, lastSeen.get(d.deviceId) ?? 0) || null,
      })),
    };
  });
  app.post<{ Params: { id: string } }>('/api/v1/admin/devices/:id/revoke', async (req, reply) => {
    const p = ctx.require(req, reply, 'admin');
    if (p?.kind !== 'staff') return reply;
    return ctx.send(reply, identity.revokeDevice(p.staff, req.params.id));
  });
  app.put<{ Params: { id: string } }>('/api/v1/admin/devices/:id/settings', async (req, reply) => {
    const p = ctx.require(req, reply, 'admin');
    if (p?.kind !== 'staff') return reply;
    const b = ctx.body(req, reply, settingsRequest);
    if (!b) return reply;
    const device = hub.view.hub.devices.find((d) => d.deviceId === req.params.id);
    if (!device)
      return reply.code(404).send(errorBody('notFound', 'UNKNOWN_DEVICE', '没有此设备', 'No such device'));
    const refusal = deviceSettingsRefusal(device.kind, b.settings, hub.view.state.config);
    if (refusal) return ctx.send(reply, refusal);
    hub.record({ kind: 'staff', id: p.staff.id }, [
      {
        type: 'DeviceConfigured',
        data: { deviceId: device.deviceId, settings: b.settings, at: hub.clock.now() },
      },
    ]);
    return { ok: true };
  });

  app.patch<{ Params: { id: string } }>('/api/v1/admin/devices/:id', async (req, reply) => {
    const p = ctx.require(req, reply, 'admin');
    if (p?.kind !== 'staff') return reply;
    const b = ctx.body(req, reply, renameRequest);
    if (!b) return reply;
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
