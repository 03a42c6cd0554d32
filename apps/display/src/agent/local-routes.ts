import { invalidPairRequest, type PairRequestParse } from '@nextup/agent-kit';
import {
  type DisplayAgentMessage,
  displayPairRequest,
  type HealthComponent,
  parseWith,
} from '@nextup/protocol';
import type { FastifyInstance } from 'fastify';
import type { AnnouncementQueue } from './voice/queue.ts';
import type { UiAudioSink } from './voice/ui-sink.ts';

export interface DisplayRoutesContext {
  message: () => DisplayAgentMessage;
  health: () => HealthComponent[];
  voice: AnnouncementQueue;
  /** The screen as the speaker: `/local/player` and the announcements' WAVs. */
  uiSink: UiAudioSink | null;
}

/**
 * The TV screen's API under `/local/` (pairing and the state stream are the device lifecycle's, in
 * `@nextup/agent-kit`): the state, the health for branch IT, and the player when the screen speaks.
 */
export function displayRoutes(app: FastifyInstance, ctx: DisplayRoutesContext): void {
  ctx.uiSink?.attach(app);
  app.get('/local/state', async () => ctx.message());
  app.get('/local/health', async () => ({
    components: ctx.health(),
    voice: { pending: ctx.voice.pending, recent: ctx.voice.history.slice(-10) },
  }));
}

/** The display's pairing form sends `{ hubUrl, code, name }`. */
export function parseDisplayPairRequest(body: unknown): PairRequestParse {
  const b = parseWith(displayPairRequest, body);
  return b.ok ? { ok: true, value: b.value } : { ok: false, error: invalidPairRequest(b.error) };
}
