import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  announcementPlan,
  ClipLibrary,
  type DisplayAgent,
  encodeWav,
  PLACEHOLDER_CLIPS_DIR,
  type PlanItem,
  parseWav,
  startDisplayAgent,
  VOCABULARY,
  VOICE_FORMAT,
} from '../src/index.ts';
import {
  Admin,
  FakeAudioSink,
  launch,
  openScreen,
  startTestHub,
  type TestHub,
  tempDir,
  testLogger,
  waitFor,
} from './support.ts';

/** A clip's samples as sox (not our parser) decodes them: raw signed 16-bit little-endian. */
function soxPcm(path: string): Buffer {
  return execFileSync('sox', [path, '-t', 'raw', '-e', 'signed-integer', '-b', '16', '-L', '-']);
}

/** What the plan must sound like, built independently: each clip decoded by sox, pauses as zeros. */
function expectedPcm(plan: readonly PlanItem[], dirs: readonly string[]): Buffer {
  return Buffer.concat(
    plan.map((item) => {
      if ('silenceMs' in item)
        return Buffer.alloc(2 * Math.round((item.silenceMs * VOICE_FORMAT.sampleRate) / 1000));
      for (const dir of dirs)
        try {
          return soxPcm(join(dir, `${item.clip}.wav`));
        } catch {
          /* next folder */
        }
      throw new Error(`no clip ${item.clip}`);
    }),
  );
}

const pcmOf = (samples: Int16Array) => Buffer.from(samples.buffer, samples.byteOffset, samples.byteLength);

let hub: TestHub;
let admin: Admin;
beforeAll(async () => {
  hub = await startTestHub();
  admin = await Admin.setUp(hub);
  await admin.open('c1', 'c2', 'c3', 'c4');
});
afterAll(async () => {
  await hub?.close();
});

describe('the placeholder clips', () => {
  it('are all there, each 22 050 Hz mono 16-bit PCM, trimmed, and not clipped', () => {
    for (const spec of VOCABULARY) {
      const path = join(PLACEHOLDER_CLIPS_DIR, `${spec.name}.wav`);
      const info = execFileSync('soxi', [path]).toString();
      expect(info).toMatch(/Channels\s*: 1/);
      expect(info).toMatch(/Sample Rate\s*: 22050/);
      expect(info).toMatch(/Precision\s*: 16-bit/);
      // sox prints `stat` on stderr.
      const stat = spawnSync('sox', [path, '-n', 'stat']).stderr.toString();
      const seconds = Number(/Length \(seconds\):\s*([\d.]+)/.exec(stat)?.[1]);
      const peak = Number(/Maximum amplitude:\s*([\d.]+)/.exec(stat)?.[1]);
      // A word is 0.1–1.5 s once trimmed; normalised to -3 dBFS (0.708), never at full scale.
      expect(seconds, spec.name).toBeGreaterThan(0.1);
      expect(seconds, spec.name).toBeLessThan(1.5);
      expect(peak, spec.name).toBeLessThan(0.75);
      expect(peak, spec.name).toBeGreaterThan(0.3);
      if (spec.voice === null) continue;
      // Trimmed: speech (above 1 % of full scale) within the first and the last 20 ms.
      const b = soxPcm(path);
      const pcm = new Int16Array(b.buffer, b.byteOffset, b.length / 2);
      const edge = Math.round(0.02 * 22050);
      const loud = (xs: Int16Array) => xs.some((x) => Math.abs(x) > 328);
      expect(loud(pcm.subarray(0, edge)), `${spec.name} starts with silence`).toBe(true);
      expect(loud(pcm.subarray(pcm.length - edge)), `${spec.name} ends with silence`).toBe(true);
    }
  });
});

