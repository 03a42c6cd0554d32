/**
 * The queue domain's data. Everything here is plain JSON (records, arrays, numbers, strings) so that
 * a state can be snapshotted, sent to a device and folded again without any class instances.
 *
 * Times are epoch milliseconds (UTC). Local dates and times of day are computed in the branch's time
 * zone (`BranchSettings.timeZone`, default Asia/Shanghai) by `clock.ts`.
 */

export type ServiceId = string;
export type CounterId = string;
export type TicketId = string;
export type AppointmentId = string;

/** A text in both languages every user-facing string must exist in. */
export interface Bilingual {
  zh: string;
  en: string;
}

export type Lang = 'zh' | 'en';

/** Opening hours on some weekdays, local wall-clock time in the branch's time zone. */
export interface OpeningHours {
  /** ISO weekdays 1 (Monday) … 7 (Sunday). */
  days: number[];
  /** 'HH:MM', inclusive. */
  open: string;
  /** 'HH:MM', exclusive. */
  close: string;
}

export interface AppointmentSlots {
  /** Length of one bookable slot in minutes. Default 30. */
  slotMinutes: number;
  /** Bookings one slot accepts. Default 2. */
  capacity: number;
}

/** A kind of business (业务类型) with its own ticket prefix and queue. */
export interface ServiceConfig {
  id: ServiceId;
  /** Ticket prefix letter, A–Z. Unique among services. */
  prefix: string;
  name: Bilingual;
  /** The configured service time; the estimator's prior while the branch has little history. */
  expectedMinutes: number;
  /** Tickets per business day; null = unlimited. */
  dailyLimit: number | null;
  /** When tickets may be issued; empty = the branch's hours. */
  hours: OpeningHours[];
  /** Printed on the ticket and shown on the kiosk ("please fill in form X while you wait"). */
  hint: Bilingual | null;
  /** The hint says a self-service machine is faster for this business; the kiosk says so before the tap. */
  selfServiceSuggested: boolean;
  /** Appointment booking for this service; null = not bookable. */
  appointments: AppointmentSlots | null;
  /** A disabled service issues no tickets but keeps its history. */
  enabled: boolean;
}

/** A counter (窗口): the services it serves in priority order, and the devices that belong to it. */
export interface CounterConfig {
  id: CounterId;
  /** The number customers hear and see ("3号窗口"). 1–999, unique. */
  number: number;
  name: Bilingual;
  /** Services in priority order: the first is the counter's main business. */
  services: ServiceId[];
  /** Address of the counter's LED board on the RS-485 bus; null = none. */
  ledAddress: number | null;
  /** Address of the counter's caller keypad on the bus; null = none. */
  keypadAddress: number | null;
  /**
   * Breaks the counter takes every day (lunch 12:00–13:00), local time. Optional: the wait estimate
   * expects the counter away then, and back at the end. Absent = none planned (the estimator learns
   * from the breaks this counter has taken before).
   */
  breaks?: CounterBreak[];
}

/** A break a counter plans to take, local wall-clock time in the branch's time zone. */
export interface CounterBreak {
  /** 'HH:MM', when the counter stops calling. */
  start: string;
  /** 'HH:MM', when it calls again. */
  end: string;
  /** ISO weekdays 1 (Monday) … 7 (Sunday) it applies on; absent = every day. */
  days?: number[];
}

export type TicketClass = 'normal' | 'vip' | 'priority' | 'appointment';
export const TICKET_CLASSES: readonly TicketClass[] = ['normal', 'vip', 'priority', 'appointment'];

export type TicketSource = 'kiosk' | 'appointment' | 'staff';

/**
 * How a counter's "call next" picks a ticket. See `dispatch.ts` for the rule and why it is the default.
 */
export interface DispatchSettings {
  /** Minutes of head start each class gets when tickets are ranked by how long they waited. */
  classBoostMinutes: Record<TicketClass, number>;
  /** Head start of a ticket transferred from another counter: the customer has already waited once. */
  transferBoostMinutes: number;
  /**
   * Minutes a ticket of the counter's n-th service (0-based) loses per rank step against its first
   * service. A large value (≥ 1440) makes the counter's service order strict.
   */
  serviceRankPenaltyMinutes: number;
  /**
   * Ageing: a waiting ticket overtaken this many times by tickets that joined the queue after it goes
   * first at the next counter that can serve it. Bounds every wait in calls, whatever keeps arriving.
   */
  maxOvertakes: number;
  /** A checked-in appointment becomes due this many minutes before its slot starts. */
  appointmentLeadMinutes: number;
  /** Check-in opens this many minutes before the slot starts. */
  checkInEarlyMinutes: number;
  /** Check-in closes this many minutes after the slot starts; later the appointment has expired. */
  checkInLateMinutes: number;
  /** Digits of the running number (A001 with 3). */
  numberDigits: number;
}

