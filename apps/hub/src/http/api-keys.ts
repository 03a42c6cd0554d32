import {
  type ApiKeyCreatedResponse,
  type ApiKeyListResponse,
  type ApiKeyRevokedResponse,
  type ApiKeyInfo as ApiKeyView,
  assertType,
  type Equals,
  label,
} from '@nextup/protocol';
import { z } from 'zod';
import { errorBody, type HubService } from '../hub.ts';
import type { Principal } from '../principal.ts';
import { randomToken, sha256 } from '../security/secrets.ts';
import type { ApiKeyRecord } from '../store/identities.ts';
import type { RouteContext } from './route-context.ts';

/**
 * API keys for the bank's own systems (its app or website booking appointments). Branch IT creates
 * one in the admin console (`POST /api/v1/admin/api-keys {name}`), sees it once, and gives it to the
 * bank's developers, who send it as `Authorization: Bearer nxk_…`. Revoking it
 * (`POST /api/v1/admin/api-keys/:id/revoke`) refuses it at once.
 *
 * Like device tokens, only the key's SHA-256 is kept (table `api_keys`): a copy of the database does
 * not let anyone book. A key may only book and cancel appointments (the hub's permission rules for
 * an `apiKey` principal), and its actions are in the log under actor `{kind: 'apiKey', id}`.
 * Creating and revoking a key are audited events (`ApiKeyCreated`, `ApiKeyRevoked`).
 */

export type ApiKeyInfo = Omit<ApiKeyRecord, 'keyHash'>;
// What admins see of a key is what the protocol says they read.
assertType<Equals<ApiKeyInfo, ApiKeyView>>();

/** The prefix every key starts with, so that it is told apart from a device token at a glance. */
export const API_KEY_PREFIX = 'nxk_';

const info = ({ keyHash: _hash, ...rest }: ApiKeyRecord): ApiKeyInfo => rest;

export class ApiKeys {
  readonly #hub: HubService;
  constructor(hub: HubService) {
    this.#hub = hub;
  }

  list(): ApiKeyInfo[] {
    return this.#hub.identities.allApiKeys().map(info);
  }

  /** Makes a key; the key itself is returned once and never stored. */
  create(name: string, createdBy: string): ApiKeyInfo & { key: string } {
    const key = `${API_KEY_PREFIX}${randomToken(32)}`;
    const record: ApiKeyRecord = {
      id: `k-${randomToken(6)}`,
      name,
      keyHash: sha256(key),
      createdAt: this.#hub.clock.now(),
      createdBy,
      revokedAt: null,
    };
    const d = this.#hub.decideHub({
      type: 'CreateApiKey',
      data: { keyId: record.id, name, at: record.createdAt },
    });
    if (!d.ok) throw new Error(`creating an API key was refused: ${d.refusal.code}`);
    this.#hub.identities.insertApiKey(record);
    this.#hub.record({ kind: 'staff', id: createdBy }, d.events);
    return { ...info(record), key };
  }

  revoke(id: string, by: string): ApiKeyInfo | null {
    const at = this.#hub.clock.now();
    const d = this.#hub.decideHub({ type: 'RevokeApiKey', data: { keyId: id, at } });
    if (!d.ok) return null;
    if (d.events.length > 0) {
      this.#hub.identities.revokeApiKey(id, at);
      this.#hub.record({ kind: 'staff', id: by }, d.events);
    }
    const after = this.#hub.identities.apiKeyById(id);
    return after ? info(after) : null;
  }

  /** The live key behind a presented secret, or null. */
  verify(key: string): ApiKeyRecord | null {
    if (!key.startsWith(API_KEY_PREFIX) || key.length > 128) return null;
    const record = this.#hub.identities.apiKeyByHash(sha256(key));
    return record && record.revokedAt === null ? record : null;
  }
}

/** The principal a request with a key runs as. */
export function apiKeyPrincipal(key: ApiKeyRecord): Principal & { kind: 'apiKey' } {
  return { kind: 'apiKey', key };
}

/** A key's name is shown to admins and logged: plain text only (no NUL, no lone surrogate). */
const createKeyRequest = z.strictObject({ name: label(64).trim().min(1) });

/** Branch IT's endpoints for keys (admin only). Creation and revocation are audited events. */
export function registerApiKeyRoutes(
  app: import('fastify').FastifyInstance,
  ctx: RouteContext,
  keys: ApiKeys,
) {
  app.get('/api/v1/admin/api-keys', async (req, reply) => {
    if (!ctx.require(req, reply, 'admin')) return reply;
    return { keys: keys.list() } satisfies ApiKeyListResponse;
  });
  app.post('/api/v1/admin/api-keys', async (req, reply) => {
    const p = ctx.require(req, reply, 'admin');
    if (p?.kind !== 'staff') return reply;
    const b = ctx.body(req, reply, createKeyRequest);
    if (!b) return reply;
    const created = keys.create(b.name, p.staff.id);
    return { ok: true, ...created } satisfies ApiKeyCreatedResponse;
  });
  app.post<{ Params: { id: string } }>('/api/v1/admin/api-keys/:id/revoke', async (req, reply) => {
    const p = ctx.require(req, reply, 'admin');
    if (p?.kind !== 'staff') return reply;
    const revoked = keys.revoke(req.params.id, p.staff.id);
    if (!revoked)
      return reply.code(404).send(errorBody('notFound', 'UNKNOWN_API_KEY', '没有此密钥', 'No such API key'));
    return { ok: true, key: revoked } satisfies ApiKeyRevokedResponse;
  });
}
