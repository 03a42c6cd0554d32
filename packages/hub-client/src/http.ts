import {
  type AnySchema,
  type ClientCommand,
  type CommandResponse,
  commandResponse,
  type ErrorBody,
  PROTOCOL_VERSION,
  parseWith,
  type SchemaOutput,
} from '@nextup/protocol';

export interface HubHttpOptions {
  /** The hub's base URL, e.g. `http://192.168.1.10:8300`. */
  baseUrl: string;
  /** A device's bearer token; omit in a browser signed in with a session cookie. */
  token?: string;
  /** The session's CSRF token, sent as `x-csrf-token` on state-changing requests (browser). */
  csrfToken?: string;
  /** Per-attempt timeout, ms. Default 5000. */
  timeoutMs?: number;
  /** Attempts for a command on a network failure or a 5xx, same request id each time. Default 3. */
  attempts?: number;
  fetch?: typeof fetch;
}

/** A failure to reach the hub at all (as opposed to the hub answering with an error body). */
export class HubUnreachableError extends Error {
  readonly code = 'HUB_UNREACHABLE' as const;
  constructor(message: string) {
    super(message);
    this.name = 'HubUnreachableError';
  }
}

/** The hub answered 2xx with a body its protocol schema does not describe (a hub of another version?). */
export class HubResponseError extends Error {
  readonly code = 'HUB_BAD_RESPONSE' as const;
  constructor(
    readonly path: string,
    readonly status: number,
    readonly problem: string,
  ) {
    super(`unexpected answer from the hub to ${path} (${status}): ${problem}`);
    this.name = 'HubResponseError';
  }
}

/** A 2xx answer parsed with its schema, or another status with the body as it came (usually an `ErrorBody`). */
export type HubAnswer<T> =
  | { ok: true; status: number; value: T }
  | { ok: false; status: number; body: unknown };

function randomRequestId(): string {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

/**
 * Sends commands and queries to the hub over HTTP. A command carries a request id, and a retry after
 * a lost answer reuses it, so the hub does it once and answers the same (no second ticket).
 */
export class HubHttp {
  readonly #o: Required<Omit<HubHttpOptions, 'token' | 'csrfToken'>> &
    Pick<HubHttpOptions, 'token' | 'csrfToken'>;

  constructor(options: HubHttpOptions) {
    this.#o = { timeoutMs: 5000, attempts: 3, fetch: globalThis.fetch.bind(globalThis), ...options };
  }

  setCsrfToken(token: string | undefined) {
    this.#o.csrfToken = token;
  }

  #headers(json: boolean): Record<string, string> {
    const h: Record<string, string> = {};
    if (json) h['content-type'] = 'application/json';
    if (this.#o.token) h.authorization = `Bearer ${this.#o.token}`;
    if (this.#o.csrfToken) h['x-csrf-token'] = this.#o.csrfToken;
    return h;
  }

  async #fetch(path: string, init: RequestInit): Promise<Response> {
    const ctrl = new AbortController();
    const timer = setTimeout(() => ctrl.abort(), this.#o.timeoutMs);
    try {
      return await this.#o.fetch(`${this.#o.baseUrl}${path}`, {
        ...init,
        signal: ctrl.signal,
        credentials: 'same-origin',
      });
    } catch (e) {
      throw new HubUnreachableError(`hub unreachable at ${this.#o.baseUrl}: ${(e as Error).message}`);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Sends a command; resolves with the hub's answer (accepted or refused), throws only if unreachable. */
  async command(command: ClientCommand, requestId: string = randomRequestId()): Promise<CommandResponse> {
    const body = JSON.stringify({ v: PROTOCOL_VERSION, requestId, command });
    let lastError: Error | null = null;
    for (let attempt = 0; attempt < this.#o.attempts; attempt++) {
      try {
        const res = await this.#fetch('/api/v1/commands', {
          method: 'POST',
          headers: this.#headers(true),
          body,
        });
        if (res.status >= 500) {
          lastError = new HubUnreachableError(`hub answered ${res.status}`);
        } else {
          const parsed = parseWith(commandResponse, await res.json());
          if (parsed.ok) return parsed.value;
          throw new Error(`unexpected answer from hub: ${parsed.error}`);
        }
      } catch (e) {
        if (!(e instanceof HubUnreachableError)) throw e;
        lastError = e;
      }
      await new Promise((r) => setTimeout(r, 200 * 2 ** attempt));
    }
    throw lastError ?? new HubUnreachableError('hub unreachable');
  }

  /** GET a JSON resource; returns the body (unknown: parse it, or use `getJson`) and status. */
  async get(path: string): Promise<{ status: number; body: unknown }> {
    const res = await this.#fetch(path, { method: 'GET', headers: this.#headers(false) });
    return { status: res.status, body: await res.json() };
  }

  /** POST/PUT/PATCH/DELETE JSON; returns the body (unknown: parse it, or use `sendJson`) and status. */
  async send(
    method: 'POST' | 'PUT' | 'PATCH' | 'DELETE',
    path: string,
    body?: unknown,
  ): Promise<{ status: number; body: unknown }> {
    const res = await this.#fetch(path, {
      method,
      headers: this.#headers(body !== undefined),
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : null };
  }

  /**
   * GETs `path` and parses a 2xx answer with `schema` (from `@nextup/protocol`); throws
   * `HubResponseError` when it does not match, `HubUnreachableError` when the hub cannot be reached.
   */
  async getJson<S extends AnySchema>(schema: S, path: string): Promise<HubAnswer<SchemaOutput<S>>> {
    return answer(schema, path, await this.get(path));
  }

  /** Like `send`, and parses a 2xx answer with `schema` as `getJson` does. */
  async sendJson<S extends AnySchema>(
    schema: S,
    method: 'POST' | 'PUT' | 'PATCH' | 'DELETE',
    path: string,
    body?: unknown,
  ): Promise<HubAnswer<SchemaOutput<S>>> {
    return answer(schema, path, await this.send(method, path, body));
  }
}

function answer<S extends AnySchema>(
  schema: S,
  path: string,
  r: { status: number; body: unknown },
): HubAnswer<SchemaOutput<S>> {
  if (r.status < 200 || r.status >= 300) return { ok: false, status: r.status, body: r.body };
  const parsed = parseWith(schema, r.body);
  if (!parsed.ok) throw new HubResponseError(path, r.status, parsed.error);
  return { ok: true, status: r.status, value: parsed.value };
}

export type { ErrorBody };
