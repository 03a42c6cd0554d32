import { sendLocalError } from '@nextup/agent-kit';
import { type Logger, silentLogger } from '@nextup/hub-client';
import { type DisplayPlayerCommand, displayPlayerReport, parseRaw } from '@nextup/protocol';
import type { FastifyInstance } from 'fastify';
import { AudioError, type AudioItem, type AudioSink, type Playback } from './sink.ts';

/** The little of a WebSocket this sink uses (the `ws` socket @fastify/websocket hands over). */
interface PlayerSocket {
  readonly readyState: number;
  readonly OPEN: number;
  send(data: string): void;
  on(event: 'message', l: (data: Buffer | string) => void): void;
  on(event: 'close', l: () => void): void;
}

interface Player {
  socket: PlayerSocket;
  canPlay: boolean;
  since: number;
}

interface Pending {
  id: string;
  player: Player;
  onStarted: (at: number) => void;
  onEnded: (at: number) => void;
  onFailed: (e: AudioError) => void;
}

export interface UiAudioSinkOptions {
  /** How long `play` waits for a screen that can play to connect, ms. Default 5000. */
  waitForPlayerMs?: number;
  /** The player must say it started within this, ms. Default 5000. */
  startTimeoutMs?: number;
  /** …and that it ended within the clip's length plus this, ms. Default 5000. */
  graceMs?: number;
  logger?: Logger;
}

/**
 * The TV screen plays the announcements (WebAudio in the Electron window, or Chromium in browser
 * mode): the sound leaves by the TV's HDMI with the picture, needs no audio package on the box, and
 * the screen knows the moment each call is spoken. Exactly one screen plays: the most recently
 * connected one that can (a reloaded window takes over at once; a second browser tab opened for a
 * look with `?audio=off` never plays).
 *
 * The agent serves the WAV at `/local/audio/<id>.wav`, sends `play` on `/local/player`, and waits for
 * the player's `started` and `ended` (its own clock), so the queue moves on only when the sound has
 * finished.
 */
export class UiAudioSink implements AudioSink {
  readonly name = 'screen';
  readonly #o: Required<Omit<UiAudioSinkOptions, 'logger'>>;
  readonly #logger: Logger;
  readonly #players: Player[] = [];
  readonly #audio = new Map<string, Uint8Array>();
  #pending: Pending | null = null;
  #waiters: (() => void)[] = [];
  readonly #listeners = new Set<() => void>();

  constructor(options: UiAudioSinkOptions = {}) {
    this.#o = {
      waitForPlayerMs: options.waitForPlayerMs ?? 5000,
      startTimeoutMs: options.startTimeoutMs ?? 5000,
      graceMs: options.graceMs ?? 5000,
    };
    this.#logger = options.logger ?? silentLogger;
  }

  /** Screens connected now that can play sound. */
  get players(): number {
    return this.#players.filter((p) => p.canPlay).length;
  }

  /** Called when a player connects, disconnects or changes whether it can play. */
  onPlayersChange(l: () => void): () => void {
    this.#listeners.add(l);
    return () => this.#listeners.delete(l);
  }

  /** Adds `/local/player` and `/local/audio/:id.wav` to the agent's local server. */
  attach(app: FastifyInstance): void {
    app.get('/local/player', { websocket: true }, (socket: PlayerSocket) => {
      const player: Player = { socket, canPlay: false, since: Date.now() };
      this.#players.push(player);
      socket.on('message', (data) => this.#onMessage(player, data));
      socket.on('close', () => {
        this.#players.splice(this.#players.indexOf(player), 1);
        if (this.#pending?.player === player)
          this.#pending.onFailed(new AudioError('PLAYER_GONE', 'the screen playing it went away'));
        this.#changed();
      });
    });
    app.get<{ Params: { file: string } }>('/local/audio/:file', async (req, reply) => {
      const id = req.params.file.replace(/\.wav$/, '');
      const wav = this.#audio.get(id);
      if (!wav)
        return sendLocalError(reply, 404, {
          kind: 'input',
          code: 'NOT_FOUND',
          message: { zh: '没有这条语音', en: 'No such announcement' },
        });
      return reply.type('audio/wav').header('cache-control', 'no-store').send(Buffer.from(wav));
    });
  }

  #changed() {
    for (const w of this.#waiters.splice(0)) w();
    for (const l of this.#listeners) l();
  }

  #onMessage(player: Player, data: Buffer | string) {
    const parsed = parseRaw(displayPlayerReport, typeof data === 'string' ? data : new Uint8Array(data));
    if (!parsed.ok) {
      this.#logger.warn({ err: parsed.error }, 'voice: bad message from the player ignored');
      return;
    }
    const m = parsed.value;
    if (m.type === 'player') {
      player.canPlay = m.canPlay;
      this.#changed();
      return;
    }
    const p = this.#pending;
    if (!p || p.id !== m.id || p.player !== player) return;
    if (m.type === 'started') p.onStarted(m.at);
    else if (m.type === 'ended') p.onEnded(m.at);
    else p.onFailed(new AudioError('PLAYER_FAILED', m.error));
  }

  #current(): Player | null {
    // The newest screen that can play: a reloaded window takes over from the one it replaces.
    for (let i = this.#players.length - 1; i >= 0; i--)
      if (this.#players[i]!.canPlay) return this.#players[i]!;
    return null;
  }

  async #waitForPlayer(): Promise<Player | null> {
    const deadline = Date.now() + this.#o.waitForPlayerMs;
    for (;;) {
      const p = this.#current();
      if (p) return p;
      const left = deadline - Date.now();
      if (left <= 0) return null;
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, left);
        this.#waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
  }

  async play(item: AudioItem): Promise<Playback> {
    const player = await this.#waitForPlayer();
    if (!player) throw new AudioError('NO_PLAYER', 'no screen that can play sound is connected');
    this.#audio.set(item.id, item.wav);
    try {
      return await new Promise<Playback>((resolve, reject) => {
        let startedAt: number | null = null;
        let timer = setTimeout(
          () => fail(new AudioError('TIMEOUT', 'the screen did not start playing')),
          this.#o.startTimeoutMs,
        );
        const done = () => {
          clearTimeout(timer);
          this.#pending = null;
        };
        const fail = (e: AudioError) => {
          done();
          // Make sure it is silent before the next one starts: never two at once.
          this.#send(player, { type: 'stop', id: item.id });
          reject(e);
        };
        this.#pending = {
          id: item.id,
          player,
          onStarted: (at) => {
            startedAt = at;
            clearTimeout(timer);
            timer = setTimeout(
              () => fail(new AudioError('TIMEOUT', 'the screen did not report the end')),
              item.durationMs + this.#o.graceMs,
            );
          },
          onEnded: (at) => {
            done();
            resolve({ startedAt: startedAt ?? at, endedAt: at });
          },
          onFailed: fail,
        };
        this.#send(player, {
          type: 'play',
          id: item.id,
          url: `/local/audio/${item.id}.wav`,
          durationMs: item.durationMs,
          label: item.label.slice(0, 64),
        });
      });
    } finally {
      this.#audio.delete(item.id);
    }
  }

  #send(player: Player, m: DisplayPlayerCommand) {
    if (player.socket.readyState === player.socket.OPEN) player.socket.send(JSON.stringify(m));
  }

  async close(): Promise<void> {
    this.#pending?.onFailed(new AudioError('PLAYER_GONE', 'the agent is stopping'));
    this.#changed();
  }
}