describe('an announcement', () => {
  it('is the concatenation of the expected clips, sample for sample', async () => {
    const library = new ClipLibrary({ dirs: [PLACEHOLDER_CLIPS_DIR], espeak: null });
    for (const [number, counterNumber] of [
      ['A023', 3],
      ['V105', 112],
    ] as const) {
      const plan = announcementPlan({ number, counterNumber }, { languages: ['zh', 'en'], repeat: 1 });
      const composed = await library.compose(plan);
      expect(composed.substituted).toEqual([]);
      expect(pcmOf(composed.samples).equals(expectedPcm(plan, [PLACEHOLDER_CLIPS_DIR]))).toBe(true);
    }
  });

  it('is what the display plays for a call made on the hub', async () => {
    const data = tempDir();
    const sink = new FakeAudioSink();
    const agent = await startDisplayAgent({
      dataDir: data.dir,
      hubUrl: hub.url,
      pairingCode: await admin.pairingCode(),
      audio: sink,
      logger: testLogger,
    });
    try {
      await waitFor(() => agent.status === 'online', 'online');
      const number = await admin.issue('personal');
      hub.clock.advance(1000);
      await admin.must({ type: 'CallNext', data: { counterId: 'c3' } });
      await waitFor(() => sink.played.length === 1, 'played');
      const wav = parseWav(sink.played[0]!.wav);
      expect(wav).toMatchObject({ sampleRate: 22050, channels: 1, bitsPerSample: 16 });
      const plan = announcementPlan({ number, counterNumber: 3 }, { languages: ['zh', 'en'], repeat: 1 });
      expect(pcmOf(wav.samples).equals(expectedPcm(plan, [PLACEHOLDER_CLIPS_DIR]))).toBe(true);
      expect(sink.played[0]!.durationMs).toBeCloseTo((wav.samples.length * 1000) / 22050, 3);
    } finally {
      await agent.stop();
      data.remove();
    }
  });

  it("uses the branch's studio clips first, skips a clip in the wrong format, and synthesises only a missing one", async () => {
    const studio = tempDir('nextup-studio-');
    const partial = tempDir('nextup-partial-');
    try {
      // A studio recording of 请 (here a tone, so it is unmistakable), and a 44.1 kHz stereo 号 to refuse.
      mkdirSync(join(studio.dir, 'zh'), { recursive: true });
      execFileSync('sox', [
        '-n',
        '-r',
        '22050',
        '-c',
        '1',
        '-b',
        '16',
        '-e',
        'signed-integer',
        join(studio.dir, 'zh', 'qing.wav'),
        'synth',
        '0.3',
        'sine',
        '440',
      ]);
      execFileSync('sox', [
        '-n',
        '-r',
        '44100',
        '-c',
        '2',
        '-b',
        '16',
        join(studio.dir, 'zh', 'hao.wav'),
        'synth',
        '0.3',
        'sine',
        '440',
      ]);
      // A placeholder folder without en/counter.
      for (const spec of VOCABULARY) {
        if (spec.name === 'en/counter') continue;
        mkdirSync(join(partial.dir, spec.name.split('/')[0]!), { recursive: true });
        copyFileSync(join(PLACEHOLDER_CLIPS_DIR, `${spec.name}.wav`), join(partial.dir, `${spec.name}.wav`));
      }
      const library = new ClipLibrary({ dirs: [studio.dir, partial.dir] });
      const plan = announcementPlan(
        { number: 'A1', counterNumber: 2 },
        { languages: ['zh', 'en'], repeat: 1 },
      );
      const composed = await library.compose(plan);
      expect(composed.substituted.map((s) => [s.clip, s.used])).toEqual([['en/counter', 'synth']]);
      // Expected: the studio 请, the placeholder 号 (the studio one is refused), espeak-ng's "counter".
      const espeak = execFileSync('espeak-ng', ['-v', 'en-us', '-s', '150', '--stdout', 'counter']);
      const synthPath = join(studio.dir, 'synth-counter.wav');
      writeFileSync(synthPath, encodeWav(parseWav(new Uint8Array(espeak)).samples));
      const expected = Buffer.concat(
        plan.map((item) => {
          if ('silenceMs' in item) return Buffer.alloc(2 * Math.round((item.silenceMs * 22050) / 1000));
          if (item.clip === 'zh/qing') return soxPcm(join(studio.dir, 'zh', 'qing.wav'));
          if (item.clip === 'en/counter') return soxPcm(synthPath);
          return soxPcm(join(partial.dir, `${item.clip}.wav`));
        }),
      );
      expect(pcmOf(composed.samples).equals(expected)).toBe(true);
    } finally {
      studio.remove();
      partial.remove();
    }
  });
});

describe('a burst of calls', () => {
  let browser: Browser;
  let agent: DisplayAgent;
  let data: ReturnType<typeof tempDir>;
  beforeAll(async () => {
    browser = await launch();
    data = tempDir();
    // The default: the TV screen plays the announcements.
    agent = await startDisplayAgent({
      dataDir: data.dir,
      hubUrl: hub.url,
      pairingCode: await admin.pairingCode(),
      logger: testLogger,
    });
    await waitFor(() => agent.status === 'online', 'online');
  });
  afterAll(async () => {
    await browser?.close();
    await agent?.stop();
    data?.remove();
  });

  it('plays one announcement after the other, in call order, none dropped, a recall again (the screen player’s own times)', async () => {
    // English only keeps the test short (each is about 3.5 s).
    await admin.configureDisplay(agent.link!.deviceId, { voice: { languages: ['en'], repeat: 1 } });
    await waitFor(() => agent.settings.voice.languages.join() === 'en', 'settings arrived');
    const page = await openScreen(browser, agent.url);
    await waitFor(
      () => agent.health.find((h) => h.component === 'audio')?.code === 'OK',
      'the screen can play',
    );
    const before = agent.voice.history.length;
    // Counter 4 serves business banking, counter 3 personal business first.
    for (const service of ['cash', 'cash', 'business', 'personal']) await admin.issue(service);
    const order: string[] = [];
    for (const counterId of ['c1', 'c2', 'c4', 'c3']) {
      hub.clock.advance(1000);
      await admin.must({ type: 'CallNext', data: { counterId } });
    }
    hub.clock.advance(1000);
    await admin.must({ type: 'Recall', data: { counterId: 'c1' } });
    for (const c of ['c1', 'c2', 'c4', 'c3']) {
      const t = hub.hub.view.state.counters[c]!.ticketId!;
      order.push(`${hub.hub.view.state.tickets[t]!.number} → ${c.slice(1)}`);
    }
    order.push(`recall ${order[0]}`);
    await waitFor(() => agent.voice.history.length - before === 5, 'five announcements', 90_000);
    const played = agent.voice.history.slice(before);
    expect(played.map((p) => p.error)).toEqual([null, null, null, null, null]);
    expect(played.map((p) => p.label)).toEqual(order);
    for (const p of played) {
      // The player's own start and end: as long as the audio, give or take the audio stack.
      expect(p.endedAt! - p.startedAt!).toBeGreaterThan(p.durationMs * 0.9);
    }
    for (let i = 1; i < played.length; i++)
      expect(played[i]!.startedAt!).toBeGreaterThanOrEqual(played[i - 1]!.endedAt!);
    await page.context().close();
  });
});
