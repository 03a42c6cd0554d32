import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ClipLibrary } from './clips.ts';
import { AnnouncementQueue } from './queue.ts';
import { AudioError, type AudioItem, type AudioSink, type Playback } from './sink.ts';

/**
 * A player that takes `ms` per announcement and records when each ran; it throws if asked to play
 * while already playing (what "never two at once" means for a real one). Fake: the real players (the
 * screen, aplay) are exercised in test/voice.int.test.ts.
 */
class FakeTimedSink implements AudioSink {
  readonly name = 'fake-timed';
  readonly runs: { label: string; startedAt: number; endedAt: number }[] = [];
  busy = false;
  failNext = 0;
  constructor(readonly ms: number) {}
  async play(item: AudioItem): Promise<Playback> {
    if (this.busy) throw new Error('two announcements at once');
    if (this.failNext > 0) {
      this.failNext -= 1;
      throw new AudioError('NO_PLAYER', 'nobody to play it');
    }
    this.busy = true;
    const startedAt = performance.now();
    await new Promise((r) => setTimeout(r, this.ms));
    const endedAt = performance.now();
    this.busy = false;
    this.runs.push({ label: item.label, startedAt, endedAt });
    return { startedAt, endedAt };
  }
}

// No clip folder and no espeak-ng: every clip is left out, so composing is instant and the audio empty.
const dir = mkdtempSync(join(tmpdir(), 'nextup-queue-'));
const library = new ClipLibrary({ dirs: [dir], espeak: null });
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const req = (n: number, recall = false) => ({
  key: `k${n}${recall ? 'r' : ''}`,
  number: `A${String(n).padStart(3, '0')}`,
  counterNumber: (n % 5) + 1,
  recall,
  languages: ['zh', 'en'] as const,
  repeat: 1,
});

describe('the announcement queue', () => {
  it('plays a burst of ten calls one after the other, in call order, none dropped', async () => {
    const sink = new FakeTimedSink(15);
    const q = new AnnouncementQueue({ sink, library });
    for (let n = 1; n <= 10; n++) q.enqueue(req(n));
    await q.idle();
    expect(sink.runs.map((r) => r.label)).toEqual(
      Array.from({ length: 10 }, (_, i) => `A${String(i + 1).padStart(3, '0')} → ${((i + 1) % 5) + 1}`),
    );
    for (let i = 1; i < sink.runs.length; i++)
      expect(sink.runs[i]!.startedAt).toBeGreaterThanOrEqual(sink.runs[i - 1]!.endedAt);
    expect(q.history.every((h) => h.error === null)).toBe(true);
  });

  it('announces a recall again', async () => {
    const sink = new FakeTimedSink(1);
    const q = new AnnouncementQueue({ sink, library });
    q.enqueue(req(7));
    q.enqueue(req(7, true));
    await q.idle();
    expect(sink.runs.map((r) => r.label)).toEqual(['A007 → 3', 'recall A007 → 3']);
  });

  it('records a failed announcement and goes on with the next', async () => {
    const sink = new FakeTimedSink(1);
    sink.failNext = 1;
    const q = new AnnouncementQueue({ sink, library });
    q.enqueue(req(1));
    q.enqueue(req(2));
    await q.idle();
    expect(q.history.map((h) => h.error?.code ?? 'played')).toEqual(['NO_PLAYER', 'played']);
    expect(q.lastError).toBeNull();
  });

  it('says nothing when no language is set', async () => {
    const q = new AnnouncementQueue({ sink: new FakeTimedSink(1), library });
    expect(q.enqueue({ ...req(1), languages: [] })).toBeNull();
    expect(q.pending).toBe(0);
  });
});