export interface BranchSettings {
  name: Bilingual;
  /** IANA time zone the business day and opening hours are reckoned in. */
  timeZone: string;
  /** The branch's opening hours; services without their own hours follow these. */
  hours: OpeningHours[];
  /**
   * How many days ahead, in the branch's calendar, an appointment may be booked (0 = today only).
   * Default 30 (`bookingDaysAhead()`); absent in branches configured before it existed.
   */
  bookingDaysAhead?: number;
}

export interface BranchConfig {
  branch: BranchSettings;
  services: Record<ServiceId, ServiceConfig>;
  /** Display order of services (kiosk buttons, reports). */
  serviceOrder: ServiceId[];
  counters: Record<CounterId, CounterConfig>;
  /** Display order of counters. */
  counterOrder: CounterId[];
  dispatch: DispatchSettings;
}

export type TicketStatus = 'waiting' | 'called' | 'serving' | 'done' | 'noShow' | 'cancelled';
export const TERMINAL_STATUSES: readonly TicketStatus[] = ['done', 'noShow', 'cancelled'];

/**
 * Customers ahead of a ticket who joined after it, by why they go first (the customer is told, so
 * that a count that rises is never a mystery). See `aheadInQueue`.
 */
export interface AheadReasons {
  /** VIP customers (their class has a head start). */
  vip: number;
  /** Priority customers: elderly, disabled, pregnant. */
  priority: number;
  /** Customers sent over from another counter, who have waited once already. */
  transfer: number;
  /** Customers whose booked slot has come. */
  appointment: number;
  /** Customers who have been passed over too often (ageing: nobody waits for ever). */
  waitedLong: number;
}

/** When a counter that serves the service is expected to call again (none is open now). */
export interface CounterReturn {
  counterId: CounterId;
  /** The counter's configured name, as the TV and the boards say it ("3号窗口", "5号贵宾室"). */
  name: Bilingual;
  /** Epoch ms. */
  at: number;
  /** Local time in the branch's time zone, 'HH:MM'. */
  hhmm: string;
  /** How it is known: the teller said so, the counter's planned break ends, or past breaks suggest it. */
  basis: 'said' | 'planned' | 'learned' | 'opens';
}

/** A wait estimate as shown on the kiosk and printed on the ticket: a range, never a fake precision. */
export interface WaitEstimate {
  /** Point estimate in minutes (used for sorting and measuring; not shown alone). */
  minutes: number;
  /** Lower end of the shown range, whole minutes. */
  lowMinutes: number;
  /** Upper end of the shown range, whole minutes. */
  highMinutes: number;
  /** Tickets that will be called before this one at the counters serving it. */
  ahead: number;
  /** Counters open now that serve this service. */
  countersOpen: number;
  /** Mean service time in minutes used for this service. */
  serviceMinutes: number;
  /** Where `serviceMinutes` comes from. */
  basis: 'prior' | 'history' | 'blend';
  /** Finished services of this kind the estimate learned from. */
  historyCount: number;
  /** No counter serving this service is open now: the estimate assumes one opens. */
  noCounterOpen: boolean;
  // The fields below came with the calibrated estimator; events written before it lack them.
  /** The ticket class the figure is for. */
  class?: TicketClass;
  /** The forward run's own figure before the branch's recent errors corrected it (for learning). */
  modelMinutes?: number;
  /** The range is too wide to be useful: the customer is told "more than `lowMinutes` min". */
  moreThan?: boolean;
  /** No counter is open and nothing says when one will be: the customer is told the wait is unknown. */
  unknown?: boolean;
  /** With no counter open: the one expected back first, and when. */
  reopen?: CounterReturn;
  /** Of `ahead`, those who joined after this ticket and why they go first (absent: none). */
  aheadReasons?: AheadReasons;
}

