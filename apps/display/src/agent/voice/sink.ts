import { spawn } from 'node:child_process';

/** When one announcement really played, on the player's clock (ms since epoch). */
export interface Playback {
  startedAt: number;
  endedAt: number;
}

export type AudioErrorCode =
  /** No screen that can play sound is connected (or the command is not installed). */
  | 'NO_PLAYER'
  /** The player said it could not play this one. */
  | 'PLAYER_FAILED'
  /** The player went away in the middle. */
  | 'PLAYER_GONE'
  /** No start or no end reported in time. */
  | 'TIMEOUT';

export class AudioError extends Error {
  readonly code: AudioErrorCode;
  constructor(code: AudioErrorCode, message: string) {
    super(message);
    this.name = 'AudioError';
    this.code = code;
  }
}

/** One announcement to play: a whole WAV in the clip format. */
export interface AudioItem {
  id: string;
  wav: Uint8Array;
  durationMs: number;
  /** What is said ("A023 → 3"), for logs. */
  label: string;
}

/**
 * Where the sound comes out. The announcement queue calls `play` for one item at a time and waits for
 * it to end, so a sink never has to handle two at once; it must resolve only when the sound has
 * finished (or reject), and report the times the player itself saw.
 */
export interface AudioSink {
  readonly name: string;
  play(item: AudioItem): Promise<Playback>;
  close?(): Promise<void>;
}

export interface CommandSinkOptions {
  /** The program and its arguments; it reads one WAV on standard input. Default `['aplay', '-q', '-']`. */
  command?: readonly string[];
  /** Give up (and kill it) after the clip's length plus this, ms. Default 5000. */
  graceMs?: number;
}

/**
 * Plays through a local command that reads a WAV on standard input (ALSA's `aplay`, PipeWire's
 * `pw-play -`, PulseAudio's `paplay`): for a box whose speakers hang off the line-out rather than the
 * TV. Started = the program was started; ended = it exited (after draining its buffer).
 */
export class CommandAudioSink implements AudioSink {
  readonly name: string;
  readonly #cmd: readonly string[];
  readonly #graceMs: number;

  constructor(options: CommandSinkOptions = {}) {
    this.#cmd = options.command ?? ['aplay', '-q', '-'];
    if (this.#cmd.length === 0) throw new TypeError('command must name a program');
    this.#graceMs = options.graceMs ?? 5000;
    this.name = `command:${this.#cmd[0]}`;
  }

  play(item: AudioItem): Promise<Playback> {
    return new Promise((resolve, reject) => {
      const [cmd, ...args] = this.#cmd;
      const startedAt = Date.now();
      const child = spawn(cmd!, args, { stdio: ['pipe', 'ignore', 'pipe'] });
      let err = '';
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        reject(new AudioError('TIMEOUT', `${cmd} did not finish in time`));
      }, item.durationMs + this.#graceMs);
      child.stderr.on('data', (d: Buffer) => {
        if (err.length < 500) err += d.toString();
      });
      child.on('error', (e) => {
        clearTimeout(timer);
        reject(new AudioError('NO_PLAYER', `${cmd}: ${e.message}`));
      });
      child.on('close', (code) => {
        clearTimeout(timer);
        if (code === 0) resolve({ startedAt, endedAt: Date.now() });
        else reject(new AudioError('PLAYER_FAILED', `${cmd} exited ${code}: ${err.trim().slice(0, 200)}`));
      });
      child.stdin.on('error', () => {
        /* the close handler reports it */
      });
      child.stdin.end(Buffer.from(item.wav));
    });
  }
}
