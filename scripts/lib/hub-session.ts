import type { ClientCommand, CommandResponse } from '@nextup/protocol';

/**
 * A signed-in staff member talking to the hub over HTTP, as a browser would: the session cookie and
 * the CSRF header. For scripts (the demo, its bots); the consoles use the browser's own cookie jar.
 */
export class StaffSession {
  #cookie: string | null = null;
  #csrf: string | null = null;

  constructor(readonly base: string) {}

  static async signIn(base: string, username: string, password: string): Promise<StaffSession> {
    const s = new StaffSession(base);
    const r = await s.request('POST', '/api/v1/session', { username, password });
    if (r.status !== 200) throw new Error(`sign-in as ${username} failed: ${JSON.stringify(r.body)}`);
    return s;
  }

  static async setUp(base: string, token: string, username: string, password: string): Promise<StaffSession> {
    const s = new StaffSession(base);
    const r = await s.request('POST', '/api/v1/setup', {
      token,
      username,
      displayName: '演示管理员 Demo admin',
      password,
    });
    if (r.status !== 200) throw new Error(`first-run setup failed: ${JSON.stringify(r.body)}`);
    return s;
  }

  async request<T = unknown>(
    method: string,
    path: string,
    body?: unknown,
  ): Promise<{ status: number; body: T }> {
    const headers: Record<string, string> = {};
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (this.#cookie) headers.cookie = this.#cookie;
    if (this.#csrf) headers['x-csrf-token'] = this.#csrf;
    const res = await fetch(`${this.base}${path}`, {
      method,
      headers,
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    const m = /nextup_session=([^;]*)/.exec(res.headers.get('set-cookie') ?? '');
    if (m) this.#cookie = m[1] ? `nextup_session=${m[1]}` : null;
    const text = await res.text();
    const parsed = text ? (JSON.parse(text) as T & { csrfToken?: string }) : (null as T);
    if (parsed && typeof parsed === 'object' && 'csrfToken' in parsed && typeof parsed.csrfToken === 'string')
      this.#csrf = parsed.csrfToken;
    return { status: res.status, body: parsed };
  }

  async command(command: ClientCommand): Promise<CommandResponse> {
    return (await this.request<CommandResponse>('POST', '/api/v1/commands', { v: 1, command })).body;
  }
}
