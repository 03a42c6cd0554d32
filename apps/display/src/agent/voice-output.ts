import { join } from 'node:path';
import type { QueueState } from '@nextup/core';
import type { Logger } from '@nextup/hub-client';
import type { BranchView } from '@nextup/hub-view';
import type { DisplaySettings, HealthComponent } from '@nextup/protocol';
import type { FreshCall } from './calls.ts';
import { shownCounters } from './plan.ts';
import { ClipLibrary } from './voice/clips.ts';
import { makePlaceholderClips } from './voice/make-clips.ts';
import { AnnouncementQueue, type AnnouncementRecord } from './voice/queue.ts';
import { type AudioSink, CommandAudioSink } from './voice/sink.ts';
import { UiAudioSink } from './voice/ui-sink.ts';
import { placeClipsOf } from './voice/vocabulary.ts';

export interface DisplayVoiceOptions {
  /** The box's folder: the branch's studio clips are in `voice/` there (they win over the placeholders). */
  dataDir: string;
  /** The generated placeholder clips. */
  placeholderClipsDir: string;
  /** Make missing placeholder clips (espeak-ng + sox). */
  makeClips: boolean;
  /** espeak-ng for the clip fallback; null = none. Default the library's. */
  espeak?: string | null | undefined;
  /** Where the sound comes out: the TV screen, a command reading a WAV on stdin, or any AudioSink. */
  audio: 'screen' | { command: string[] } | AudioSink;
  /** The branch now (a call is said only while the customer is still called there). */
  view: () => BranchView | null;
  /** The audio's health changed. */
  onHealth: () => void;
  logger: Logger;
}

/**
 * The display's voice: the clips (studio, placeholder, synthesised), where the sound comes out, the
 * one-at-a-time announcement queue, and the audio's health.
 */
export class DisplayVoice {
  readonly queue: AnnouncementQueue;
  /** The TV screen as the speaker (its page plays the announcements), or null with another sink. */
  readonly uiSink: UiAudioSink | null;
  readonly #sink: AudioSink;
  readonly #o: DisplayVoiceOptions;
  #clipsReady: Promise<unknown>;
  /** The place clips (贵宾室, "VIP room") of the counter names made so far, or being made. */
  #placesKey = '';
  #health: HealthComponent | null = null;

  constructor(options: DisplayVoiceOptions) {
    this.#o = options;
    const { logger, audio } = options;
    this.#clipsReady = !options.makeClips
      ? Promise.resolve()
      : makePlaceholderClips(options.placeholderClipsDir, { logger }).catch((e) => {
          logger.warn(
            { err: (e as Error).message },
            'voice: cannot make the placeholder clips; synthesising instead',
          );
        });
    const library = new ClipLibrary({
      dirs: [join(options.dataDir, 'voice'), options.placeholderClipsDir],
      ...(options.espeak !== undefined ? { espeak: options.espeak } : {}),
      logger,
    });
    this.uiSink = audio === 'screen' ? new UiAudioSink({ logger }) : null;
    this.#sink =
      this.uiSink ??
      (typeof audio === 'object' && 'play' in audio
        ? audio
        : new CommandAudioSink({ command: (audio as { command: string[] }).command }));
    this.queue = new AnnouncementQueue({
      sink: this.#sink,
      library,
      ready: () => this.#clipsReady,
      logger,
      // Said only while the customer is still called there (not after they came, a no-show, a transfer).
      isCurrent: (r) => {
        const state = options.view()?.state;
        const t = state?.tickets[r.ticketId];
        return (
          t?.status === 'called' &&
          t.counterId === r.counterId &&
          state?.counters[r.counterId]?.ticketId === t.id
        );
      },
      onRecord: (r) => {
        if (r.outcome === 'spoken' || r.outcome === 'failed') this.#setHealth(r);
      },
    });
    this.uiSink?.onPlayersChange(() => this.#setHealth(null));
  }

  /** The audio's health, once known. */
  get health(): HealthComponent | null {
    return this.#health;
  }

  /** Works the audio's health out now (a link started: the hub hears it at once). */
  checkHealth(): void {
    this.#setHealth(null);
  }

  #setHealth(r: AnnouncementRecord | null) {
    const at = Date.now();
    let next: Omit<HealthComponent, 'since'>;
    if (r?.error)
      next = {
        component: 'audio',
        address: null,
        level: 'warning',
        code: 'ERROR',
        detail: r.error.message.slice(0, 64),
      };
    else if (this.uiSink && this.uiSink.players === 0)
      next = {
        component: 'audio',
        address: null,
        level: 'warning',
        code: 'OFFLINE',
        detail: 'no screen is playing sound',
      };
    else next = { component: 'audio', address: null, level: 'ok', code: 'OK', detail: null };
    const h = this.#health;
    if (h && h.code === next.code && h.detail === next.detail) return;
    this.#health = { ...next, since: at };
    this.#o.onHealth();
  }

  /** Makes the clips of the shown counters' place names (贵宾室) that are missing, in the background. */
  makePlaceClips(state: QueueState, settings: DisplaySettings): void {
    if (!this.#o.makeClips) return;
    const { logger, placeholderClipsDir } = this.#o;
    const names = shownCounters(state, settings).map((id) => state.config.counters[id]!.name);
    const specs = placeClipsOf(names);
    const key = specs.map((c) => c.name).join('|');
    if (key === this.#placesKey) return;
    this.#placesKey = key;
    // After the fixed set (one generator at a time on a small box); a call meanwhile waits for it.
    this.#clipsReady = this.#clipsReady.then(() =>
      makePlaceholderClips(placeholderClipsDir, { specs, logger }).catch((e) => {
        logger.warn(
          { err: (e as Error).message },
          'voice: cannot make the place clips; synthesising instead',
        );
      }),
    );
  }

  /** Queues the announcement of each live call, in the settings' languages. */
  announce(calls: readonly FreshCall[], state: QueueState, settings: DisplaySettings): void {
    for (const c of calls) {
      const counter = state.config.counters[c.counterId];
      if (!counter) continue;
      this.queue.enqueue({
        key: c.key,
        ticketId: c.ticketId,
        counterId: c.counterId,
        number: c.number,
        counterNumber: c.counterNumber,
        counterName: counter.name,
        recall: c.recall,
        languages: settings.voice.languages,
        repeat: settings.voice.repeat,
      });
    }
  }

  async close(): Promise<void> {
    this.queue.close();
    await this.#sink.close?.();
  }
}
