/**
 * @nextup/core — the queue domain as a decider: `decide(command, state) → events`,
 * `evolve(state, event) → state`, `initialState()`. No I/O, no clock, no random ids.
 */

export type { AheadCount } from './ahead.ts';
export { aheadInQueue } from './ahead.ts';
export { BinaryHeap } from './binary-heap.ts';
export type { Catalogue, FillValue, Placeholders } from './catalogue.ts';
export { fill, fillBoth, placeholderNames, say } from './catalogue.ts';
export type { HoursCheck, LocalTime } from './clock.ts';
export {
  businessDayOf,
  checkHours,
  daysBetween,
  isHhmm,
  isValidTimeZone,
  localTime,
  parseHhmm,
  zonedEpoch,
} from './clock.ts';
export type { CommandOf, QueueCommand, QueueCommandType } from './commands.ts';
export { CONFIG_COMMAND_TYPES, COUNTER_COMMAND_TYPES, QUEUE_COMMAND_TYPES } from './commands.ts';
export type { ConfigProblem } from './config.ts';
export {
  bookingDaysAhead,
  checkBranchSettings,
  checkCounter,
  checkCounterBreaks,
  checkDispatchSettings,
  checkService,
  DEFAULT_BOOKING_DAYS_AHEAD,
  defaultBranchSettings,
  defaultDispatchSettings,
  emptyBranchConfig,
  sampleBranchConfig,
} from './config.ts';
export type { Availability, DecideOptions, Decision } from './decide.ts';
export { decide, formatTicketNumber, normaliseTicketNumber, serviceAvailability } from './decide.ts';
export type { DispatchTicket } from './dispatch.ts';
export {
  canServe,
  headStartMs,
  nextTicketFor,
  overtakenBy,
  pickTicket,
  queueForCounter,
  rankPenaltyMs,
  rankTickets,
  waitingTickets,
} from './dispatch.ts';
export { DAY, HOUR, MINUTE, SECOND } from './durations.ts';
export type { DomainError, DomainErrorCode, ErrorParam } from './errors.ts';
export { DOMAIN_ERROR_MESSAGES, describeError, domainError } from './errors.ts';
export type { EstimateQuery, EstimatorTuning, WaitEstimator } from './estimate.ts';
export {
  createEstimator,
  estimateNew,
  estimateWait,
  nearestRange,
  residualService,
  roundRange,
} from './estimate.ts';
export type { EventOf, QueueEvent, QueueEventType } from './events.ts';
export { QUEUE_EVENT_TYPES } from './events.ts';
export type { Placement } from './evolve.ts';
export {
  emptyHistory,
  evolve,
  evolveAll,
  evolveChecked,
  fold,
  initialState,
  placementProblem,
} from './evolve.ts';
export { percentileNearestRank } from './percentile.ts';
export { has, ID_PATTERN, isId, own, put } from './records.ts';
export type { ArrivalRate, BranchModel, ServiceTime } from './stats.ts';
export { learnBranch, PRIOR_CV, PRIOR_WEIGHT, robustMeanCv, serviceTime } from './stats.ts';
export { isPlainText } from './text.ts';
export type {
  AheadReasons,
  Appointment,
  AppointmentId,
  AppointmentSlots,
  AppointmentStatus,
  Bilingual,
  BranchConfig,
  BranchHistory,
  BranchSettings,
  CounterBreak,
  CounterConfig,
  CounterId,
  CounterReturn,
  CounterState,
  CounterStatus,
  DispatchSettings,
  EstimateRecord,
  Lang,
  OpeningHours,
  PauseRecord,
  QueueState,
  ServiceConfig,
  ServiceId,
  Ticket,
  TicketClass,
  TicketId,
  TicketSource,
  TicketStatus,
  WaitEstimate,
  WaitOutcome,
} from './types.ts';
export {
  CLASS_HISTORY_SIZE,
  ESTIMATE_HISTORY_SIZE,
  OUTCOME_HISTORY_SIZE,
  PAUSE_HISTORY_SIZE,
  SERVICE_HISTORY_SIZE,
  TERMINAL_STATUSES,
  TICKET_CLASSES,
} from './types.ts';
export type { ClassOffer, ServiceOffer, WalkInClass } from './views.ts';
export {
  serviceClasses,
  serviceOffers,
  ticketByNumber,
  ticketsInIssueOrder,
  waitingCountByService,
} from './views.ts';
export type { WaitWords } from './words.ts';
export { aheadNote, waitBrief, waitLine, waitWords } from './words.ts';
