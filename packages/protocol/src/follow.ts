import { z } from 'zod';
import { bilingual, epochMs } from './common.ts';
import { ticketStatus, waitEstimate, waitWords } from './domain.ts';

/**
 * What a customer's phone sees through the ticket's QR code (`GET /api/v1/follow/:id`): this one
 * ticket and nothing else of the queue.
 */
export const followView = z.object({
  number: z.string(),
  service: bilingual,
  status: ticketStatus,
  issuedAt: epochMs,
  /** While waiting: how many are ahead in the ticket's own queue and the current estimate. */
  ahead: z.number().int().nonnegative().nullable(),
  estimate: waitEstimate.nullable(),
  /** While waiting: the estimate in the customer's words (core's `waitWords`), as every screen says it. */
  words: waitWords.nullable(),
  /** When called: the counter to go to. */
  counter: z.object({ number: z.number().int(), name: bilingual }).nullable(),
  calledAt: epochMs.nullable(),
  branch: bilingual,
  serverTime: epochMs,
});
export type FollowView = z.infer<typeof followView>;
