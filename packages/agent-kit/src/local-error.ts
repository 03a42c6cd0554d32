import type { LocalError } from '@nextup/protocol';
import type { FastifyReply } from 'fastify';
import { LIFECYCLE_WORDS } from './words.ts';

/**
 * The one way a device agent's local routes say no: `{ ok: false, error: { kind, code, message } }`
 * with the message in both languages (`@nextup/protocol`'s `localError`), whatever the route.
 */
export function sendLocalError(reply: FastifyReply, status: number, error: LocalError) {
  return reply.code(status).send({ ok: false, error });
}

/** A request that does not fit its schema: 400, with the schema's words as the English message. */
export function sendInvalidRequest(reply: FastifyReply, detail: string) {
  return sendLocalError(reply, 400, invalidRequest(detail));
}

/** The refusal of a request that does not fit its schema (`detail`: the schema's words). */
export function invalidRequest(detail: string): LocalError {
  return {
    kind: 'input',
    code: 'INVALID_MESSAGE',
    message: { zh: '请求无效', en: detail.slice(0, 300) },
  };
}

/** The refusal of a pairing request that does not fit its schema: the form's words, `detail` the schema's. */
export function invalidPairRequest(detail: string): LocalError {
  return {
    kind: 'input',
    code: 'INVALID_MESSAGE',
    message: LIFECYCLE_WORDS.badPairRequest,
    detail: detail.slice(0, 1000),
  };
}
