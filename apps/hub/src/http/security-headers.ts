import type { FastifyInstance } from 'fastify';

/**
 * Headers on every answer the hub serves (`onSend`), so that no page of the hub can be framed by
 * another site (clickjacking a teller's console), no address leaks through a Referer (the follow
 * page's address names a ticket), and no response is taken for another type than it says.
 *
 * A page that carries its own Content-Security-Policy (the follow and setup pages: exactly their
 * inline script and style, by hash) keeps it. Other HTML is the consoles' single-page app, built by
 * Vite into files under `/assets/`: scripts, styles and fonts from the hub only, images also as
 * `data:` (the booking's QR code), fetches and the WebSocket to the hub only. Everything else (JSON,
 * CSV, the assets themselves) may load nothing at all.
 */
export const CONSOLE_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

export const NOTHING_CSP = "default-src 'none'; frame-ancestors 'none'";

export function registerSecurityHeaders(app: FastifyInstance): void {
  app.addHook('onSend', async (_req, reply, payload) => {
    reply.header('x-frame-options', 'DENY');
    reply.header('referrer-policy', 'no-referrer');
    reply.header('x-content-type-options', 'nosniff');
    if (!reply.hasHeader('content-security-policy')) {
      const type = String(reply.getHeader('content-type') ?? '');
      reply.header('content-security-policy', type.startsWith('text/html') ? CONSOLE_CSP : NOTHING_CSP);
    }
    return payload;
  });
}
