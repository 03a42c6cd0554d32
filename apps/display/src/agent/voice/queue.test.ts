import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { PLACEHOLDER_CLIPS_DIR } from '../paths.ts';
import { ClipLibrary } from './clips.ts';
import { type AnnouncementPolicy, AnnouncementQueue, type AnnouncementRequest } from './queue.ts';
import { type SimulatedCall, SimulatedPlayer, simulateCalls } from './simulated-player.ts';
import { AudioError, type AudioItem, type AudioSink, type Playback } from './sink.ts';
import { DEFAULT_PAUSES, sentencePlan } from './vocabulary.ts';
import { durationMs } from './wav.ts';

// The real placeholder clips (the test setup makes them): every announcement lasts what it would
// on the TV. The player is simulated (a virtual clock), so a minute of calls takes milliseconds.
const library = new ClipLibrary({ dirs: [PLACEHOLDER_CLIPS_DIR], espeak: null });

const req = (n: number, counter: number, extra: Partial<AnnouncementRequest> = {}): AnnouncementRequest => ({
  key: `k${n}${extra.recall ? 'r' : ''}`,
  ticketId: `t${n}`,
  counterId: `c${counter}`,
  number: `A${String(n).padStart(3, '0')}`,
  counterNumber: counter,
  counterName: { zh: `${counter}号窗口`, en: `Counter ${counter}` },
  recall: false,
  languages: ['zh', 'en'],
  repeat: 1,
  ...extra,
});

function run(
  calls: SimulatedCall[],
  opts: { policy?: AnnouncementPolicy; isCurrent?: (r: AnnouncementRequest, now: number) => boolean } = {},
) {
  const player = new SimulatedPlayer();
  const isCurrent = opts.isCurrent;
  const queue = new AnnouncementQueue({
    sink: player,
    library,
    now: () => player.now,
    ...(opts.policy ? { policy: opts.policy } : {}),
    ...(isCurrent ? { isCurrent: (r: AnnouncementRequest) => isCurrent(r, player.now) } : {}),
  });
  return { player, queue, done: simulateCalls(queue, player, calls) };
}

/** How long one sentence (one language, one call) lasts with these clips. */
async function sentenceMs(r: AnnouncementRequest, lang: 'zh' | 'en', please: boolean): Promise<number> {
  return durationMs((await library.compose(sentencePlan(r, lang, { please }))).samples);
}

