import type { FastifyInstance } from 'fastify';
import { errorBody } from '../hub.ts';
import { followPage } from './follow-page.ts';
import type { RouteContext } from './route-context.ts';

/**
 * The customer's phone: `/t/:id` (the page the ticket's QR code opens) and `GET /api/v1/follow/:id`,
 * that one ticket and nothing else of the queue. No sign-in: the unguessable ticket id is the key.
 */
export function registerFollowRoutes(app: FastifyInstance, ctx: RouteContext) {
  const { hub } = ctx;
  app.get<{ Params: { id: string } }>('/api/v1/follow/:id', async (req, reply) => {
    const view = /^[A-Za-z0-9_-]{16,64}$/.test(req.params.id) ? hub.follow(req.params.id) : null;
    if (!view)
      return reply
        .code(404)
        .send(
          errorBody(
            'notFound',
            'UNKNOWN_TICKET',
            '找不到此号（可能是往日的票）',
            'Ticket not found (it may be from an earlier day)',
          ),
        );
    reply.header('cache-control', 'no-store');
    return view;
  });
  app.get('/t/:id', async (_req, reply) => {
    const page = followPage();
    return reply
      .type('text/html; charset=utf-8')
      .header('cache-control', 'no-store')
      .header('content-security-policy', page.csp)
      .send(page.html);
  });
}
