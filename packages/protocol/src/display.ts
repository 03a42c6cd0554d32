import { z } from 'zod';
import { bilingual, epochMs, id, PROTOCOL_VERSION, shortText } from './common.ts';

/**
 * The display's local messages: its React TV screen ↔ its agent on the same box (`/local/*` REST,
 * the `/local/stream` push and the `/local/player` audio socket). The agent validates what the UI
 * sends and the UI validates what the agent pushes. Times called "local" are the box's own clock
 * (the agent and the screen run on the same machine); times called "hub" are the branch's clock.
 */

/** One call as the screen shows it: a ticket number sent to a counter, or sent there again. */
export const displayCall = z.object({
  /** Unique per spoken call (a recall has its own key), so the screen can tell one call from the next. */
  key: shortText,
  ticketId: id,
  /** "A023". */
  number: shortText,
  counterId: id,
  counterNumber: z.number().int().min(0).max(999),
  counterName: bilingual,
  /** When it was called (or recalled), hub time. */
  at: epochMs,
  recall: z.boolean(),
  /**
   * Local time until which the screen highlights this call as new. Only a call that arrived live from
   * the hub has one: a call found in a snapshot or in the replay after a reconnect is never "new".
   */
  newUntil: epochMs.nullable(),
});
export type DisplayCall = z.infer<typeof displayCall>;

export const displayLinkStatus = z.enum(['connecting', 'online', 'offline', 'revoked']);
export type DisplayLinkStatus = z.infer<typeof displayLinkStatus>;

/**
 * Whether the hall is being served: `open` while a counter this display shows is open or paused;
 * otherwise every one of them is closed, and the branch's hours (on the hub's clock) say why:
 * `beforeHours` (it opens at `opensAt` today), `afterHours` (no more opening today), or
 * `noCounterOpen` (within the hours, or the clock or the hours unknown).
 */
export const displayHall = z.object({
  state: z.enum(['open', 'noCounterOpen', 'beforeHours', 'afterHours']),
  /** 'HH:MM', branch time: when it opens today (`beforeHours` only). */
  opensAt: z
    .string()
    .regex(/^\d{2}:\d{2}$/)
    .nullable(),
});
export type DisplayHall = z.infer<typeof displayHall>;

export const displayScreen = z.object({
  /** Sequence number of the last hub event folded in. */
  seq: z.number().int().nonnegative(),
  link: displayLinkStatus,
  branch: bilingual,
  /** IANA zone of the branch clock. */
  timeZone: shortText,
  notice: bilingual.nullable(),
  /** The hub's clock as last sampled: hub time `hubTime` was local time `localTime`. Null before the first sample. */
  clock: z.object({ hubTime: epochMs, localTime: epochMs }).nullable(),
  hall: displayHall,
  /**
   * The latest call (of the counters this display shows) while its customer is still at that
   * counter (called or being served); null once the counter has moved on, and whenever the hall is
   * not open.
   */
  current: displayCall.nullable(),
  /** Earlier calls, newest first (the current call is not repeated here); empty when the hall is not open. */
  recent: z.array(displayCall).max(16),
  /** Waiting counts, in the branch's service order (enabled services only). */
  services: z.array(
    z.object({
      serviceId: id,
      prefix: z.string().max(2),
      name: bilingual,
      waiting: z.number().int().nonnegative(),
      /**
       * What a new ticket of this service would wait, in brief (core's `waitBrief` of the figure the
       * kiosk's button shows); null when the service cannot issue now or the hub's time is not known.
       */
      wait: bilingual.nullable(),
    }),
  ),
  counters: z.array(
    z.object({
      counterId: id,
      number: z.number().int(),
      name: bilingual,
      status: z.enum(['open', 'paused', 'closed']),
      /** The number at the counter now (called or being served), if any. */
      ticketNumber: shortText.nullable(),
    }),
  ),
});
export type DisplayScreen = z.infer<typeof displayScreen>;

/** What a blank box's screen shows: the pairing form, and how the last attempt went. */
export const displayPairingState = z.object({
  /** The hub address to prefill (from `--hub`), or null. */
  hubUrl: z.string().max(200).nullable(),
  /** The device name to prefill. */
  name: shortText,
  busy: z.boolean(),
  error: z.object({ code: shortText, message: bilingual }).nullable(),
});
export type DisplayPairingState = z.infer<typeof displayPairingState>;

/** `/local/stream`: the agent's push to every screen (the first message is the current state). */
export const displayAgentMessage = z.discriminatedUnion('type', [
  z.object({ type: z.literal('pairing'), pairing: displayPairingState }),
  z.object({ type: z.literal('screen'), screen: displayScreen }),
]);
export type DisplayAgentMessage = z.infer<typeof displayAgentMessage>;

/** `POST /local/pair` from the pairing form. */
export const displayPairRequest = z.strictObject({
  hubUrl: z.string().url().max(200),
  code: z.string().regex(/^\d{6}$/, 'a 6-digit pairing code'),
  name: shortText.min(1),
});
export type DisplayPairRequest = z.infer<typeof displayPairRequest>;

/**
 * `/local/player`: the screen that plays the announcements. The agent sends one `play` at a time
 * and waits for `ended` (or `failed`) before the next, so two announcements never overlap.
 */
export const displayPlayerCommand = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('play'),
    id: id,
    /** Where to GET the WAV (22 050 Hz mono 16-bit PCM), relative to the agent. */
    url: z.string().max(200),
    durationMs: z.number().nonnegative(),
    /** What is said, for logs and the screen ("A023 → 3"). */
    label: shortText,
  }),
  /** Stop playing `id` now (the agent gave up waiting for its end and moves on). */
  z.object({ type: z.literal('stop'), id: id }),
]);
export type DisplayPlayerCommand = z.infer<typeof displayPlayerCommand>;

export const displayPlayerReport = z.discriminatedUnion('type', [
  /** Sent on connect: whether this screen can play sound (autoplay allowed, audio output present). */
  z.strictObject({ v: z.literal(PROTOCOL_VERSION), type: z.literal('player'), canPlay: z.boolean() }),
  /** Local times from the player's own clock. */
  z.strictObject({ v: z.literal(PROTOCOL_VERSION), type: z.literal('started'), id: id, at: epochMs }),
  z.strictObject({ v: z.literal(PROTOCOL_VERSION), type: z.literal('ended'), id: id, at: epochMs }),
  z.strictObject({
    v: z.literal(PROTOCOL_VERSION),
    type: z.literal('failed'),
    id: id,
    error: shortText,
  }),
]);
export type DisplayPlayerReport = z.infer<typeof displayPlayerReport>;
