import pg from 'pg';
import { classifyError } from './errors.ts';

// int8 (OID 20) as a JS number for our clients only (no global parser change): sequence numbers
// and byte counts stay far below 2^53.
const types = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === 20 && format !== 'binary'
      ? (v: string) => Number(v)
      : pg.types.getTypeParser(oid, format ?? 'text')) as typeof pg.types.getTypeParser,
};

export interface ConnectOptions {
  /** Give up connecting after this long. Default 10 s (a WAN link). */
  connectTimeoutMs?: number;
  /** Client-side limit on one query, and the server's statement_timeout. Default 60 s. */
  queryTimeoutMs?: number;
  /** Shown in pg_stat_activity. Default `nextup`. */
  applicationName?: string;
}

/**
 * A connected `pg.Client` for the central store. Its `error` event (the server went away while the
 * client sat idle) is swallowed here and surfaces on the next query instead: an unhandled `error`
 * event would crash the process, and a hub must never crash because the WAN dropped.
 */
export async function connectCentral(url: string, options: ConnectOptions = {}): Promise<pg.Client> {
  const queryTimeout = options.queryTimeoutMs ?? 60_000;
  const client = new pg.Client({
    connectionString: url,
    connectionTimeoutMillis: options.connectTimeoutMs ?? 10_000,
    query_timeout: queryTimeout,
    statement_timeout: queryTimeout,
    application_name: options.applicationName ?? 'nextup',
    keepAlive: true,
    types,
  });
  client.on('error', () => {});
  try {
    await client.connect();
  } catch (e) {
    client.end().catch(() => {});
    throw classifyError(e);
  }
  return client;
}

/** The URL with its password masked, for logs and messages. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '(unparseable URL)';
  }
}
