/**
 * @nextup/hub-view — the branch as a fold of the hub's log: the queue state, the hub's view (devices,
 * notice) and the last sequence number. The hub builds its own view with it, and every subscriber
 * (device agents, consoles) applies the same runs, so both hold exactly the same state. Pure: no I/O.
 */
export type { ApplyResult, BranchView, LogRun, RunResult } from './fold.ts';
export {
  applyLogged,
  applyRun,
  emptyView,
  evolveHubView,
  evolveView,
  evolveViewAll,
  isQueueEvent,
} from './fold.ts';
