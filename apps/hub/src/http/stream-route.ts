import fastifyWebsocket from '@fastify/websocket';
import { clientMessage, PROTOCOL_VERSION, parseRaw } from '@nextup/protocol';
import type { FastifyInstance } from 'fastify';
import type { WebSocket } from 'ws';
import { errorBody } from '../hub.ts';
import { mayRead } from '../principal.ts';
import { checkOrigin } from '../security/origin.ts';
import type { LastSeen } from './device-routes.ts';
import type { RouteContext } from './route-context.ts';

export interface StreamOptions {
  /** Ms a device may be without a stream before it is reported offline. */
  offlineMs: number;
  /** When each device was last heard from (shared with the health route and the device list). */
  lastSeen: LastSeen;
}

/**
 * `GET /api/v1/stream`: the WebSocket that keeps devices and consoles in step (see `HubService.subscribe`
 * and `docs/hub-api.md`), cut to what the caller's role reads. A device's stream is also its presence:
 * online while one is open, offline when none has been for `offlineMs`.
 *
 * Before the upgrade: an `Origin`, when sent (browsers always send one), must be this hub (403
 * `CROSS_ORIGIN`; 400 `BAD_ORIGIN` when it is not an origin at all), so another site's page cannot
 * open a stream with a signed-in teller's cookie. A plain GET without the upgrade gets 426.
 */
export async function registerStreamRoute(app: FastifyInstance, ctx: RouteContext, options: StreamOptions) {
  await app.register(fastifyWebsocket, {
    options: { maxPayload: 16 * 1024 * 1024 },
    // A client that breaks the WebSocket protocol (a bad frame, a reserved bit) is its problem, not
    // the hub's: logged as a warning with its code, and that one connection is dropped.
    errorHandler: (error: Error & { code?: string }, socket, req) => {
      req.log.warn({ code: error.code, message: error.message }, 'websocket client error');
      socket.terminate();
    },
  });
  const { hub, identity, principal } = ctx;
  const { offlineMs, lastSeen } = options;
  const socketsOf = new Map<string, Set<WebSocket>>();
  // Set once the server starts closing: closing sockets must not schedule writes to a closed log.
  let closing = false;
  const offlineTimers = new Map<string, ReturnType<typeof setTimeout>>();
  const setOnline = (deviceId: string, online: boolean) => {
    if (closing) return;
    const d = hub.decideHub({ type: 'SetDeviceOnline', data: { deviceId, online, at: hub.clock.now() } });
    if (d.ok) hub.record({ kind: 'system' }, d.events);
  };
  identity.onRevoked = ({ deviceId, staffId }) => {
    const key = deviceId ? `device:${deviceId}` : `staff:${staffId}`;
    for (const ws of socketsOf.get(key) ?? []) ws.close(4401, 'revoked');
  };

  const wsError = (code: string, zh: string, en: string, detail?: string) =>
    JSON.stringify({
      type: 'error',
      code,
      message: { zh, en },
      ...(detail ? { detail: detail.slice(0, 4000) } : {}),
    });

  app.route({
    method: 'GET',
    url: '/api/v1/stream',
    preValidation: async (req, reply) => {
      const origin = checkOrigin(req.headers.origin, req.headers.host);
      if (origin === 'malformed')
        return reply
          .code(400)
          .send(errorBody('input', 'BAD_ORIGIN', 'Origin 请求头无效', 'The Origin header is not an origin'));
      if (origin === 'cross')
        return reply
          .code(403)
          .send(
            errorBody(
              'forbidden',
              'CROSS_ORIGIN',
              '不接受来自其他网站的连接',
              'Connections from other sites are refused',
            ),
          );
    },
    handler: async (_req, reply) =>
      reply
        .code(426)
        .header('upgrade', 'websocket')
        .send(
          errorBody(
            'input',
            'UPGRADE_REQUIRED',
            '此地址只接受 WebSocket 连接',
            'This address takes WebSocket connections only',
          ),
        ),
    wsHandler: (socket, req) => {
      const p = principal(req);
      if (!p || !mayRead(p)) {
        socket.send(wsError('UNAUTHENTICATED', '请先登录或配对设备', 'Sign in or pair the device first'));
        socket.close(4401, 'unauthenticated');
        return;
      }
      const cut = hub.cutFor(p);
      const key =
        p.kind === 'device' ? `device:${p.device.id}` : p.kind === 'staff' ? `staff:${p.staff.id}` : 'system';
      const set = socketsOf.get(key) ?? new Set();
      set.add(socket);
      socketsOf.set(key, set);
      if (p.kind === 'device') {
        clearTimeout(offlineTimers.get(p.device.id));
        offlineTimers.delete(p.device.id);
        lastSeen.set(p.device.id, hub.clock.now());
        setOnline(p.device.id, true);
      }
      socket.send(
        JSON.stringify({
          type: 'hello',
          v: PROTOCOL_VERSION,
          hubId: hub.hubId,
          serverTime: hub.clock.now(),
          headSeq: hub.head,
        }),
      );

      let unsubscribe: (() => void) | null = null;
      const sink = (message: string) => {
        if (socket.readyState !== socket.OPEN) return false;
        // A subscriber that cannot keep up is dropped; it resumes from its last sequence number.
        if (socket.bufferedAmount > 8 * 1024 * 1024) {
          socket.close(1013, 'too slow');
          return false;
        }
        socket.send(message);
        return true;
      };

      socket.on('message', (data: Buffer, isBinary: boolean) => {
        if (p.kind === 'device') lastSeen.set(p.device.id, hub.clock.now());
        const parsed = parseRaw(clientMessage, isBinary ? new Uint8Array(data) : data.toString('utf8'));
        if (!parsed.ok) {
          socket.send(
            wsError(
              parsed.code ?? 'INVALID_MESSAGE',
              '消息无效',
              parsed.error.split('\n')[0] ?? 'invalid message',
              parsed.error,
            ),
          );
          return;
        }
        const m = parsed.value;
        if (m.type === 'ping') {
          socket.send(JSON.stringify({ type: 'pong', t: m.t, serverTime: hub.clock.now() }));
          return;
        }
        unsubscribe?.();
        unsubscribe = hub.subscribe(
          m.lastSeq,
          sink,
          () => {
            if (socket.readyState === socket.OPEN) socket.close(1013, 'dropped');
          },
          cut,
        );
      });
      socket.on('close', () => {
        unsubscribe?.();
        set.delete(socket);
        if (set.size === 0) socketsOf.delete(key);
        if (p.kind === 'device' && !socketsOf.has(key) && !closing) {
          const id = p.device.id;
          offlineTimers.set(
            id,
            setTimeout(() => {
              offlineTimers.delete(id);
              if (!socketsOf.has(`device:${id}`)) setOnline(id, false);
            }, offlineMs),
          );
        }
      });
    },
  });

  app.addHook('preClose', async () => {
    closing = true;
  });
  app.addHook('onClose', async () => {
    closing = true;
    for (const t of offlineTimers.values()) clearTimeout(t);
    for (const set of socketsOf.values()) for (const ws of set) ws.terminate();
  });
}
