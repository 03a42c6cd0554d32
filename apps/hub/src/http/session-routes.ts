import { loginRequest, setupRequest } from '@nextup/protocol';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { forbidden, type RequestAuth, SESSION_COOKIE, unauthenticated } from '../security/request-auth.ts';
import type { RouteContext } from './route-context.ts';
import { setupPage } from './setup-page.ts';

export interface SessionRoutesOptions {
  auth: RequestAuth;
  /** Set the session cookie's Secure flag. */
  secureCookies: boolean;
}

/**
 * First run (`/setup`, `POST /api/v1/setup`) and staff sessions (`/api/v1/session`: sign in, who am
 * I, sign out). Passwords, tokens and sessions are `identity.ts`'s; this only moves the cookie.
 */
export function registerSessionRoutes(
  app: FastifyInstance,
  ctx: RouteContext,
  options: SessionRoutesOptions,
) {
  const { identity, body, send } = ctx;
  const { auth } = options;

  // A browser-session cookie: no Expires and no Max-Age. The hub keeps the session's sliding expiry
  // on its own side and judges it with its own clock; an absolute date from the hub's clock would be
  // judged by the browser's clock, and a hub without NTP (or the demo's fast clock) would lock every
  // teller out. A closed browser signs out, as a bank's counter PC should.
  const setSessionCookie = (reply: FastifyReply, value: string) =>
    reply.setCookie(SESSION_COOKIE, value, {
      httpOnly: true,
      sameSite: 'strict',
      secure: options.secureCookies,
      path: '/',
    });

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
      if (s && !auth.csrfOk(req, s.csrfHash)) return reply.code(403).send(forbidden());
      identity.logout(cookie);
    }
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return { ok: true };
  });
}
