import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { type Logger, silentLogger } from '@nextup/hub-client';
import { run } from './run.ts';
import { clipSpec, type PlanItem } from './vocabulary.ts';
import { ClipFormatError, concatSamples, durationMs, readClip, silence, VOICE_FORMAT } from './wav.ts';

export interface ClipLibraryOptions {
  /**
   * Clip folders, searched in order for `<name>.wav`: the branch's studio recordings first, then
   * the generated placeholder set.
   */
  dirs: readonly string[];
  /** espeak-ng for a clip no folder has (or has in the wrong format); null = no fallback. Default 'espeak-ng'. */
  espeak?: string | null;
  logger?: Logger;
}

export type ClipSource = { kind: 'file'; path: string } | { kind: 'synth'; voice: string } | { kind: 'none' };

export interface Composed {
  samples: Int16Array;
  /** Where each `{ mark }` of the plan fell, ms from the start (when a call's words begin). */
  marks: Record<string, number>;
  /** Clips that no folder had in the right format, and what was used instead. */
  substituted: { clip: string; used: 'synth' | 'nothing'; why: string }[];
}

/**
 * The clips an announcement is made of: read from the folders (studio first), checked to be the one
 * format, cached (a file replaced while running is read again), and concatenated into one buffer.
 * Speech synthesis is only the fallback for a clip that is missing or unusable, never the first
 * choice: the same voice for every word is what makes the clip set sound like one speaker.
 */
export class ClipLibrary {
  readonly #dirs: readonly string[];
  readonly #espeak: string | null;
  readonly #logger: Logger;
  readonly #files = new Map<string, { mtimeMs: number; size: number; samples: Int16Array }>();
  readonly #synth = new Map<string, Int16Array>();

  constructor(options: ClipLibraryOptions) {
    this.#dirs = options.dirs;
    this.#espeak = options.espeak === undefined ? 'espeak-ng' : options.espeak;
    this.#logger = options.logger ?? silentLogger;
  }

  /** The file a clip comes from, or null when no folder has it. */
  fileOf(name: string): string | null {
    for (const dir of this.#dirs) {
      const path = join(dir, `${name}.wav`);
      try {
        if (statSync(path).isFile()) return path;
      } catch {
        /* not in this folder */
      }
    }
    return null;
  }

  /** A clip's samples from the first folder that has it in the right format. */
  readFile(name: string): { samples: Int16Array; path: string } | { error: string } {
    let why = 'no folder has it';
    for (const dir of this.#dirs) {
      const path = join(dir, `${name}.wav`);
      let st: ReturnType<typeof statSync>;
      try {
        st = statSync(path);
      } catch {
        continue;
      }
      const cached = this.#files.get(path);
      if (cached && cached.mtimeMs === st.mtimeMs && cached.size === st.size)
        return { samples: cached.samples, path };
      try {
        const samples = readClip(new Uint8Array(readFileSync(path)), path);
        this.#files.set(path, { mtimeMs: st.mtimeMs, size: st.size, samples });
        return { samples, path };
      } catch (e) {
        why = e instanceof ClipFormatError ? e.message : `unreadable: ${(e as Error).message}`;
        this.#logger.warn({ clip: name, path, err: why }, 'voice: clip unusable');
      }
    }
    return { error: why };
  }

  /** Says a clip's words with espeak-ng (22 050 Hz mono 16-bit, the clip format). */
  async synthesise(name: string): Promise<Int16Array> {
    const cached = this.#synth.get(name);
    if (cached) return cached;
    const spec = clipSpec(name);
    if (!spec?.voice) throw new Error(`no words known for clip ${name}`);
    if (!this.#espeak) throw new Error('speech synthesis is off');
    const r = await run(this.#espeak, ['-v', spec.voice, '-s', '150', '--stdout', spec.text], 10_000);
    if (r.code !== 0) throw new Error(`espeak-ng failed (${r.code}): ${r.stderr.trim()}`);
    const samples = readClip(new Uint8Array(r.stdout), `espeak-ng ${spec.voice}`);
    this.#synth.set(name, samples);
    return samples;
  }

  /** One buffer for a whole plan: clips and pauses concatenated sample for sample. */
  async compose(plan: readonly PlanItem[]): Promise<Composed> {
    const parts: Int16Array[] = [];
    const substituted: Composed['substituted'] = [];
    const marks: Record<string, number> = {};
    let length = 0;
    const push = (p: Int16Array) => {
      parts.push(p);
      length += p.length;
    };
    for (const item of plan) {
      if ('mark' in item) {
        marks[item.mark] = durationMs(length);
        continue;
      }
      if ('silenceMs' in item) {
        push(silence(item.silenceMs, VOICE_FORMAT.sampleRate));
        continue;
      }
      const got = this.readFile(item.clip);
      if ('samples' in got) {
        push(got.samples);
        continue;
      }
      try {
        push(await this.synthesise(item.clip));
        substituted.push({ clip: item.clip, used: 'synth', why: got.error });
      } catch (e) {
        // A missing chime, or no espeak-ng: say the rest rather than nothing.
        substituted.push({ clip: item.clip, used: 'nothing', why: `${got.error}; ${(e as Error).message}` });
      }
    }
    if (substituted.length > 0) this.#logger.warn({ substituted }, 'voice: clips substituted');
    return { samples: concatSamples(parts), marks, substituted };
  }
}
