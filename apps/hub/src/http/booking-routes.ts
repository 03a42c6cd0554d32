import { has, isId, MINUTE, own } from '@nextup/core';
import {
  type AppointmentResponse,
  type BookableServicesResponse,
  type BookingCancelledResponse,
  type BookingResponse,
  epochMs,
  id,
  label,
  type SlotsResponse,
} from '@nextup/protocol';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { errorBody } from '../hub.ts';
import type { Principal } from '../principal.ts';
import { API_KEY_PREFIX, type ApiKeys, apiKeyPrincipal } from './api-keys.ts';
import { slotsFor } from './booking-slots.ts';
import { qrPngDataUrl } from './qr-png.ts';
import type { RouteContext } from './route-context.ts';

/**
 * The booking API, for the staff booking page and for the bank's app or website, with the same rules
 * for both: every booking and cancellation is the domain's `BookAppointment` / `CancelAppointment`
 * command (capacity, no double booking, slot alignment and hours are the domain's), run through the
 * hub's one command path, so it is serialised, durable and audited like any other. Two requests
 * racing for the last place therefore yield exactly one booking.
 *
 * Who may call: a signed-in staff member (cookie + CSRF header), or the bank's systems with an API key
 * (`Authorization: Bearer nxk_…`). `Idempotency-Key: <8–64 of A-Z a-z 0-9 _ ->` makes a retry safe.
 *
 * - `GET /api/v1/appointments/services` — bookable services with slot length and capacity
 * - `GET /api/v1/appointments/slots?serviceId=&date=YYYY-MM-DD` — future slots with free places
 * - `POST /api/v1/appointments {serviceId, slotStart, customerName?, phoneTail?}` — book; answers the
 *   check-in code, the check-in window and a QR image of the code (PNG data URL)
 * - `GET /api/v1/appointments/:id` — one booking's status
 * - `DELETE /api/v1/appointments/:id` — cancel (a checked-in or cancelled one cannot be)
 */

const bookRequest = z.strictObject({
  serviceId: id,
  slotStart: epochMs,
  customerName: label().trim().nullable().optional(),
  phoneTail: z
    .string()
    .regex(/^\d{4}$/, 'the last 4 digits of a phone number')
    .nullable()
    .optional(),
});

const IDEMPOTENCY = /^[A-Za-z0-9_-]{8,64}$/;

