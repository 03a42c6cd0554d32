import { z } from 'zod';
import { bilingual } from './common.ts';

/**
 * Why a device agent refused a request from its own UI (`/local/*` on the kiosk and the display):
 * one shape for every local route, so each UI reads `error.message` the same way.
 */
export const localError = z.object({
  /**
   * `domain`: the hub's refusal (too early, expired, unknown code…); `offline`: the hub cannot be
   * reached; `input`: the request itself is wrong; the rest are the agent's own.
   */
  kind: z.enum(['domain', 'offline', 'printer', 'input', 'notPaired', 'refused', 'internal']),
  code: z.string().max(64),
  message: bilingual,
  /** What exactly did not fit (a schema's words), for logs and developers; never shown alone. */
  detail: z.string().max(1000).optional(),
});
export type LocalError = z.infer<typeof localError>;

/** A local action's answer when it has nothing to return but "done" (pairing, for one). */
export const localAnswer = z.union([
  z.object({ ok: z.literal(true) }),
  z.object({ ok: z.literal(false), error: localError }),
]);
export type LocalAnswer = z.infer<typeof localAnswer>;
