import fastifyCookie from '@fastify/cookie';
import fastifyWebsocket from '@fastify/websocket';
import { has } from '@nextup/core';
import {
  bilingualLabel,
  commandRequest,
  createPairingCodeRequest,
  createStaffRequest,
  deviceSettings,
  type ErrorBody,
  healthReport,
  LIMITS,
  loginRequest,
  PROTOCOL_VERSION,
  pairRequest,
  parseRaw,
  setupRequest,
  updateStaffRequest,
} from '@nextup/protocol';
import type { FastifyBaseLogger } from 'fastify';
import Fastify, {
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
  LogController,
} from 'fastify';
import { z } from 'zod';
import { healthOnHubClock } from '../device-health.ts';
import { errorBody, type HubService, type Outcome } from '../hub.ts';
import type { IdentityService } from '../identity.ts';
import { isRole, mayRead, type Principal } from '../principal.ts';
import { checkOrigin } from '../security/origin.ts';
import { clientErrorHandler, frameworkErrors, Refusal } from './edge-errors.ts';
import { followPage } from './follow-page.ts';
import { registerSecurityHeaders } from './security-headers.ts';
import { setupPage } from './setup-page.ts';
import { registerStreamRoute } from './stream-route.ts';

export const SESSION_COOKIE = 'nextup_session';

export interface AppOptions {
  hub: HubService;
  identity: IdentityService;
  logger: FastifyBaseLogger;
  /** Set the session cookie's Secure flag (serve the hub over HTTPS). Default false: branch LANs are often plain HTTP. */
  secureCookies?: boolean;
  /** Seconds a device may be without a stream before it is reported offline. Default 15. */
  offlineAfterSeconds?: number;
  /** Register more routes (console, reports) on the same server. */
  extend?: (app: FastifyInstance, ctx: RouteContext) => void | Promise<void>;
}

export interface RouteContext {
  hub: HubService;
  identity: IdentityService;
  /** The caller, or null; for cookie sessions on unsafe methods, also checks CSRF. */
  principal(req: FastifyRequest): Principal | null;
  /** Sends `outcome` with its status. */
  send<T>(reply: FastifyReply, outcome: Outcome<T>): FastifyReply;
  /** Parses a raw JSON body with a schema or replies with a clear error (and returns null). */
  body<S extends z.ZodType>(req: FastifyRequest, reply: FastifyReply, schema: S): z.output<S> | null;
  /** Requires one of the roles; replies 401/403 and returns null otherwise. */
  require(
    req: FastifyRequest,
    reply: FastifyReply,
    ...roles: ('teller' | 'manager' | 'admin')[]
  ): Principal | null;
}

const unauthenticated = () =>
  errorBody('auth', 'UNAUTHENTICATED', '请先登录或配对设备', 'Sign in or pair the device first');
const forbidden = () => errorBody('forbidden', 'FORBIDDEN', '无权访问', 'Not allowed');

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * The hub's HTTP and WebSocket edge. Every inbound message is size-checked, parsed as JSON and
 * validated with `@nextup/protocol` before anything else sees it; a bad one gets a clear error body
 * and changes nothing.
 */