describe('the announcement queue', () => {
  it('at opening, five calls in five seconds: the fifth is heard once the first has been said and one Chinese sentence per call ahead of it, not after four whole announcements', async () => {
    const burst = [1, 2, 3, 4, 5].map((n) => ({ at: (n - 1) * 1000, req: req(n, n) }));
    const { queue, player, done } = run(burst);
    await done;
    const heard = queue.history;
    expect(heard.map((h) => [h.label, h.outcome])).toEqual(
      burst.map((c) => [`${c.req.number} → ${c.req.counterNumber}`, 'spoken']),
    );
    // Never two at once: the simulated player refuses a second play while one plays; and each
    // announcement starts after the one before ended.
    for (let i = 1; i < player.played.length; i++)
      expect(player.played[i]!.startedAt).toBeGreaterThanOrEqual(player.played[i - 1]!.endedAt);
    // The first call's Chinese alone; the four that came meanwhile cut in with theirs, together;
    // then the English for all five.
    expect(player.played.map((p) => p.label)).toEqual([
      'A001 → 1',
      'A002 → 2 · A003 → 3 · A004 → 4 · A005 → 5',
      'A001 → 1 · A002 → 2 · A003 → 3 · A004 → 4 · A005 → 5',
    ]);
    const first = player.played[0]!;
    // (The old strict queue said the fifth after four whole announcements: about 38 s after the call.)
    let bound = first.endedAt + DEFAULT_PAUSES.call;
    for (const [i, c] of burst.slice(1).entries()) {
      const h = heard.find((x) => x.key === c.req.key)!;
      expect(h.spokenAt!, c.req.number).toBeLessThanOrEqual(bound + 1);
      bound += (await sentenceMs(c.req, 'zh', i === 0)) + DEFAULT_PAUSES.call;
    }
  });

  it('keeps the old order under the strict policy (the bench’s baseline): every call alone, in turn', async () => {
    const burst = [1, 2, 3].map((n) => ({ at: (n - 1) * 1000, req: req(n, n) }));
    const { queue, player, done } = run(burst, { policy: 'strict' });
    await done;
    expect(player.played.map((p) => p.label)).toEqual(['A001 → 1', 'A002 → 2', 'A003 → 3']);
    expect(queue.history.every((h) => h.outcome === 'spoken' && h.together === 1)).toBe(true);
  });

  it('says only the newest call of a counter: a call the counter replaced before it was heard is dropped', async () => {
    const { queue, done } = run([
      { at: 0, req: req(1, 1) },
      { at: 1000, req: req(2, 2) },
      // Counter 2 marks A002 a no-show and calls A003 while A001 is still being said.
      { at: 2000, req: req(3, 2) },
    ]);
    await done;
    expect(queue.history.map((h) => [h.label, h.outcome])).toEqual([
      ['A002 → 2', 'superseded'],
      ['A001 → 1', 'spoken'],
      ['A003 → 2', 'spoken'],
    ]);
    expect(queue.history.some((h) => h.label === 'A002 → 2' && h.spokenAt !== null)).toBe(false);
  });

  it('drops a call whose customer already came (or the counter moved on) by its turn', async () => {
    const { queue, done } = run(
      [
        { at: 0, req: req(1, 1) },
        { at: 1000, req: req(2, 2) },
        { at: 1500, req: req(3, 3) },
      ],
      // A002's customer saw the screen and reached counter 2 three seconds after the call.
      { isCurrent: (r, now) => !(r.ticketId === 't2' && now >= 4000) },
    );
    await done;
    expect(Object.fromEntries(queue.history.map((h) => [h.label, h.outcome]))).toEqual({
      'A001 → 1': 'spoken',
      'A002 → 2': 'stale',
      'A003 → 3': 'spoken',
    });
  });

  it('announces a recall again once the call was heard; a recall pressed before it was heard is said once, as a recall', async () => {
    const { queue, player, done } = run([
      { at: 0, req: req(1, 1) },
      { at: 500, req: req(2, 2) },
      // A002 is recalled before it was said: one announcement, as a recall.
      { at: 1000, req: req(2, 2, { recall: true }) },
      // A001 is recalled after it was said: said again.
      { at: 30_000, req: req(1, 1, { recall: true }) },
    ]);
    await done;
    // A002 is said once, as a recall; A001 again for its recall, after it was heard.
    expect(player.played.map((p) => p.label)).toEqual([
      'A001 → 1',
      'recall A002 → 2',
      'A001 → 1 · recall A002 → 2',
      'recall A001 → 1',
      'recall A001 → 1',
    ]);
    expect(queue.history.map((h) => [h.label, h.outcome])).toEqual([
      ['A001 → 1', 'spoken'],
      ['recall A002 → 2', 'spoken'],
      ['recall A002 → 2', 'merged'],
      ['recall A001 → 1', 'spoken'],
    ]);
    const [a1, a2, a2r, a1r] = queue.history;
    expect(a2r!.spokenAt).toBe(a2!.spokenAt);
    expect(a1r!.spokenAt!).toBeGreaterThan(a1!.endedAt!);
  });

  it('says a repeat from the settings only when no other call waits', async () => {
    const alone = run([{ at: 0, req: req(1, 1, { repeat: 2 }) }]);
    await alone.done;
    // Chinese (with the chime), English, then both again without the chime.
    expect(alone.player.played).toHaveLength(3);
    const [zh, en, again] = alone.player.played;
    expect(again!.durationMs).toBeLessThan(zh!.durationMs + en!.durationMs);
    expect(alone.queue.history[0]!.repeatsDropped).toBe(0);
    const busy = run([
      { at: 0, req: req(1, 1, { repeat: 2 }) },
      { at: 1000, req: req(2, 2, { repeat: 2 }) },
    ]);
    await busy.done;
    expect(busy.player.played.map((p) => p.label)).toEqual(['A001 → 1', 'A002 → 2', 'A001 → 1 · A002 → 2']);
    expect(busy.queue.history.map((h) => h.repeatsDropped)).toEqual([1, 1]);
  });

  it('records a failed announcement and goes on with the next', async () => {
    const sink = new FailingOnceSink();
    const q = new AnnouncementQueue({ sink, library: silentLibrary });
    q.enqueue(req(1, 1));
    await q.idle();
    q.enqueue(req(2, 2));
    await q.idle();
    expect(q.history.map((h) => h.error?.code ?? h.outcome)).toEqual(['NO_PLAYER', 'spoken']);
    expect(q.lastError).toBeNull();
  });

  it('says nothing when no language is set', async () => {
    const q = new AnnouncementQueue({ sink: new FailingOnceSink(), library: silentLibrary });
    expect(q.enqueue({ ...req(1, 1), languages: [] })).toBeNull();
    expect(q.pending).toBe(0);
  });
});

/** Fails its first play (no screen connected), then plays instantly. Fake: the real sinks are in test/voice.int.test.ts. */
class FailingOnceSink implements AudioSink {
  readonly name = 'failing-once';
  #failed = false;
  async play(_item: AudioItem): Promise<Playback> {
    if (!this.#failed) {
      this.#failed = true;
      throw new AudioError('NO_PLAYER', 'nobody to play it');
    }
    return { startedAt: Date.now(), endedAt: Date.now() };
  }
}

// No clip folder and no espeak-ng: every clip is left out, so composing is instant and the audio empty.
const emptyDir = mkdtempSync(join(tmpdir(), 'nextup-queue-'));
const silentLibrary = new ClipLibrary({ dirs: [emptyDir], espeak: null });
afterAll(() => rmSync(emptyDir, { recursive: true, force: true }));
