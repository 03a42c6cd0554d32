import type { FastifyReply, FastifyRequest } from 'fastify';
import { Refusal } from '../http/edge-errors.ts';
import { errorBody } from '../hub.ts';
import type { IdentityService } from '../identity.ts';
import { isRole, mayRead, type Principal } from '../principal.ts';
import { checkOrigin } from './origin.ts';

/** The staff session cookie's name. */
export const SESSION_COOKIE = 'nextup_session';

export const unauthenticated = () =>
  errorBody('auth', 'UNAUTHENTICATED', '请先登录或配对设备', 'Sign in or pair the device first');
export const forbidden = () => errorBody('forbidden', 'FORBIDDEN', '无权访问', 'Not allowed');

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export type StaffRoleName = 'teller' | 'manager' | 'admin';

/** Who a request comes from, and whether they may do what they ask: the HTTP side of `identity.ts`. */
export interface RequestAuth {
  /** The caller, or null; for cookie sessions on unsafe methods, also checks CSRF. */
  principal(req: FastifyRequest): Principal | null;
  /** Whether a cookie session's request passes the CSRF and Origin checks (throws a `Refusal` on a bad Origin). */
  csrfOk(req: FastifyRequest, csrfHash: string): boolean;
  /** Requires one of the roles; replies 401/403 and returns null otherwise. */
  require(req: FastifyRequest, reply: FastifyReply, ...roles: StaffRoleName[]): Principal | null;
  /** Requires a caller that reads the queue (`mayRead`); replies 401/403 and returns null otherwise. */
  readable(req: FastifyRequest, reply: FastifyReply): Principal | null;
}

/**
 * Authentication, CSRF and rights for HTTP requests: a device's bearer token or a staff session
 * cookie becomes a `Principal`, and the role checks answer 401/403 in the documented shape.
 */
export function requestAuth(identity: IdentityService): RequestAuth {
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

  const require = (req: FastifyRequest, reply: FastifyReply, ...roles: StaffRoleName[]) => {
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

  return { principal, csrfOk, require, readable };
}