export async function buildApp(options: AppOptions): Promise<FastifyInstance> {
  const { hub, identity } = options;
  const offlineMs = (options.offlineAfterSeconds ?? 15) * 1000;
  const app = Fastify({
    loggerInstance: options.logger,
    // Read a little more than our limit so that our own check answers with our own error.
    bodyLimit: LIMITS.maxMessageBytes + 1024,
    trustProxy: false,
    // Every request logged would drown the branch's log; errors are logged by the error handler.
    logController: new LogController({ disableRequestLogging: true }),
    // Requests refused before routing still get the documented error shape (`edge-errors.ts`).
    frameworkErrors,
    clientErrorHandler: clientErrorHandler(options.logger),
  });
  registerSecurityHeaders(app);
  await app.register(fastifyCookie);
  await app.register(fastifyWebsocket, {
    options: { maxPayload: 16 * 1024 * 1024 },
    // A client that breaks the WebSocket protocol (a bad frame, a reserved bit) is its problem, not
    // the hub's: logged as a warning with its code, and that one connection is dropped.
    errorHandler: (error: Error & { code?: string }, socket, req) => {
      req.log.warn({ code: error.code, message: error.message }, 'websocket client error');
      socket.terminate();
    },
  });

  // Bodies arrive as raw text; handlers parse them with the protocol's schemas.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser(['application/json', 'text/plain'], { parseAs: 'string' }, (_req, body, done) =>
    done(null, body),
  );

  app.setErrorHandler((err: Error & { statusCode?: number; code?: string }, req, reply) => {
    if (err instanceof Refusal) return reply.code(err.status).send(err.body);
    if (err.code === 'FST_ERR_CTP_BODY_TOO_LARGE' || err.statusCode === 413)
      return reply
        .code(413)
        .send(
          errorBody(
            'input',
            'MESSAGE_TOO_LARGE',
            '消息过大',
            `Message too large; the limit is ${LIMITS.maxMessageBytes} bytes`,
          ),
        );
    if (err.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE' || err.statusCode === 415)
      return reply
        .code(415)
        .send(errorBody('input', 'UNSUPPORTED_MEDIA_TYPE', '请以 JSON 发送', 'Send JSON (application/json)'));
    if (err.statusCode && err.statusCode < 500)
      return reply
        .code(err.statusCode)
        .send(errorBody('input', err.code ?? 'BAD_REQUEST', '请求无效', 'Bad request', err.message));
    req.log.error({ err }, 'unhandled error');
    return reply.code(500).send(errorBody('internal', 'INTERNAL', '服务器内部错误', 'Internal error'));
  });
  app.setNotFoundHandler((req, reply) =>
    reply
      .code(404)
      .send(
        errorBody('notFound', 'NOT_FOUND', '没有此地址', `Nothing at ${req.method} ${req.url.split('?')[0]}`),
      ),
  );

  /**
   * A cookie session's state-changing request must carry the session's CSRF token, which a
   * cross-site form cannot set; an Origin, when sent, must be this hub (`null`, what a sandboxed
   * frame sends, is another site). A malformed Origin is refused as such, never a 500.
   */
  const csrfOk = (req: FastifyRequest, csrfHash: string) => {
    if (!UNSAFE.has(req.method)) return true;
    const origin = checkOrigin(req.headers.origin, req.headers.host);
    if (origin === 'malformed')
      throw new Refusal(
        400,
        errorBody('input', 'BAD_ORIGIN', 'Origin 请求头无效', 'The Origin header is not an origin'),
      );
    if (origin === 'cross')
      throw new Refusal(
        403,
        errorBody(
          'forbidden',
          'CROSS_ORIGIN',
          '不接受来自其他网站的请求',
          'Requests from other sites are refused',
        ),
      );
    const header = req.headers['x-csrf-token'];
    return typeof header === 'string' && identity.csrfMatches(header, csrfHash);
  };

  const principal = (req: FastifyRequest): Principal | null => {
    const auth = req.headers.authorization;
    if (auth?.startsWith('Bearer ')) return identity.fromDeviceToken(auth.slice(7).trim());
    const cookie = req.cookies[SESSION_COOKIE];
    if (!cookie) return null;
    const s = identity.fromSession(cookie);
    if (!s || !csrfOk(req, s.csrfHash)) return null;
    return s.principal;
  };

  const send = <T>(reply: FastifyReply, outcome: Outcome<T>) => reply.code(outcome.status).send(outcome.body);

  const body = <S extends z.ZodType>(
    req: FastifyRequest,
    reply: FastifyReply,
    schema: S,
  ): z.output<S> | null => {
    const raw = typeof req.body === 'string' ? req.body : '';
    if (raw === '') {
      reply.code(400).send(errorBody('input', 'EMPTY_BODY', '请求体为空', 'The request body is empty'));
      return null;
    }
    const parsed = parseRaw(schema, raw);
    if (parsed.ok) return parsed.value;
    const status = parsed.code === 'MESSAGE_TOO_LARGE' ? 413 : 400;
    const zh =
      parsed.code === 'MALFORMED_JSON'
        ? 'JSON 格式错误'
        : parsed.code === 'MESSAGE_TOO_LARGE'
          ? '消息过大'
          : '消息内容无效';
    reply
      .code(status)
      .send(
        errorBody(
          'input',
          parsed.code ?? 'INVALID_MESSAGE',
          zh,
          parsed.error.split('\n')[0] ?? 'invalid',
          parsed.error,
        ),
      );
    return null;
  };

  const require = (
    req: FastifyRequest,
    reply: FastifyReply,
    ...roles: ('teller' | 'manager' | 'admin')[]
  ) => {
    const p = principal(req);
    if (!p) {
      reply.code(401).send(unauthenticated());
      return null;
    }
    if (!isRole(p, ...roles)) {
      reply.code(403).send(forbidden());
      return null;
    }
    return p;
  };

  const ctx: RouteContext = { hub, identity, principal, send, body, require };
  /** When each device was last heard from (requests, stream messages); not an event. */
  const lastSeen = new Map<string, number>();

  // A browser-session cookie: no Expires and no Max-Age. The hub keeps the session's sliding expiry
  // on its own side and judges it with its own clock; an absolute date from the hub's clock would be
  // judged by the browser's clock, and a hub without NTP (or the demo's fast clock) would lock every
  // teller out. A closed browser signs out, as a bank's counter PC should.
  const setSessionCookie = (reply: FastifyReply, value: string) =>
    reply.setCookie(SESSION_COOKIE, value, {
      httpOnly: true,
      sameSite: 'strict',
      secure: options.secureCookies ?? false,
      path: '/',
    });

  // ── health and first run ──
  app.get('/api/v1/health', async () => ({
    ok: true,
    v: PROTOCOL_VERSION,
    hubId: hub.hubId,
    seq: hub.head,
    day: hub.view.state.day,
    time: hub.clock.now(),
    needsSetup: identity.needsSetup(),
  }));

  app.get('/setup', async (_req, reply) => {
    const page = setupPage();
    return reply.type('text/html; charset=utf-8').header('content-security-policy', page.csp).send(page.html);
  });
  app.post('/api/v1/setup', async (req, reply) => {
    const b = body(req, reply, setupRequest);
    if (!b) return reply;
    const out = await identity.setup(b.token, b.username, b.displayName, b.password);
    if (out.status !== 200) return send(reply, out);
    const s = out.body as { cookie: string; info: unknown };
    setSessionCookie(reply, s.cookie);
    return reply.send(s.info);
  });

  // ── staff sessions ──
  app.post('/api/v1/session', async (req, reply) => {
    const b = body(req, reply, loginRequest);
    if (!b) return reply;
    const out = await identity.login(b.username, b.password, req.ip);
    if (out.status !== 200) return send(reply, out);
    const s = out.body as { cookie: string; info: unknown };
    setSessionCookie(reply, s.cookie);
    return reply.send(s.info);
  });
  app.get('/api/v1/session', async (req, reply) => {
    const cookie = req.cookies[SESSION_COOKIE];
    const s = cookie ? identity.fromSession(cookie) : null;
    if (!s) return reply.code(401).send(unauthenticated());
    return identity.sessionInfo(s.principal.staff, s.csrfToken);
  });
  app.delete('/api/v1/session', async (req, reply) => {
    const cookie = req.cookies[SESSION_COOKIE];
    if (cookie) {
      const s = identity.fromSession(cookie);
      if (s && !csrfOk(req, s.csrfHash)) return reply.code(403).send(forbidden());
      identity.logout(cookie);
    }
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return { ok: true };
  });

  // ── commands ──
  app.post('/api/v1/commands', async (req, reply) => {
    const p = principal(req);
    if (!p) return reply.code(401).send(unauthenticated());
    const b = body(req, reply, commandRequest);
    if (!b) return reply;
    return send(reply, hub.execute(p, b.command, b.requestId));
  });

  // ── queries ──
  const readable = (req: FastifyRequest, reply: FastifyReply): Principal | null => {
    const p = principal(req);
    if (!p) {
      reply.code(401).send(unauthenticated());
      return null;
    }
    if (!mayRead(p)) {
      reply.code(403).send(forbidden());
      return null;
    }
    return p;
  };
  // The view and the log cut to what the caller's role reads (`security/view-cut.ts`).
  app.get('/api/v1/state', async (req, reply) => {
    const p = readable(req, reply);
    if (!p) return reply;
    const v = hub.cutFor(p).view(hub.view);
    return { seq: v.seq, state: v.state, hub: v.hub, serverTime: hub.clock.now() };
  });
  app.get<{ Querystring: { after?: string; limit?: string } }>('/api/v1/events', async (req, reply) => {
    const p = readable(req, reply);
    if (!p) return reply;
    const after = Number(req.query.after ?? 0);
    const limit = Math.min(Number(req.query.limit ?? 1000), LIMITS.maxBatch);
    if (!Number.isInteger(after) || after < 0 || !Number.isInteger(limit) || limit < 1)
      return reply
        .code(400)
        .send(errorBody('input', 'BAD_QUERY', '参数无效', 'after and limit must be whole numbers'));
    const events = hub.log.readAfter(after, limit);
    const through = events.at(-1)?.seq ?? after;
    return { ...hub.cutFor(p).run(events, after, through, hub.view.state), head: hub.head };
  });
  app.get('/api/v1/offers', async (req, reply) => {
    if (!readable(req, reply)) return reply;
    return { seq: hub.head, serverTime: hub.clock.now(), offers: hub.offers() };
  });

  // ── the customer's phone ──
  app.get<{ Params: { id: string } }>('/api/v1/follow/:id', async (req, reply) => {
    const view = /^[A-Za-z0-9_-]{16,64}$/.test(req.params.id) ? hub.follow(req.params.id) : null;
    if (!view)
      return reply
        .code(404)
        .send(
          errorBody(
            'notFound',
            'UNKNOWN_TICKET',
            '找不到此号（可能是往日的票）',
            'Ticket not found (it may be from an earlier day)',
          ),
        );
    reply.header('cache-control', 'no-store');
    return view;
  });
  app.get('/t/:id', async (_req, reply) => {
    const page = followPage();
    return reply
      .type('text/html; charset=utf-8')
      .header('cache-control', 'no-store')
      .header('content-security-policy', page.csp)
      .send(page.html);
  });

  // ── devices ──
  app.post('/api/v1/devices/pair', async (req, reply) => {
    const b = body(req, reply, pairRequest);
    if (!b) return reply;
    return send(reply, identity.pair(b.code, b.name, req.ip));
  });
  app.get('/api/v1/devices/me', async (req, reply) => {
    const p = principal(req);
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
    const p = principal(req);
    if (p?.kind !== 'device') return reply.code(401).send(unauthenticated());
    const b = body(req, reply, healthReport);
    if (!b) return reply;
    const known = hub.view.hub.devices.find((d) => d.deviceId === p.device.id)?.health ?? null;
    const health = healthOnHubClock(known, b.health, hub.clock.now());
    // Only a change is an event: a heartbeat with the same health does not grow the log.
    if (JSON.stringify(known) !== JSON.stringify(health))
      hub.record({ kind: 'device', id: p.device.id }, [
        {
          type: 'DeviceHealthReported',
          data: { deviceId: p.device.id, health, at: hub.clock.now() },
        },
      ]);
    lastSeen.set(p.device.id, hub.clock.now());
    return { ok: true };
  });

  // ── admin ──
  app.post('/api/v1/admin/pairing-codes', async (req, reply) => {
    const p = require(req, reply, 'admin');
    if (p?.kind !== 'staff') return reply;
    const b = body(req, reply, createPairingCodeRequest);
    if (!b) return reply;
    return identity.createPairingCode(p.staff, b.kind, b.name);
  });
  app.get('/api/v1/admin/devices', async (req, reply) => {
    if (!require(req, reply, 'admin', 'manager')) return reply;
    return {
      devices: hub.view.hub.devices.map((d) => ({
        ...d,
        lastSeen: Math.max(d.lastSeen ?? 0, lastSeen.get(d.deviceId) ?? 0) || null,
      })),
    };
  });
  app.post<{ Params: { id: string } }>('/api/v1/admin/devices/:id/revoke', async (req, reply) => {
    const p = require(req, reply, 'admin');
    if (p?.kind !== 'staff') return reply;
    return send(reply, identity.revokeDevice(p.staff, req.params.id));
  });
  const settingsRequest = z.strictObject({ settings: deviceSettings });
  app.put<{ Params: { id: string } }>('/api/v1/admin/devices/:id/settings', async (req, reply) => {
    const p = require(req, reply, 'admin');
    if (p?.kind !== 'staff') return reply;
    const b = body(req, reply, settingsRequest);
    if (!b) return reply;
    const device = hub.view.hub.devices.find((d) => d.deviceId === req.params.id);
    if (!device)
      return reply.code(404).send(errorBody('notFound', 'UNKNOWN_DEVICE', '没有此设备', 'No such device'));
    if (device.kind !== b.settings.kind)
      return reply
        .code(400)
        .send(
          errorBody(
            'input',
            'WRONG_DEVICE_KIND',
            '设置与设备类型不符',
            `These are ${b.settings.kind} settings; the device is a ${device.kind}`,
          ),
        );
    const { config } = hub.view.state;
    const settings = b.settings;
    const counterIds =
      settings.kind === 'counterTablet'
        ? settings.counterId
          ? [settings.counterId]
          : []
        : settings.kind === 'display'
          ? settings.counters
          : [];
    const unknownCounter = counterIds.find((id) => !has(config.counters, id));
    if (unknownCounter)
      return reply
        .code(400)
        .send(
          errorBody(
            'input',
            'UNKNOWN_COUNTER',
            `没有此窗口：${unknownCounter}`,
            `No such counter: ${unknownCounter}`,
          ),
        );
    const unknownService =
      settings.kind === 'kiosk' ? settings.services.find((id) => !has(config.services, id)) : undefined;
    if (unknownService)
      return reply
        .code(400)
        .send(
          errorBody(
            'input',
            'UNKNOWN_SERVICE',
            `没有此业务：${unknownService}`,
            `No such service: ${unknownService}`,
          ),
        );
    if (settings.kind === 'display') {
      // A main board on a counter's own board or keypad address would fight that counter's board.
      const clash = Object.values(config.counters).find((c) =>
        settings.mainBoards.some((a) => a === c.ledAddress || a === c.keypadAddress),
      );
      if (clash)
        return reply
          .code(400)
          .send(
            errorBody(
              'input',
              'ADDRESS_CLASH',
              `主屏地址与${clash.number}号窗口的设备冲突`,
              `A main board address is counter ${clash.number}'s board or keypad address`,
            ),
          );
    }
    hub.record({ kind: 'staff', id: p.staff.id }, [
      {
        type: 'DeviceConfigured',
        data: { deviceId: device.deviceId, settings: b.settings, at: hub.clock.now() },
      },
    ]);
    return { ok: true };
  });
  app.get('/api/v1/admin/staff', async (req, reply) => {
    if (!require(req, reply, 'admin')) return reply;
    return { staff: identity.listStaff() };
  });
  app.post('/api/v1/admin/staff', async (req, reply) => {
    const p = require(req, reply, 'admin');
    if (p?.kind !== 'staff') return reply;
    const b = body(req, reply, createStaffRequest);
    if (!b) return reply;
    return send(reply, await identity.createStaff(p.staff, b));
  });
  app.patch<{ Params: { id: string } }>('/api/v1/admin/staff/:id', async (req, reply) => {
    const p = require(req, reply, 'admin');
    if (p?.kind !== 'staff') return reply;
    const b = body(req, reply, updateStaffRequest);
    if (!b) return reply;
    return send(reply, await identity.updateStaff(p.staff, req.params.id, b));
  });
  const noticeRequest = z.strictObject({ notice: bilingualLabel.nullable() });
  app.put('/api/v1/notice', async (req, reply) => {
    const p = require(req, reply, 'admin', 'manager');
    if (p?.kind !== 'staff') return reply;
    const b = body(req, reply, noticeRequest);
    if (!b) return reply;
    hub.record({ kind: 'staff', id: p.staff.id }, [
      { type: 'NoticeChanged', data: { notice: b.notice, at: hub.clock.now() } },
    ]);
    return { ok: true };
  });

  // ── the event stream (and device presence) ──
  registerStreamRoute(app, ctx, { offlineMs, lastSeen });

  // The consoles (apps/console) at `/`, the daily report, the booking API and API keys.
  const { registerConsoleRoutes } = await import('./console-routes.ts');
  await registerConsoleRoutes(app, ctx);

  await options.extend?.(app, ctx);
  return app;
}

export type { ErrorBody };
