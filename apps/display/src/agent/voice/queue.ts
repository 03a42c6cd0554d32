import { type Logger, silentLogger } from '@nextup/hub-client';
import type { ClipLibrary } from './clips.ts';
import { AudioError, type AudioSink, type Playback } from './sink.ts';
import { announcementPlan, type Pauses, type VoiceLang } from './vocabulary.ts';
import { durationMs, encodeWav } from './wav.ts';

/** A call to announce. */
export interface AnnouncementRequest {
  /** Unique per call (a recall is a new request). */
  key: string;
  number: string;
  counterNumber: number;
  recall: boolean;
  languages: readonly VoiceLang[];
  repeat: number;
}

/** What happened to one announcement. */
export interface AnnouncementRecord {
  id: string;
  key: string;
  label: string;
  enqueuedAt: number;
  durationMs: number;
  /** Player clock; null when it did not play. */
  startedAt: number | null;
  endedAt: number | null;
  error: { code: string; message: string } | null;
  /** Clips that were synthesised (or left out) because no folder had them. */
  substituted: string[];
}

export interface AnnouncementQueueOptions {
  sink: AudioSink;
  library: ClipLibrary;
  /** Resolves when the clip set is ready (placeholders made); composing waits for it. Default: ready. */
  ready?: Promise<unknown>;
  pauses?: Pauses;
  logger?: Logger;
  /** Called after each announcement played (or failed). */
  onRecord?: (r: AnnouncementRecord) => void;
  /** Records kept for `history`. Default 100. */
  keep?: number;
}

interface Job {
  req: AnnouncementRequest;
  record: AnnouncementRecord;
  audio: Promise<{ wav: Uint8Array; durationMs: number; substituted: string[] }>;
}

let counter = 0;

/**
 * Announcements one at a time, in the order the calls came: each is composed into one buffer as
 * soon as it is queued (so the next is ready when the current ends) and handed to the sink only when
 * the previous one has finished playing. A burst of ten calls plays ten announcements back to back,
 * never two at once, none dropped; a recall is announced again. A failure (no screen to play on) is
 * recorded and the queue moves on, so one bad moment cannot stall every later call.
 */
export class AnnouncementQueue {
  readonly #o: AnnouncementQueueOptions & { logger: Logger; keep: number };
  readonly #jobs: Job[] = [];
  readonly #history: AnnouncementRecord[] = [];
  #running = false;
  #closed = false;
  #idleWaiters: (() => void)[] = [];
  #lastError: AnnouncementRecord['error'] = null;

  constructor(options: AnnouncementQueueOptions) {
    this.#o = { ...options, logger: options.logger ?? silentLogger, keep: options.keep ?? 100 };
  }

  /** Announcements waiting or playing. */
  get pending(): number {
    return this.#jobs.length + (this.#running ? 1 : 0);
  }

  /** The last announcements, oldest first. */
  get history(): readonly AnnouncementRecord[] {
    return this.#history;
  }

  /** The error of the last announcement, or null when it played. */
  get lastError(): AnnouncementRecord['error'] {
    return this.#lastError;
  }

  enqueue(req: AnnouncementRequest): AnnouncementRecord | null {
    if (this.#closed || req.languages.length === 0) return null;
    counter += 1;
    const id = `ann-${Date.now().toString(36)}-${counter}`;
    const record: AnnouncementRecord = {
      id,
      key: req.key,
      label: `${req.recall ? 'recall ' : ''}${req.number} → ${req.counterNumber}`,
      enqueuedAt: Date.now(),
      durationMs: 0,
      startedAt: null,
      endedAt: null,
      error: null,
      substituted: [],
    };
    const audio = (async () => {
      await this.#o.ready;
      const plan = announcementPlan(
        { number: req.number, counterNumber: req.counterNumber },
        { languages: req.languages, repeat: req.repeat },
        this.#o.pauses,
      );
      const composed = await this.#o.library.compose(plan);
      return {
        wav: encodeWav(composed.samples),
        durationMs: durationMs(composed.samples),
        substituted: composed.substituted.map((s) => s.clip),
      };
    })();
    // Composition errors surface when the job plays; do not leave them unhandled meanwhile.
    audio.catch(() => {});
    this.#jobs.push({ req, record, audio });
    void this.#pump();
    return record;
  }

  /** Resolves when nothing is queued or playing. */
  idle(): Promise<void> {
    if (!this.#running && this.#jobs.length === 0) return Promise.resolve();
    return new Promise((r) => this.#idleWaiters.push(r));
  }

  async #pump() {
    if (this.#running) return;
    this.#running = true;
    try {
      for (let job = this.#jobs.shift(); job && !this.#closed; job = this.#jobs.shift()) {
        const { record } = job;
        try {
          const audio = await job.audio;
          record.durationMs = audio.durationMs;
          record.substituted = audio.substituted;
          const played: Playback = await this.#o.sink.play({
            id: record.id,
            wav: audio.wav,
            durationMs: audio.durationMs,
            label: record.label,
          });
          record.startedAt = played.startedAt;
          record.endedAt = played.endedAt;
          this.#lastError = null;
          this.#o.logger.info({ label: record.label, ms: Math.round(audio.durationMs) }, 'voice: announced');
        } catch (e) {
          record.error = {
            code: e instanceof AudioError ? e.code : 'COMPOSE_FAILED',
            message: (e as Error).message.slice(0, 200),
          };
          this.#lastError = record.error;
          this.#o.logger.warn({ label: record.label, err: record.error }, 'voice: announcement not played');
        }
        this.#history.push(record);
        if (this.#history.length > this.#o.keep) this.#history.shift();
        this.#o.onRecord?.(record);
      }
    } finally {
      this.#running = false;
      if (this.#jobs.length === 0) for (const w of this.#idleWaiters.splice(0)) w();
      else void this.#pump();
    }
  }

  close(): void {
    this.#closed = true;
    this.#jobs.length = 0;
    for (const w of this.#idleWaiters.splice(0)) w();
  }
}
