import { parseRaw } from '@nextup/protocol';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { z } from 'zod';
import { errorBody, type HubService, type Outcome } from '../hub.ts';
import type { IdentityService } from '../identity.ts';
import type { Principal } from '../principal.ts';
import type { RequestAuth, StaffRoleName } from '../security/request-auth.ts';

/** What every route module gets: the hub, identities, and the edge's parsing and rights helpers. */
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
  require(req: FastifyRequest, reply: FastifyReply, ...roles: StaffRoleName[]): Principal | null;
  /** Requires a caller that reads the queue; replies 401/403 and returns null otherwise. */
  readable(req: FastifyRequest, reply: FastifyReply): Principal | null;
}

const send = <T>(reply: FastifyReply, outcome: Outcome<T>) => reply.code(outcome.status).send(outcome.body);

/**
 * Bodies arrive as raw text (see `app.ts`) and are parsed here with the protocol's schemas: size,
 * JSON and shape are checked before a handler sees anything, and a bad one gets a clear error body.
 */
function body<S extends z.ZodType>(req: FastifyRequest, reply: FastifyReply, schema: S): z.output<S> | null {
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
}

export function routeContext(hub: HubService, identity: IdentityService, auth: RequestAuth): RouteContext {
  return {
    hub,
    identity,
    principal: auth.principal,
    send,
    body,
    require: auth.require,
    readable: auth.readable,
  };
}