export interface Ticket {
  id: TicketId;
  /** What the customer sees and hears: prefix + running number, e.g. "A023". */
  number: string;
  /** The running number within the service and business day. */
  seq: number;
  serviceId: ServiceId;
  class: TicketClass;
  source: TicketSource;
  status: TicketStatus;
  issuedAt: number;
  /** When the ticket (re)joined a queue: issue time, or the time of its last transfer. */
  queuedAt: number;
  /** Order of joining a queue today (issue or transfer); "joined earlier" means a smaller number. */
  queueOrder: number;
  calledAt: number | null;
  servingAt: number | null;
  endedAt: number | null;
  /** The counter the ticket is at, or was last at. */
  counterId: CounterId | null;
  /** Set by a transfer to a specific counter: only that counter may call it. */
  targetCounterId: CounterId | null;
  recalls: number;
  /** Times a ticket that joined later was called before it while both were eligible (ageing). */
  overtaken: number;
  transfers: number;
  appointmentId: AppointmentId | null;
  /** For appointment tickets: when the booked slot starts. */
  slotStart: number | null;
  /** The estimate given at issue (what the kiosk showed and the ticket says). */
  estimate: WaitEstimate | null;
  /** Satisfaction score 1–5 when rated. */
  rating: number | null;
}

export type CounterStatus = 'open' | 'paused' | 'closed';

export interface CounterState {
  id: CounterId;
  status: CounterStatus;
  pauseReason: string | null;
  /** The ticket called to or being served at this counter. */
  ticketId: TicketId | null;
  /** When the counter entered its status. */
  since: number;
  /** While paused: when the teller said the counter will be back (epoch ms); absent when not said. */
  expectedBackAt?: number;
}

export type AppointmentStatus = 'booked' | 'checkedIn' | 'cancelled';

export interface Appointment {
  id: AppointmentId;
  /** What the customer types or scans at the kiosk. */
  code: string;
  serviceId: ServiceId;
  slotStart: number;
  slotEnd: number;
  /** Optional, minimal: a name to greet and the last digits of a phone number. */
  customerName: string | null;
  phoneTail: string | null;
  status: AppointmentStatus;
  bookedAt: number;
  ticketId: TicketId | null;
}

/** The whole queue state: a fold of the event log. */
export interface QueueState {
  config: BranchConfig;
  /** The current business day, 'YYYY-MM-DD' in the branch's time zone; null before the first. */
  day: string | null;
  /** Today's tickets (earlier days live in the event log only). */
  tickets: Record<TicketId, Ticket>;
  /** Last running number issued today per service. */
  lastSeq: Record<ServiceId, number>;
  /** Tickets that joined a queue today (issues and transfers); gives each its `queueOrder`. */
  queueSeq: number;
  counters: Record<CounterId, CounterState>;
  appointments: Record<AppointmentId, Appointment>;
  /**
   * Recent service durations per service in ms, oldest first, at most `SERVICE_HISTORY_SIZE`; kept
   * across business days so that the estimator starts a morning with yesterday's knowledge.
   */
  serviceHistory: Record<ServiceId, number[]>;
  /**
   * What the wait estimator learns from and keeps across business days: breaks, what became of
   * waiting customers, its own past errors, the classes of customers per service. Bounded. Absent in
   * states folded before it existed (the estimator then starts from its priors).
   */
  history?: BranchHistory;
}

export const SERVICE_HISTORY_SIZE = 60;

/** A finished pause of a counter. */
export interface PauseRecord {
  /** When it started, epoch ms. */
  at: number;
  /** How long it lasted, minutes. */
  minutes: number;
  /** What the teller said it would last, minutes; null when nothing was said. */
  saidMinutes: number | null;
  reason: string;
}

/**
 * What became of a waiting customer: [minutes waited, outcome] — 0 called and came, 1 called and did
 * not come (no-show: left unseen, or did not hear), 2 cancelled (left and said so).
 */
export type WaitOutcome = [number, 0 | 1 | 2];

/**
 * A printed estimate and the wait that followed: [the model's minutes, actual minutes, local minute of
 * day it was printed, flags: 1 = no counter serving the service was open then, 2 = an appointment].
 */
export type EstimateRecord = [number, number, number, number];

export interface BranchHistory {
  /** Finished pauses per counter, oldest first, at most `PAUSE_HISTORY_SIZE` each. */
  pauses: Record<CounterId, PauseRecord[]>;
  /** Outcomes of waiting customers per service, oldest first, at most `OUTCOME_HISTORY_SIZE` each. */
  outcomes: Record<ServiceId, WaitOutcome[]>;
  /** Estimates printed on walk-in tickets and the waits that followed, at most `ESTIMATE_HISTORY_SIZE`. */
  estimates: EstimateRecord[];
  /** Classes of the latest tickets per service, at most `CLASS_HISTORY_SIZE` each. */
  classes: Record<ServiceId, TicketClass[]>;
}

export const PAUSE_HISTORY_SIZE = 40;
export const OUTCOME_HISTORY_SIZE = 300;
export const ESTIMATE_HISTORY_SIZE = 600;
export const CLASS_HISTORY_SIZE = 60;
