import type { Socket } from 'node:net';
import { type ErrorBody, LIMITS } from '@nextup/protocol';
import type { FastifyBaseLogger, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { errorBody } from '../hub.ts';

/**
 * Every answer the hub gives is in the documented error shape (`docs/hub-api.md`), including the
 * ones a request never reaches a route for: a URL that does not decode (`/assets/%`), a path
 * parameter over the router's limit (414), headers over Node's limit (431) or any other request
 * Node's parser refuses, and a request that throws a {@link Refusal} on the way (a malformed
 * `Origin`, say), which is a 4xx, never a 500.
 */

/** A refusal thrown from deep inside a request (an auth helper, say); the error handler sends it. */
export class Refusal extends Error {
  constructor(
    readonly status: number,
    readonly body: ErrorBody,
  ) {
    super(body.ok ? 'refused' : body.error.code);
    this.name = 'Refusal';
  }
}

/** Errors fastify raises before routing: an undecodable URL, a path parameter too long. */
export function frameworkErrors(error: Error & { code?: string }, _req: FastifyRequest, reply: FastifyReply) {
  if (error.code === 'FST_ERR_MAX_PARAM_LENGTH')
    return reply
      .code(414)
      .send(errorBody('input', 'URI_TOO_LONG', '地址过长', 'The request path is too long'));
  if (error.code === 'FST_ERR_BAD_URL')
    return reply
      .code(400)
      .send(errorBody('input', 'BAD_URL', '地址无效', 'The request path is not a valid URL'));
  return reply.code(400).send(errorBody('input', 'BAD_REQUEST', '请求无效', 'Bad request'));
}

const CLIENT_ERRORS: Record<string, [number, string, string, string]> = {
  HPE_HEADER_OVERFLOW: [431, 'HEADERS_TOO_LARGE', '请求头过大', 'The request headers are too large'],
  ERR_HTTP_REQUEST_TIMEOUT: [408, 'REQUEST_TIMEOUT', '请求超时', 'The request took too long to arrive'],
};

/**
 * Node's parser refused a request (headers too large, a malformed request line…): answer in the
 * documented shape, then close. Logged at debug: a client's mistake is not the hub's error.
 */
export function clientErrorHandler(logger: FastifyBaseLogger) {
  return (err: Error & { code?: string }, socket: Socket) => {
    if (err.code === 'ECONNRESET' || socket.destroyed) return;
    const [status, code, zh, en] = CLIENT_ERRORS[err.code ?? ''] ?? [
      400,
      'BAD_REQUEST',
      '请求无效',
      'The request could not be read',
    ];
    logger.debug({ code: err.code }, 'client error');
    const body = JSON.stringify(errorBody(status < 500 ? 'input' : 'internal', code, zh, en));
    if (socket.writable)
      socket.write(
        `HTTP/1.1 ${status} ${code}\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
      );
    socket.destroy();
  };
}

/**
 * Errors thrown in a route, and paths no route answers: a `Refusal` with its own status, a body over
 * the limit (413), a body that is not JSON (415), other client errors as they are, anything else a
 * logged 500 that tells the client nothing more.
 */
export function registerErrorHandlers(app: FastifyInstance): void {
  app.setErrorHandler((err: Error & { statusCode?: number; code?: string }, req, reply) => {
    if (err instanceof Refusal) return reply.code(err.status).send(err.body);
    if (err.code === 'FST_ERR_CTP_BODY_TOO_LARGE' || err.statusCode === 413)
      return reply
        .code(413)
        .send(
          errorBody(
            'input',
            'MESSAGE_TOO_LARGE',
            '消息过大',
            `Message too large; the limit is ${LIMITS.maxMessageBytes} bytes`,
          ),
        );
    if (err.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE' || err.statusCode === 415)
      return reply
        .code(415)
        .send(errorBody('input', 'UNSUPPORTED_MEDIA_TYPE', '请以 JSON 发送', 'Send JSON (application/json)'));
    if (err.statusCode && err.statusCode < 500)
      return reply
        .code(err.statusCode)
        .send(errorBody('input', err.code ?? 'BAD_REQUEST', '请求无效', 'Bad request', err.message));
    req.log.error({ err }, 'unhandled error');
    return reply.code(500).send(errorBody('internal', 'INTERNAL', '服务器内部错误', 'Internal error'));
  });
  app.setNotFoundHandler((req, reply) =>
    reply
      .code(404)
      .send(
        errorBody('notFound', 'NOT_FOUND', '没有此地址', `Nothing at ${req.method} ${req.url.split('?')[0]}`),
      ),
  );
}
