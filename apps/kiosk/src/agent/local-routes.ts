import {
  hubAddress,
  invalidPairRequest,
  LIFECYCLE_WORDS,
  type PairRequestParse,
  sendInvalidRequest,
} from '@nextup/agent-kit';
import {
  type KioskAnswer,
  type KioskCheckInRequest,
  type KioskIssueRequest,
  type KioskState,
  type KioskTicketAnswer,
  kioskCheckInRequest,
  kioskIssueRequest,
  kioskPairRequest,
  kioskTicketRequest,
  parseWith,
} from '@nextup/protocol';
import type { FastifyInstance } from 'fastify';

/** What the kiosk's local routes act on. */
export interface KioskActions {
  readonly state: KioskState;
  issue(request: Omit<KioskIssueRequest, 'v'>): Promise<KioskTicketAnswer>;
  checkIn(request: Omit<KioskCheckInRequest, 'v'>): Promise<KioskTicketAnswer>;
  reprint(ticketId: string): Promise<KioskAnswer>;
  void(ticketId: string): Promise<KioskAnswer>;
}

/**
 * The touch UI's API under `/local/` (pairing and the state stream are the device lifecycle's, in
 * `@nextup/agent-kit`). Every body is checked against its schema; a refusal has the lifecycle's shape.
 */
export function kioskRoutes(app: FastifyInstance, kiosk: KioskActions): void {
  app.get('/local/state', async () => kiosk.state);
  app.post('/local/issue', async (req, reply) => {
    const b = parseWith(kioskIssueRequest, req.body);
    if (!b.ok) return sendInvalidRequest(reply, b.error);
    return kiosk.issue(b.value);
  });
  app.post('/local/check-in', async (req, reply) => {
    const b = parseWith(kioskCheckInRequest, req.body);
    if (!b.ok) return sendInvalidRequest(reply, b.error);
    return kiosk.checkIn(b.value);
  });
  app.post('/local/reprint', async (req, reply) => {
    const b = parseWith(kioskTicketRequest, req.body);
    if (!b.ok) return sendInvalidRequest(reply, b.error);
    return kiosk.reprint(b.value.ticketId);
  });
  app.post('/local/void', async (req, reply) => {
    const b = parseWith(kioskTicketRequest, req.body);
    if (!b.ok) return sendInvalidRequest(reply, b.error);
    return kiosk.void(b.value.ticketId);
  });
}

/** The kiosk's pairing screen sends `{ v, hubAddress, code }`, the address as branch IT typed it. */
export function parseKioskPairRequest(body: unknown): PairRequestParse {
  const b = parseWith(kioskPairRequest, body);
  if (!b.ok) return { ok: false, error: invalidPairRequest(b.error) };
  const hubUrl = hubAddress(b.value.hubAddress);
  if (!hubUrl)
    return {
      ok: false,
      error: { kind: 'input', code: 'BAD_HUB_ADDRESS', message: LIFECYCLE_WORDS.badHubAddress },
    };
  return { ok: true, value: { hubUrl, code: b.value.code, name: b.value.name } };
}
