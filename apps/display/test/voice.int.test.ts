import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  announcementPlan,
  ClipLibrary,
  concatSamples,
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
} from './support.ts';

/** A clip's samples as sox (not our parser) decodes them: raw signed 16-bit little-endian. */
function soxPcm(path: string): Buffer {
  return execFileSync('sox', [path, '-t', 'raw', '-e', 'signed-integer', '-b', '16', '-L', '-']);
}

/** What the plan must sound like, built independently: each clip decoded by sox, pauses as zeros. */
function expectedPcm(plan: readonly PlanItem[], dirs: readonly string[]): Buffer {
  return Buffer.concat(
    plan.map((item) => {
      if ('mark' in item) return Buffer.alloc(0);
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

/** The samples of the parts an announcement was played in, one after the other. */
const samplesOf = (parts: readonly { wav: Uint8Array }[]) =>
  concatSamples(parts.map((p) => parseWav(p.wav).samples));

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
      const counterName = { zh: `${counterNumber}号窗口`, en: `Counter ${counterNumber}` };
      const plan = announcementPlan([{ number, counterName }], ['zh', 'en']);
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
      await expect.poll(() => agent.status === 'online', { message: 'online' }).toBeTruthy();
      const number = await admin.issue('personal');
      hub.clock.advance(1000);
      await admin.must({ type: 'CallNext', data: { counterId: 'c3' } });
      await expect
        .poll(() => agent.voice.history.some((h) => h.outcome === 'spoken'), {
          timeout: 20_000,
          message: 'played',
        })
        .toBeTruthy();
      // Played in two parts (the chime and the Chinese, then the English): together, the plan.
      expect(sink.played.map((p) => p.label)).toEqual([`${number} → 3`, `${number} → 3`]);
      for (const p of sink.played)
        expect(parseWav(p.wav)).toMatchObject({ sampleRate: 22050, channels: 1, bitsPerSample: 16 });
      const wav = { samples: samplesOf(sink.played) };
      const plan = announcementPlan(
        [{ number, counterName: { zh: '3号窗口', en: 'Counter 3' } }],
        ['zh', 'en'],
      );
      expect(pcmOf(wav.samples).equals(expectedPcm(plan, [PLACEHOLDER_CLIPS_DIR]))).toBe(true);
      for (const p of sink.played)
        expect(p.durationMs).toBeCloseTo((parseWav(p.wav).samples.length * 1000) / 22050, 3);
    } finally {
      await agent.close();
      data.remove();
    }
  });

  it('calls the VIP room by its name, as the TV and the boards do: 请 V001 号到 5 号贵宾室 / V001, VIP room 5', async () => {
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
      await expect.poll(() => agent.status === 'online', { message: 'online' }).toBeTruthy();
      await admin.open('c5');
      const number = await admin.issue('wealth');
      hub.clock.advance(1000);
      await admin.must({ type: 'CallNext', data: { counterId: 'c5' } });
      await expect
        .poll(() => agent.voice.history.some((h) => h.label === `${number} → 5` && h.outcome === 'spoken'), {
          timeout: 20_000,
          message: 'played',
        })
        .toBeTruthy();
      const said = agent.voice.history.find((h) => h.label === `${number} → 5`)!;
      // Every word from a clip file: the agent made the room's place clips from its name.
      expect(said.substituted).toEqual([]);
      for (const clip of ['zh/place/贵宾室', 'en/place/VIP-room'])
        expect(existsSync(join(PLACEHOLDER_CLIPS_DIR, `${clip}.wav`)), clip).toBe(true);
      const wav = { samples: samplesOf(sink.played.filter((p) => p.label === `${number} → 5`)) };
      const counterName = { zh: '5号贵宾室', en: 'VIP room 5' };
      const plan = announcementPlan([{ number, counterName }], ['zh', 'en']);
      const clips = plan.flatMap((p) => ('clip' in p ? [p.clip] : []));
      expect(clips).toContain('zh/place/贵宾室');
      expect(clips).not.toContain('zh/chuangkou');
      expect(pcmOf(wav.samples).equals(expectedPcm(plan, [PLACEHOLDER_CLIPS_DIR]))).toBe(true);
    } finally {
      await agent.close();
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
        [{ number: 'A1', counterName: { zh: '2号窗口', en: 'Counter 2' } }],
        ['zh', 'en'],
      );
      const composed = await library.compose(plan);
      expect(composed.substituted.map((s) => [s.clip, s.used])).toEqual([['en/counter', 'synth']]);
      // Expected: the studio 请, the placeholder 号 (the studio one is refused), espeak-ng's "counter".
      const espeak = execFileSync('espeak-ng', ['-v', 'en-us', '-s', '150', '--stdout', 'counter']);
      const synthPath = join(studio.dir, 'synth-counter.wav');
      writeFileSync(synthPath, encodeWav(parseWav(new Uint8Array(espeak)).samples));
      const expected = Buffer.concat(
        plan.map((item) => {
          if ('mark' in item) return Buffer.alloc(0);
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
    await vi.waitFor(
      () => {
        if (agent.status !== 'online') throw new Error('online');
      },
      { timeout: 20_000, interval: 25 },
    );
  });
  afterAll(async () => {
    await browser?.close();
    await agent?.close();
    data?.remove();
  });

  it('says a burst in two announcements on the screen’s own player, never two at once, each call once and a recall again', async () => {
    // English only keeps the test short.
    await admin.configureDisplay(agent.link!.deviceId, { voice: { languages: ['en'], repeat: 1 } });
    await expect
      .poll(() => agent.settings.voice.languages.join() === 'en', {
        timeout: 20_000,
        message: 'settings arrived',
      })
      .toBeTruthy();
    const page = await openScreen(browser, agent.url);
    await expect
      .poll(() => agent.health.find((h) => h.component === 'audio')?.code === 'OK', {
        timeout: 20_000,
        message: 'the screen can play',
      })
      .toBeTruthy();
    const before = agent.voice.history.length;
    // Counter 4 serves business banking, counter 3 personal business first.
    for (const service of ['cash', 'cash', 'business', 'personal']) await admin.issue(service);
    const order: string[] = [];
    for (const counterId of ['c1', 'c2', 'c4', 'c3']) {
      hub.clock.advance(1000);
      await admin.must({ type: 'CallNext', data: { counterId } });
    }
    // Counter 1 recalls while its call is being said: said again, after.
    hub.clock.advance(1000);
    await admin.must({ type: 'Recall', data: { counterId: 'c1' } });
    for (const c of ['c1', 'c2', 'c4', 'c3']) {
      const t = hub.hub.view.state.counters[c]!.ticketId!;
      order.push(`${hub.hub.view.state.tickets[t]!.number} → ${c.slice(1)}`);
    }
    order.push(`recall ${order[0]}`);
    await expect
      .poll(() => agent.voice.history.length - before === 5, { timeout: 90_000, message: 'five calls said' })
      .toBeTruthy();
    const heard = agent.voice.history.slice(before);
    expect(heard.map((p) => [p.label, p.outcome, p.error])).toEqual(order.map((l) => [l, 'spoken', null]));
    // The first alone (it started at once); the four that came while it played, together.
    expect(heard.map((p) => p.together)).toEqual([1, 4, 4, 4, 4]);
    const announcements = [...new Map(heard.map((p) => [p.id, p])).values()];
    expect(announcements).toHaveLength(2);
    for (const a of announcements) {
      // The player's own start and end: as long as the audio, give or take the audio stack.
      expect(a.endedAt! - a.startedAt!).toBeGreaterThan(a.durationMs * 0.9);
    }
    expect(announcements[1]!.startedAt!).toBeGreaterThanOrEqual(announcements[0]!.endedAt!);
    // Each call is heard in call order, inside its announcement.
    for (let i = 1; i < heard.length; i++)
      expect(heard[i]!.spokenAt!).toBeGreaterThan(heard[i - 1]!.spokenAt!);
    for (const p of heard) expect(p.spokenAt!).toBeLessThan(p.endedAt!);
    await page.context().close();
  });
});
