import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { Logger } from '@nextup/hub-client';
import { silentLogger } from '@nextup/hub-client';
import { run } from './run.ts';
import { type ClipSpec, VOCABULARY } from './vocabulary.ts';
import { VOICE_FORMAT } from './wav.ts';

/**
 * The placeholder set's version, kept in `<dir>/VERSION`: a folder made by another version (other
 * words, another chime) is remade whole, so that a checkout never mixes two sets. Studio folders
 * are never touched.
 */
export const PLACEHOLDER_VERSION = '2';

export interface MakeClipsOptions {
  /** Remake clips that exist. Default false: only the missing ones (all of them if the folder's VERSION differs). */
  force?: boolean;
  /** The clips to make. Default the fixed set (`VOCABULARY`); the agent adds its counters' place clips. */
  specs?: readonly ClipSpec[];
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

/** The clips of `specs` (default the fixed set) that are missing from `dir`. */
export function missingClips(dir: string, specs: readonly ClipSpec[] = VOCABULARY): ClipSpec[] {
  return specs.filter((c) => !existsSync(join(dir, `${c.name}.wav`)));
}

function versionOf(dir: string): string | null {
  try {
    return readFileSync(join(dir, 'VERSION'), 'utf8').trim();
  } catch {
    return null;
  }
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
  o: Required<Omit<MakeClipsOptions, 'logger' | 'specs'>>,
) {
  const out = join(dir, `${spec.name}.wav`);
  mkdirSync(dirname(out), { recursive: true });
  const base = join(work, spec.name.replace(/\//g, '_'));
  const tmpOut = `${out}.${process.pid}.tmp.wav`;
  if (spec.voice === null) {
    // The chime before each announcement: two soft sine tones, high then low (叮咚), 0.55 s in all.
    await must(o.sox, [
      '-n',
      ...FORMAT_ARGS,
      `${base}-1.wav`,
      'synth',
      '0.2',
      'sine',
      '988',
      'fade',
      'q',
      '0.01',
      '0.2',
      '0.1',
    ]);
    await must(o.sox, [
      '-n',
      ...FORMAT_ARGS,
      `${base}-2.wav`,
      'synth',
      '0.35',
      'sine',
      '784',
      'fade',
      'q',
      '0.01',
      '0.35',
      '0.25',
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
 * `force` or the folder was made by another version of the set (then all of them).
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
  const specs = options.specs ?? VOCABULARY;
  // A folder of another version is remade whole (only for the fixed set: a call for place clips
  // alone leaves the stamp to the call that makes the set).
  const stale = specs === VOCABULARY && existsSync(dir) && versionOf(dir) !== PLACEHOLDER_VERSION;
  const todo = o.force || stale ? [...specs] : missingClips(dir, specs);
  if (todo.length === 0) return { made: [], kept: specs.length };
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
  if (specs === VOCABULARY) writeFileSync(join(dir, 'VERSION'), `${PLACEHOLDER_VERSION}\n`);
  logger.info({ dir, made: made.length }, 'voice: placeholder clips made');
  return { made, kept: specs.length - made.length };
}
