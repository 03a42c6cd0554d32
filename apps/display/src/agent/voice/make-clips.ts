import { existsSync, mkdirSync, mkdtempSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { Logger } from '@nextup/hub-client';
import { silentLogger } from '@nextup/hub-client';
import { run } from './run.ts';
import { type ClipSpec, VOCABULARY } from './vocabulary.ts';
import { VOICE_FORMAT } from './wav.ts';

export interface MakeClipsOptions {
  /** Remake clips that exist. Default false: only the missing ones. */
  force?: boolean;
  /** Default 'espeak-ng'. */
  espeak?: string;
  /** Default 'sox'. */
  sox?: string;
  /** Clips made at once. Default 2 (the machines are small and shared). */
  concurrency?: number;
  /** espeak-ng speed, words per minute: slower than its 175 default, as a hall announcement is. Default 150. */
  wordsPerMinute?: number;
  logger?: Logger;
}

export interface MakeClipsResult {
  made: string[];
  kept: number;
}

/** The clips of the vocabulary that are missing from `dir`. */
export function missingClips(dir: string): ClipSpec[] {
  return VOCABULARY.filter((c) => !existsSync(join(dir, `${c.name}.wav`)));
}

const FORMAT_ARGS = ['-r', String(VOICE_FORMAT.sampleRate), '-c', '1', '-b', '16', '-e', 'signed-integer'];

async function must(cmd: string, args: string[]) {
  const r = await run(cmd, args);
  if (r.code !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${r.code}): ${r.stderr.trim()}`);
}

async function makeOne(
  spec: ClipSpec,
  dir: string,
  work: string,
  o: Required<Omit<MakeClipsOptions, 'logger'>>,
) {
  const out = join(dir, `${spec.name}.wav`);
  mkdirSync(dirname(out), { recursive: true });
  const base = join(work, spec.name.replace(/\//g, '_'));
  const tmpOut = `${out}.${process.pid}.tmp.wav`;
  if (spec.voice === null) {
    // The chime before each announcement: two soft sine tones, high then low (叮咚).
    await must(o.sox, [
      '-n',
      ...FORMAT_ARGS,
      `${base}-1.wav`,
      'synth',
      '0.25',
      'sine',
      '988',
      'fade',
      'q',
      '0.01',
      '0.25',
      '0.12',
    ]);
    await must(o.sox, [
      '-n',
      ...FORMAT_ARGS,
      `${base}-2.wav`,
      'synth',
      '0.45',
      'sine',
      '784',
      'fade',
      'q',
      '0.01',
      '0.45',
      '0.3',
    ]);
    await must(o.sox, [`${base}-1.wav`, `${base}-2.wav`, ...FORMAT_ARGS, tmpOut, 'gain', '-n', '-8']);
  } else {
    await must(o.espeak, ['-v', spec.voice, '-s', String(o.wordsPerMinute), '-w', `${base}.wav`, spec.text]);
    // Trim the silence espeak-ng leaves at both ends (below 1 % for 10 ms), then bring every clip to
    // the same peak so the words of one sentence are equally loud.
    await must(o.sox, [
      `${base}.wav`,
      ...FORMAT_ARGS,
      tmpOut,
      'silence',
      '1',
      '0.01',
      '1%',
      'reverse',
      'silence',
      '1',
      '0.01',
      '1%',
      'reverse',
      'gain',
      '-n',
      '-3',
    ]);
  }
  // Written beside and renamed: a reader (or a second generator) never sees half a file.
  renameSync(tmpOut, out);
}

/**
 * Makes the placeholder clip set in `dir` (`zh/qing.wav`, `en/7.wav`, `common/chime.wav` …) offline,
 * with espeak-ng and sox from Debian: Mandarin with the `cmn-latn-pinyin` voice from tone-numbered
 * pinyin, Latin letters with the `cmn` voice (as Chinese speakers say them), English with `en-us`;
 * trimmed of silence, normalised, 22 050 Hz mono 16-bit PCM. Only missing clips are made unless
 * `force`.
 */
export async function makePlaceholderClips(
  dir: string,
  options: MakeClipsOptions = {},
): Promise<MakeClipsResult> {
  const o = {
    force: options.force ?? false,
    espeak: options.espeak ?? 'espeak-ng',
    sox: options.sox ?? 'sox',
    concurrency: Math.max(1, options.concurrency ?? 2),
    wordsPerMinute: options.wordsPerMinute ?? 150,
  };
  const logger = options.logger ?? silentLogger;
  const todo = o.force ? [...VOCABULARY] : missingClips(dir);
  if (todo.length === 0) return { made: [], kept: VOCABULARY.length };
  mkdirSync(dir, { recursive: true });
  const work = mkdtempSync(join(tmpdir(), 'nextup-clips-'));
  const made: string[] = [];
  try {
    const queue = [...todo];
    await Promise.all(
      Array.from({ length: o.concurrency }, async () => {
        for (let spec = queue.shift(); spec; spec = queue.shift()) {
          await makeOne(spec, dir, work, o);
          made.push(spec.name);
        }
      }),
    );
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  logger.info({ dir, made: made.length }, 'voice: placeholder clips made');
  return { made, kept: VOCABULARY.length - made.length };
}
