import {
  createPairingCodeRequest,
  type DeviceListResponse,
  type DeviceRenamedResponse,
  deviceSettingsRequest,
  type OkResponse,
  type PairingCode,
  shortText,
} from '@nextup/protocol';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { refusalOutcome } from '../hub.ts';
import type { LastSeen } from './device-routes.ts';
import type { RouteContext } from './route-context.ts';

const renameRequest = z.strictObject({ name: shortText.trim().min(1) });

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
    return identity.createPairingCode(p.staff, b.kind, b.name) satisfies PairingCode;
  });
  app.get('/api/v1/admin/devices', async (req, reply) => {
    if (!ctx.require(req, reply, 'admin', 'manager')) return reply;
    return {
      devices: hub.view.hub.devices.map((d) => ({
        ...d,
        lastSeen: Math.max(d.lastSeen ?? 0, lastSeen.get(d.deviceId) ?? 0) || null,
      })),
    } satisfies DeviceListResponse;
  });
  app.post<{ Params: { id: string } }>('/api/v1/admin/devices/:id/revoke', async (req, reply) => {
    const p = ctx.require(req, reply, 'admin');
    if (p?.kind !== 'staff') return reply;
    return ctx.send(reply, identity.revokeDevice(p.staff, req.params.id));
  });
  app.put<{ Params: { id: string } }>('/api/v1/admin/devices/:id/settings', async (req, reply) => {
    const p = ctx.require(req, reply, 'admin');
    if (p?.kind !== 'staff') return reply;
    const b = ctx.body(req, reply, deviceSettingsRequest);
    if (!b) return reply;
    const d = hub.decideHub({
      type: 'ConfigureDevice',
      data: { deviceId: req.params.id, settings: b.settings, at: hub.clock.now() },
    });
    if (!d.ok) return ctx.send(reply, refusalOutcome(d.refusal));
    hub.record({ kind: 'staff', id: p.staff.id }, d.events);
    return { ok: true } satisfies OkResponse;
  });

  app.patch<{ Params: { id: string } }>('/api/v1/admin/devices/:id', async (req, reply) => {
    const p = ctx.require(req, reply, 'admin');
    if (p?.kind !== 'staff') return reply;
    const b = ctx.body(req, reply, renameRequest);
    if (!b) return reply;
    const d = hub.decideHub({
      type: 'RenameDevice',
      data: { deviceId: req.params.id, name: b.name, at: hub.clock.now() },
    });
    if (!d.ok) return ctx.send(reply, refusalOutcome(d.refusal));
    if (d.events.length > 0) {
      hub.identities.renameDevice(req.params.id, b.name);
      hub.record({ kind: 'staff', id: p.staff.id }, d.events);
    }
    return { ok: true, name: b.name } satisfies DeviceRenamedResponse;
  });
}
