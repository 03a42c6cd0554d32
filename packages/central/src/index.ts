/**
 * @nextup/central — the bank's central store: every branch hub's event log in PostgreSQL.
 * Versioned migrations, the idempotent batch insert with its high-water mark per branch, the
 * cross-branch report in SQL, and the store's status. Test support (a throw-away local server,
 * generated branch days) is `@nextup/central/testing`.
 */
export {
  copyEvents,
  copyRows,
  createEventsTableLike,
  eventRow,
  insertUnnest,
  insertViaStaging,
  localDay,
} from './bulk.ts';
export type { ConnectOptions } from './connect.ts';
export { connectCentral, redactUrl } from './connect.ts';
export type { CentralErrorCode, Queryable } from './errors.ts';
export { CentralError, classifyError } from './errors.ts';
export type { MigrateOptions, MigrateResult, Migration } from './migrations.ts';
export {
  ensurePartitionsAhead,
  listPartitions,
  MIGRATIONS,
  migrate,
  SCHEMA,
  SCHEMA_VERSION,
  schemaVersion,
} from './migrations.ts';
export type { Bilingual, Lang, ReportFormat, ReportQuery, ReportRow } from './report.ts';
export { crossBranchReport, displayWidth, formatReport, REPORT_SQL } from './report.ts';
export type { BranchMark, EncodedBatch, ShipBatch, ShipResult } from './ship.ts';
export { branchMark, encodeBatch, readEvents, shipBatch } from './ship.ts';
export type { BranchStatus, StoreStatus } from './status.ts';
export { formatStatus, storeStatus } from './status.ts';
