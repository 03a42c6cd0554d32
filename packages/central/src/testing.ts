/**
 * Test support (`@nextup/central/testing`), for this package's tests, the hub's shipper tests and the
 * central benchmark; never production code: a throw-away local PostgreSQL server, and busy branch
 * days generated through the real decider.
 */
export type { BranchDaysOptions, GeneratedBranch, SimCommand } from './test-support/branch-days.ts';
export { busyBranchConfig, driveBranchDays, generateBranchEvents, prng } from './test-support/branch-days.ts';
export type { LocalPostgres, LocalPostgresOptions } from './test-support/postgres.ts';
export { findPostgresBin, startLocalPostgres } from './test-support/postgres.ts';
