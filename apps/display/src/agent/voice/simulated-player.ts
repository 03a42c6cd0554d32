import type { AnnouncementQueue, AnnouncementRequest } from './queue.ts';
import type { AudioItem, AudioSink, Playback } from './sink.ts';

/**
 * A **simulated** player on a virtual clock, for the queue's tests and the voice-lag bench: each
 * announcement lasts exactly its WAV's length, with no real waiting, so an hour of bursts runs in a
 * second and the figures do not depend on the machine's load. It refuses to play while it plays
 * (what "never two at once" means for a real one). Not a product sink: the real ones (the TV
 * screen, a command) are tested in test/voice.int.test.ts.
 */
export class SimulatedPlayer implements AudioSink {
  readonly name = 'simulated';
  /** The virtual clock, ms. */
  now = 0;
  readonly played: (AudioItem & Playback)[] = [];
  #current: { item: AudioItem; startedAt: number; resolve: (p: Playback) => void } | null = null;

  /** When the announcement playing now ends; null when silent. */
  get endsAt(): number | null {
    return this.#current ? this.#current.startedAt + this.#current.item.durationMs : null;
  }

  play(item: AudioItem): Promise<Playback> {
    if (this.#current) return Promise.reject(new Error('two announcements at once'));
    return new Promise((resolve) => {
      this.#current = { item, startedAt: this.now, resolve };
    });
  }

  /** Moves the clock to the end of what is playing and reports it ended. */
  finish(): void {
    const c = this.#current;
    if (!c) return;
    this.now = c.startedAt + c.item.durationMs;
    this.#current = null;
    const p = { startedAt: c.startedAt, endedAt: this.now };
    this.played.push({ ...c.item, ...p });
    c.resolve(p);
  }
}

/** One call of a simulated day: handed to the queue at virtual time `at`. */
export interface SimulatedCall {
  at: number;
  req: AnnouncementRequest;
}

/**
 * Runs calls through a queue whose sink is `player` and whose clock is `player.now`: advances the
 * virtual clock from event to event (a call arrives, an announcement ends) until every call has had
 * its outcome. Between events it lets the queue do its real work (compose the clips, pick the next)
 * before the clock moves on. `onTime` is told each new time first (the caller's branch state).
 */
export async function simulateCalls(
  queue: AnnouncementQueue,
  player: SimulatedPlayer,
  calls: readonly SimulatedCall[],
  onTime?: (now: number) => void,
): Promise<void> {
  const todo = [...calls].sort((a, b) => a.at - b.at);
  const settled = async () => {
    // The queue is settled when it plays or has nothing left: composing takes real time, not virtual.
    while (player.endsAt === null && queue.pending > 0) await new Promise((r) => setImmediate(r));
  };
  for (;;) {
    await settled();
    const next = todo[0]?.at ?? Number.POSITIVE_INFINITY;
    const end = player.endsAt ?? Number.POSITIVE_INFINITY;
    if (next === Number.POSITIVE_INFINITY && end === Number.POSITIVE_INFINITY) return;
    if (next <= end) {
      player.now = Math.max(player.now, next);
      onTime?.(player.now);
      while (todo[0] && todo[0].at <= player.now) queue.enqueue(todo.shift()!.req);
    } else {
      onTime?.(end);
      player.finish();
    }
  }
}
