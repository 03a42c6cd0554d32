import { type Logger, silentLogger } from '@nextup/hub-client';
import type { ClipLibrary } from './clips.ts';
import { AudioError, type AudioSink, type Playback } from './sink.ts';
import {
  announcementPlan,
  type CounterName,
  DEFAULT_PAUSES,
  type Pauses,
  type PlanItem,
  type VoiceLang,
} from './vocabulary.ts';
import { durationMs, encodeWav } from './wav.ts';

/** A call to announce. */
export interface AnnouncementRequest {
  /** Unique per call (a recall is a new request). */
  key: string;
  ticketId: string;
  counterId: string;
  number: string;
  /** For logs and labels ("A023 → 3"). */
  counterNumber: number;
  /** What is said: the counter's configured name, as the TV and the boards show it. */
  counterName: CounterName;
  recall: boolean;
  languages: readonly VoiceLang[];
  /** How many times a call is said when nothing else is waiting (1–3). */
  repeat: number;
}

/**
 * What became of one call:
 * - `spoken`: its words were played;
 * - `merged`: said by an announcement of the same ticket at the same counter that was still waiting
 *   (a recall pressed before the call was even heard is said once, as a recall);
 * - `superseded`: the counter called someone else before it was said (only a counter's newest call is said);
 * - `stale`: by its turn the ticket was no longer called there (the customer came, a no-show, a
 *   transfer, the counter closed): saying it would send someone to a counter that has moved on;
 * - `failed`: the player could not play it (see `error`).
 */
export type CallOutcome = 'waiting' | 'spoken' | 'merged' | 'superseded' | 'stale' | 'failed';

/** What happened to one call's announcement. */
export interface AnnouncementRecord {
  /** The announcement that said it (several calls can share one); '' when none did. */
  id: string;
  key: string;
  label: string;
  /** When it was queued (the queue's clock: the moment the call reached the screen). */
  enqueuedAt: number;
  outcome: CallOutcome;
  /** Length of the announcement that said it, ms (0 when none did). */
  durationMs: number;
  /** That announcement's start and end on the player's clock; null when it did not play. */
  startedAt: number | null;
  endedAt: number | null;
  /** Player clock: when this call's number began to be heard (its words, after the chime and any call before it). */
  spokenAt: number | null;
  /** How many calls the announcement said (1 = alone). */
  together: number;
  /** Repeats (from the settings) left out because other calls were waiting. */
  repeatsDropped: number;
  error: { code: string; message: string } | null;
  /** Clips that were synthesised (or left out) because no folder had them. */
  substituted: string[];
}

/**
 * How the queue orders and groups calls:
 * - `'newest'` (default): only each counter's newest call is said, a call no longer current is
 *   dropped at its turn, every call waiting when the player is free is said in **one**
 *   announcement (one chime, Chinese for all, then English for all), and a repeat from the settings
 *   is said only when nothing else waits. The lag of a call is then bounded by what is playing plus
 *   one sentence per counter ahead of it, whatever the burst.
 * - `'strict'`: every call in turn, each with its chime and all its repeats, none dropped (what the
 *   display did before; kept as the bench's baseline).
 */
export type AnnouncementPolicy = 'newest' | 'strict';

export interface AnnouncementQueueOptions {
  sink: AudioSink;
  library: ClipLibrary;
  /**
   * Resolves when the clip set is ready (placeholders made); composing waits for it. A function is
   * asked again for every announcement (the agent adds clips for renamed counters). Default: ready.
   */
  ready?: Promise<unknown> | (() => Promise<unknown>);
  pauses?: Pauses;
  /** Default `'newest'`. */
  policy?: AnnouncementPolicy;
  /**
   * Whether a call is still current (its ticket still called at that counter), asked at its turn;
   * a call that is not is dropped as `stale`. Default: always current. Not asked by the strict policy.
   */
  isCurrent?: (req: AnnouncementRequest) => boolean;
  /** What an announcement says. Default `announcementPlan` (the bench passes the old, longer phrasing). */
  plan?: (
    calls: readonly AnnouncementRequest[],
    languages: readonly VoiceLang[],
    opts: { chime?: boolean; pauses?: Pauses },
  ) => PlanItem[];
  /** The clock `enqueuedAt` is read on; it must agree with the player's. Default `Date.now`. */
  now?: () => number;
  logger?: Logger;
  /** Called for each call once its outcome is known. */
  onRecord?: (r: AnnouncementRecord) => void;
  /** Records kept for `history`. Default 100. */
  keep?: number;
}

