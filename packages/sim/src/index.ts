/**
 * @nextup/sim — the branch-day simulator. It drives `@nextup/core` itself (every customer and teller
 * action is a real command through `decide`), measures the printed wait estimate against the waits
 * that follow and against three reference predictors, compares dispatch policies on the same days,
 * and plays a drawn day in real time for the demo branch. Deterministic for a seed.
 */

export { branchDay, serviceOpenAt } from './clock.ts';
export type { BandReport, BandRow, EstimateReport, PolicyReport } from './evaluate.ts';
export {
  bandReport,
  bestReference,
  comparePolicies,
  dispatchPolicies,
  evaluateEstimates,
  evaluationBranches,
  formatBandReport,
  formatEstimateReport,
  formatPolicyReport,
  PEAK_SHAPES,
  PRINTED,
  policyFigures,
  simulateForEvaluation,
  WAIT_BANDS,
} from './evaluate.ts';
export type { BranchLayout, LayoutId } from './layouts.ts';
export { BRANCH_LAYOUTS, LAYOUT_IDS } from './layouts.ts';
export type {
  CustomerAdvice,
  FlexAdvice,
  LiveAction,
  LiveClock,
  LiveOptions,
  LivePlayOptions,
  TimedAction,
} from './live.ts';
export { flexAdvice, liveActions, plannedActions, simClock } from './live.ts';
export type { ErrorStats, Scored, WaitStats } from './metrics.ts';
export { errorStats, groupBy, mean, printed, scoredPairs, waitStats } from './metrics.ts';
export type {
  Answer,
  DayPlan,
  PlannedBreak,
  PlannedCustomer,
  PlannedTransfer,
  PlanOptions,
  ServiceModel,
  TellerPlan,
} from './plan.ts';
export { arrivalFactor, flexibleCounter, planDay, serviceModels } from './plan.ts';
export type { DayPlotOptions } from './plots.ts';
export { dayPlotSvg, htmlPage, maeBarsSvg, scatterSvg } from './plots.ts';
export { holEstimator, lesEstimator, naiveEstimator, REFERENCE_ESTIMATORS } from './references.ts';
export { hashString, meanOneLognormal, Rng } from './rng.ts';
export type { Bump, DayShape, DayShapeId, DaySpec } from './shapes.ts';
export {
  addDays,
  calendar,
  DAY_SHAPE_IDS,
  DAY_SHAPES,
  evaluationCalendar,
  isoWeekday,
  REPORTING_ONLY_SHAPES,
  shapeFits,
  TUNING_SHAPES,
} from './shapes.ts';
export type {
  Prediction,
  SimCounts,
  SimDay,
  SimOptions,
  TicketOutcome,
  TicketRecord,
} from './simulate.ts';
export { simulateDay, simulateDays, ticketRecords } from './simulate.ts';