export function registerBookingRoutes(app: FastifyInstance, ctx: RouteContext, keys: ApiKeys) {
  const { hub } = ctx;

  /** Staff (any role) or a live API key; replies 401/403 and returns null otherwise. */
  const caller = (req: FastifyRequest, reply: FastifyReply): Principal | null => {
    const auth = req.headers.authorization;
    if (auth?.startsWith(`Bearer ${API_KEY_PREFIX}`)) {
      const key = keys.verify(auth.slice(7).trim());
      if (!key) {
        reply
          .code(401)
          .send(
            errorBody('auth', 'BAD_API_KEY', 'API 密钥无效或已吊销', 'The API key is unknown or revoked'),
          );
        return null;
      }
      return apiKeyPrincipal(key);
    }
    return ctx.require(req, reply, 'teller', 'manager', 'admin');
  };

  const idempotencyKey = (req: FastifyRequest): string | undefined => {
    const h = req.headers['idempotency-key'];
    return typeof h === 'string' && IDEMPOTENCY.test(h) ? h : undefined;
  };

  const view = (a: { id: string; code: string; serviceId: string; slotStart: number; slotEnd: number }) => {
    const { dispatch } = hub.view.state.config;
    return {
      appointmentId: a.id,
      code: a.code,
      serviceId: a.serviceId,
      slotStart: a.slotStart,
      slotEnd: a.slotEnd,
      checkIn: {
        opensAt: a.slotStart - dispatch.checkInEarlyMinutes * MINUTE,
        closesAt: a.slotStart + dispatch.checkInLateMinutes * MINUTE,
      },
    };
  };

  app.get('/api/v1/appointments/services', async (req, reply) => {
    if (!caller(req, reply)) return reply;
    const { config } = hub.view.state;
    return {
      services: config.serviceOrder.flatMap((sid) => {
        const s = own(config.services, sid);
        if (!s?.appointments || !s.enabled) return [];
        return [
          {
            serviceId: s.id,
            prefix: s.prefix,
            name: s.name,
            slotMinutes: s.appointments.slotMinutes,
            capacity: s.appointments.capacity,
          },
        ];
      }),
      timeZone: config.branch.timeZone,
    } satisfies BookableServicesResponse;
  });

  app.get<{ Querystring: { serviceId?: string; date?: string } }>(
    '/api/v1/appointments/slots',
    async (req, reply) => {
      if (!caller(req, reply)) return reply;
      const serviceId = req.query.serviceId ?? '';
      const date = req.query.date ?? '';
      const r = slotsFor(hub.view.state, serviceId, date, hub.clock.now());
      if (!r.ok) {
        const words = {
          UNKNOWN_SERVICE: ['没有此业务', `No such service: ${serviceId}`],
          NOT_BOOKABLE: ['此业务不接受预约', 'This service takes no appointments'],
          BAD_DATE: ['日期须为 YYYY-MM-DD', 'date must be YYYY-MM-DD'],
        } as const;
        const [zh, en] = words[r.code];
        return reply.code(r.code === 'UNKNOWN_SERVICE' ? 404 : 400).send(errorBody('input', r.code, zh, en));
      }
      return {
        serviceId,
        date,
        timeZone: hub.view.state.config.branch.timeZone,
        ...r,
      } satisfies SlotsResponse;
    },
  );

  app.post('/api/v1/appointments', async (req, reply) => {
    const p = caller(req, reply);
    if (!p) return reply;
    const b = ctx.body(req, reply, bookRequest);
    if (!b) return reply;
    const out = hub.execute(
      p,
      {
        type: 'BookAppointment',
        data: {
          serviceId: b.serviceId,
          slotStart: b.slotStart,
          customerName: b.customerName ? b.customerName : null,
          phoneTail: b.phoneTail ?? null,
        },
      },
      idempotencyKey(req),
    );
    if (out.status !== 200 || !out.body.ok) return ctx.send(reply, out);
    const a = out.body.appointment!;
    return {
      ok: true,
      ...view({
        id: a.appointmentId,
        code: a.code,
        serviceId: b.serviceId,
        slotStart: a.slotStart,
        slotEnd: a.slotEnd,
      }),
      qr: qrPngDataUrl(a.code),
    } satisfies BookingResponse;
  });

  const notFound = (reply: FastifyReply) =>
    reply
      .code(404)
      .send(
        errorBody('notFound', 'UNKNOWN_APPOINTMENT', '没有此预约', 'No such appointment (or it has expired)'),
      );

  app.get<{ Params: { id: string } }>('/api/v1/appointments/:id', async (req, reply) => {
    if (!caller(req, reply)) return reply;
    const a = own(hub.view.state.appointments, req.params.id);
    if (!a) return notFound(reply);
    return {
      ...view(a),
      status: a.status,
      customerName: a.customerName,
      phoneTail: a.phoneTail,
    } satisfies AppointmentResponse;
  });

  app.delete<{ Params: { id: string } }>('/api/v1/appointments/:id', async (req, reply) => {
    const p = caller(req, reply);
    if (!p) return reply;
    if (!isId(req.params.id) || !has(hub.view.state.appointments, req.params.id)) return notFound(reply);
    const out = hub.execute(
      p,
      { type: 'CancelAppointment', data: { appointmentId: req.params.id } },
      idempotencyKey(req),
    );
    if (out.status !== 200) return ctx.send(reply, out);
    return {
      ok: true,
      appointmentId: req.params.id,
      status: 'cancelled',
    } satisfies BookingCancelledResponse;
  });
}