interface Entry {
  req: AnnouncementRequest;
  record: AnnouncementRecord;
  /** Records of later requests merged into this one (a recall before the call was heard). */
  merged: AnnouncementRecord[];
  /** Languages still to say after the first (the newest policy says them in parts). */
  remaining: VoiceLang[];
  /** Repeats still to say (only for a call said alone, and only while nothing else waits). */
  repeatsLeft: number;
}

/** One play: some calls, in some languages. */
interface Part {
  batch: Entry[];
  languages: readonly VoiceLang[];
  chime: boolean;
  /** Silence before it, ms (a part that follows another). */
  leadMs: number;
  /** The calls' first words: their records get the time they were heard. */
  first: boolean;
}

/** The gap before a repeat of the same announcement, ms. */
const REPEAT_GAP_MS = 700;

let counter = 0;

/**
 * Announcements one at a time, never two at once: each part is composed into one buffer and handed
 * to the sink only when the previous one has finished playing. Which calls it says, and together, is
 * the policy's (see `AnnouncementPolicy`).
 *
 * Under the newest policy an announcement is played in parts, one language each: the chime and the
 * Chinese for every call waiting, then the English for them. A call made while the Chinese part plays
 * cuts in before the English part (its own Chinese, no chime: the hall is listening already), so
 * that a call's number is first heard within the part playing now and one sentence per call ahead of
 * it. A recall that arrives after its call was said is said again. A failure (no screen to play on)
 * is recorded and the queue moves on, so one bad moment cannot stall every later call.
 */
