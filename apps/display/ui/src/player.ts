import { ReconnectingSocket } from '@nextup/hub-client/reconnecting-socket';
import { type DisplayPlayerReport, displayPlayerCommand, parseWith } from '@nextup/protocol';

export interface PlayerState {
  /** This screen may play sound (autoplay allowed). */
  canPlay: boolean;
  /** What is being said now, e.g. "A023 → 3". */
  playing: string | null;
}

/**
 * The screen's half of the announcement queue: it plays what the agent sends on `/local/player`,
 * one at a time, with WebAudio, and reports when each really started and ended (its own clock). The
 * agent sends the next only after `ended`, so announcements never overlap.
 *
 * Browsers start an AudioContext suspended until a user gesture; the Electron shell and the
 * Chromium kiosk launch allow autoplay. Without it the screen says "tap to turn on the sound" and
 * tells the agent it cannot play (the agent then reports the audio as not working).
 */
export function startPlayer(onState: (s: PlayerState) => void): () => void {
  let ctx: AudioContext | null = null;
  let current: { id: string; source: AudioBufferSourceNode } | null = null;
  let state: PlayerState = { canPlay: false, playing: null };
  const set = (s: Partial<PlayerState>) => {
    state = { ...state, ...s };
    onState(state);
  };
  const send = (m: DisplayPlayerReport) => socket.send(JSON.stringify(m));

  async function ensureContext(): Promise<boolean> {
    ctx ??= new AudioContext();
    if (ctx.state !== 'running') {
      // resume() waits for a gesture when autoplay is not allowed: do not wait for it here.
      await Promise.race([ctx.resume().catch(() => {}), new Promise((r) => setTimeout(r, 400))]);
    }
    return ctx.state === 'running';
  }

  async function announce() {
    const canPlay = await ensureContext();
    set({ canPlay });
    send({ v: 1, type: 'player', canPlay });
  }

  const onGesture = () => {
    if (!state.canPlay) void announce();
  };
  window.addEventListener('pointerdown', onGesture);
  window.addEventListener('keydown', onGesture);

  async function play(id: string, url: string, label: string) {
    try {
      current?.source.stop();
      const res = await fetch(url, { cache: 'no-store' });
      if (!res.ok) throw new Error(`audio ${res.status}`);
      const data = await res.arrayBuffer();
      if (!ctx || !(await ensureContext())) throw new Error('audio is blocked');
      const buffer = await ctx.decodeAudioData(data);
      const source = ctx.createBufferSource();
      source.buffer = buffer;
      source.connect(ctx.destination);
      current = { id, source };
      source.onended = () => {
        if (current?.source === source) current = null;
        set({ playing: null });
        send({ v: 1, type: 'ended', id, at: Date.now() });
      };
      source.start();
      set({ playing: label });
      send({ v: 1, type: 'started', id, at: Date.now() });
    } catch (e) {
      set({ playing: null });
      send({ v: 1, type: 'failed', id, error: String((e as Error).message).slice(0, 64) });
    }
  }

  const socket = new ReconnectingSocket({
    url: `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/local/player`,
    WebSocket,
    reconnect: { minMs: 250, maxMs: 4000 },
    onOpen: () => void announce(),
    onMessage: (text) => {
      let json: unknown;
      try {
        json = JSON.parse(text);
      } catch {
        return;
      }
      const parsed = parseWith(displayPlayerCommand, json);
      if (!parsed.ok) return;
      const m = parsed.value;
      if (m.type === 'play') void play(m.id, m.url, m.label);
      else if (current?.id === m.id) current.source.stop();
    },
    onClose: () => {
      // Whatever was playing belongs to a queue that has moved on without us.
      current?.source.stop();
      current = null;
    },
  });
  socket.start();

  return () => {
    window.removeEventListener('pointerdown', onGesture);
    window.removeEventListener('keydown', onGesture);
    socket.close();
    void ctx?.close();
  };
}
