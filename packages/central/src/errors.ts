import type { QueryResult, QueryResultRow } from 'pg';

/** Anything that runs a query: a `pg.Client`, a pooled client, a `pg.Pool`. */
export interface Queryable {
  query<R extends QueryResultRow = QueryResultRow>(text: string, values?: unknown[]): Promise<QueryResult<R>>;
}

/**
 * Why the central store said no. `UNREACHABLE` is the WAN (retry with back-off); the others need a
 * person (a migration, a configuration) and are retried only slowly.
 */
export type CentralErrorCode =
  | 'UNREACHABLE'
  | 'AUTH'
  | 'SCHEMA_MISSING'
  | 'SCHEMA_OUTDATED'
  | 'SCHEMA_NEWER'
  | 'MIGRATION_CHANGED'
  | 'MIGRATION_FAILED'
  | 'BRANCH_CLAIMED'
  | 'GAP'
  | 'DIVERGED'
  | 'QUERY';

export class CentralError extends Error {
  override name = 'CentralError';
  constructor(
    readonly code: CentralErrorCode,
    message: string,
    override readonly cause?: unknown,
  ) {
    super(message);
  }
}

/** SQLSTATEs our ship function raises (see migration 2). */
const OWN_CODES: Record<string, CentralErrorCode> = { NX001: 'BRANCH_CLAIMED', NX002: 'GAP' };

/**
 * Sorts any error from talking to the store into a code. Network errors (refused, reset, timed out,
 * name not found) and the server shutting down or starting up are `UNREACHABLE`: the WAN or the
 * store is down, and it will come back.
 */
export function classifyError(e: unknown): CentralError {
  if (e instanceof CentralError) return e;
  const err = e as Error & { code?: string };
  const code = typeof err?.code === 'string' ? err.code : '';
  const message = err?.message ?? String(e);
  if (OWN_CODES[code]) return new CentralError(OWN_CODES[code], message, e);
  if (code === '28P01' || code === '28000') return new CentralError('AUTH', message, e);
  // 42P01 undefined table, 42883 undefined function, 3F000 undefined schema: never migrated.
  if (code === '42P01' || code === '42883' || code === '3F000')
    return new CentralError('SCHEMA_MISSING', `${message}: run \`pnpm nextup central migrate\``, e);
  if (
    /^(ECONN|ETIMEDOUT|EHOSTUNREACH|ENETUNREACH|ENOTFOUND|EAI_AGAIN|EPIPE|ENOENT)/.test(code) ||
    code.startsWith('08') || // connection exception
    code === '57P01' || // admin shutdown
    code === '57P02' || // crash shutdown
    code === '57P03' || // cannot connect now (starting up)
    code === '53300' || // too many connections
    /Connection terminated|timeout|Client has encountered a connection error|not queryable|ECONNRESET/i.test(
      message,
    )
  )
    return new CentralError('UNREACHABLE', message, e);
  return new CentralError('QUERY', message, e);
}