export class AnnouncementQueue {
  readonly #o: AnnouncementQueueOptions & {
    logger: Logger;
    keep: number;
    policy: AnnouncementPolicy;
    now: () => number;
    pauses: Pauses;
  };
  #waiting: Entry[] = [];
  /** Calls whose first words were said, with languages or repeats still to say. */
  #said: Entry[] = [];
  readonly #history: AnnouncementRecord[] = [];
  #running = false;
  #closed = false;
  #idleWaiters: (() => void)[] = [];
  #lastError: AnnouncementRecord['error'] = null;

  constructor(options: AnnouncementQueueOptions) {
    this.#o = {
      ...options,
      logger: options.logger ?? silentLogger,
      keep: options.keep ?? 100,
      policy: options.policy ?? 'newest',
      now: options.now ?? Date.now,
      pauses: options.pauses ?? DEFAULT_PAUSES,
    };
  }

  /** Calls waiting or still being said. */
  get pending(): number {
    return this.#waiting.length + this.#said.length + (this.#running ? 1 : 0);
  }

  /** What happened to the last calls, oldest first (a call is listed once it has been said, or dropped). */
  get history(): readonly AnnouncementRecord[] {
    return this.#history;
  }

  /** The error of the last announcement, or null when it played. */
  get lastError(): AnnouncementRecord['error'] {
    return this.#lastError;
  }

  enqueue(req: AnnouncementRequest): AnnouncementRecord | null {
    if (this.#closed || req.languages.length === 0) return null;
    const record: AnnouncementRecord = {
      id: '',
      key: req.key,
      label: labelOf(req),
      enqueuedAt: this.#o.now(),
      outcome: 'waiting',
      durationMs: 0,
      startedAt: null,
      endedAt: null,
      spokenAt: null,
      together: 0,
      repeatsDropped: 0,
      error: null,
      substituted: [],
    };
    const entry: Entry = {
      req,
      record,
      merged: [],
      remaining: [],
      repeatsLeft: Math.max(1, Math.min(3, Math.floor(req.repeat))) - 1,
    };
    if (this.#o.policy === 'newest') {
      const i = this.#waiting.findIndex((e) => e.req.counterId === req.counterId);
      const there = this.#waiting[i];
      if (there && there.req.ticketId === req.ticketId) {
        // A recall of a call not yet heard: one announcement, said as a recall, in the first one's turn.
        there.req = { ...there.req, recall: there.req.recall || req.recall };
        there.record.label = labelOf(there.req);
        record.outcome = 'merged';
        there.merged.push(record);
        return record;
      }
      if (there) {
        // The counter has called someone else: only its newest call is said, in the counter's turn.
        this.#finish(there, 'superseded');
        this.#waiting[i] = entry;
        void this.#pump();
        return record;
      }
    }
    this.#waiting.push(entry);
    void this.#pump();
    return record;
  }

  /** Resolves when nothing is waiting or playing. */
  idle(): Promise<void> {
    if (this.pending === 0) return Promise.resolve();
    return new Promise((r) => this.#idleWaiters.push(r));
  }

  #current(e: Entry): boolean {
    return !this.#o.isCurrent || this.#o.isCurrent(e.req);
  }

  /** What to play next, or null when there is nothing left. */
  #next(): Part | null {
    const p = this.#o.pauses;
    if (this.#o.policy === 'strict') {
      // Every call whole (all languages, its chime) and all its repeats, in turn.
      const again = this.#said[0];
      if (again) {
        again.repeatsLeft -= 1;
        return {
          batch: [again],
          languages: again.req.languages,
          chime: false,
          leadMs: REPEAT_GAP_MS,
          first: false,
        };
      }
      const e = this.#waiting.shift();
      return e ? { batch: [e], languages: e.req.languages, chime: true, leadMs: 0, first: true } : null;
    }
    // 1. Calls not heard yet, the ones still current: their first language, all together.
    const fresh: Entry[] = [];
    for (const e of this.#waiting.splice(0)) {
      if (this.#current(e)) fresh.push(e);
      else this.#finish(e, 'stale');
    }
    if (fresh.length > 0) {
      // A repeat is for a call said alone in a quiet hall: with other calls it would only delay them.
      const midway = this.#said.length > 0;
      if (midway || fresh.length > 1)
        for (const e of [...this.#said, ...fresh]) {
          e.record.repeatsDropped = e.repeatsLeft;
          e.repeatsLeft = 0;
        }
      for (const e of this.#said.filter((x) => x.remaining.length === 0)) this.#finish(e, 'spoken');
      const languages = fresh[0]!.req.languages;
      for (const e of fresh) e.remaining = e.req.languages.slice(1);
      return {
        batch: fresh,
        languages: languages.slice(0, 1),
        chime: !midway,
        leadMs: midway ? p.call : 0,
        first: true,
      };
    }
    // 2. The other languages of the calls already heard (not of one whose counter has moved on).
    for (const e of this.#said.filter((x) => x.remaining.length > 0 && !this.#current(x)))
      this.#finish(e, 'spoken');
    const rest = this.#said.filter((x) => x.remaining.length > 0);
    if (rest.length > 0) {
      const lang = rest[0]!.remaining[0]!;
      const batch = rest.filter((x) => x.remaining[0] === lang);
      for (const e of batch) e.remaining.shift();
      return { batch, languages: [lang], chime: false, leadMs: p.language, first: false };
    }
    // 3. A repeat of a call said alone, the hall being quiet.
    const again = this.#said.find((x) => x.repeatsLeft > 0 && this.#current(x));
    for (const e of this.#said.filter((x) => x !== again)) this.#finish(e, 'spoken');
    if (again) {
      again.repeatsLeft -= 1;
      return {
        batch: [again],
        languages: again.req.languages,
        chime: false,
        leadMs: REPEAT_GAP_MS,
        first: false,
      };
    }
    return null;
  }

  async #compose(part: Part) {
    const ready = this.#o.ready;
    await (typeof ready === 'function' ? ready() : ready);
    const calls = part.batch.map((e) => e.req);
    let plan: PlanItem[] = (this.#o.plan ?? announcementPlan)(calls, part.languages, {
      chime: part.chime,
      pauses: this.#o.pauses,
    });
    if (part.leadMs > 0) plan = [{ silenceMs: part.leadMs }, ...plan];
    const composed = await this.#o.library.compose(plan);
    return {
      wav: encodeWav(composed.samples),
      durationMs: durationMs(composed.samples),
      marks: composed.marks,
      substituted: composed.substituted.map((s) => s.clip),
    };
  }

  /** Plays one part; true when it played. The entries' records get its times. */
  async #play(part: Part): Promise<boolean> {
    counter += 1;
    const id = `ann-${Date.now().toString(36)}-${counter}`;
    const label = part.batch
      .map((e) => e.record.label)
      .join(' · ')
      .slice(0, 64);
    try {
      const audio = await this.#compose(part);
      const played: Playback = await this.#o.sink.play({
        id,
        wav: audio.wav,
        durationMs: audio.durationMs,
        label,
      });
      this.#lastError = null;
      for (const e of part.batch) {
        const r = e.record;
        r.durationMs += audio.durationMs;
        r.endedAt = played.endedAt;
        r.substituted = [...new Set([...r.substituted, ...audio.substituted])];
        if (part.first) {
          r.id = id;
          r.startedAt = played.startedAt;
          r.spokenAt = played.startedAt + (audio.marks[r.key] ?? 0);
          r.together = part.batch.length;
        }
      }
      this.#o.logger.info({ label, ms: Math.round(audio.durationMs) }, 'voice: announced');
      return true;
    } catch (e) {
      const error = {
        code: e instanceof AudioError ? e.code : 'COMPOSE_FAILED',
        message: (e as Error).message.slice(0, 200),
      };
      this.#lastError = error;
      for (const entry of part.batch) {
        if (!entry.record.id) entry.record.id = id;
        entry.record.error = error;
      }
      this.#o.logger.warn({ label, err: error }, 'voice: announcement not played');
      return false;
    }
  }

  async #pump() {
    if (this.#running) return;
    this.#running = true;
    try {
      for (let part = this.#next(); part && !this.#closed; part = this.#next()) {
        if (part.first) this.#said.push(...part.batch);
        const ok = await this.#play(part);
        for (const e of part.batch) {
          if (!ok) this.#finish(e, e.record.spokenAt === null ? 'failed' : 'spoken');
          else if (e.remaining.length === 0 && e.repeatsLeft === 0) this.#finish(e, 'spoken');
        }
      }
    } finally {
      this.#running = false;
      if (this.pending === 0) for (const w of this.#idleWaiters.splice(0)) w();
      else void this.#pump();
    }
  }

  /** Records an entry's outcome (and its merged recalls'), and forgets it. */
  #finish(e: Entry, outcome: CallOutcome) {
    const i = this.#said.indexOf(e);
    if (i >= 0) this.#said.splice(i, 1);
    this.#record(e.record, outcome);
    for (const m of e.merged) {
      Object.assign(m, { ...e.record, key: m.key, enqueuedAt: m.enqueuedAt, label: m.label });
      this.#record(m, outcome === 'spoken' ? 'merged' : outcome);
    }
  }

  #record(record: AnnouncementRecord, outcome: CallOutcome) {
    record.outcome = outcome;
    this.#history.push(record);
    if (this.#history.length > this.#o.keep) this.#history.shift();
    this.#o.onRecord?.(record);
  }

  close(): void {
    this.#closed = true;
    this.#waiting.length = 0;
    this.#said.length = 0;
    for (const w of this.#idleWaiters.splice(0)) w();
  }
}

function labelOf(req: Pick<AnnouncementRequest, 'recall' | 'number' | 'counterNumber'>): string {
  return `${req.recall ? 'recall ' : ''}${req.number} → ${req.counterNumber}`;
}
