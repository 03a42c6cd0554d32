import fastifyCookie from '@fastify/cookie';
import { type ErrorBody, LIMITS } from '@nextup/protocol';
import type { FastifyBaseLogger } from 'fastify';
import Fastify, { type FastifyInstance, LogController } from 'fastify';
import type { HubService } from '../hub.ts';
import type { IdentityService } from '../identity.ts';
import { requestAuth } from '../security/request-auth.ts';
import { registerDeviceAdminRoutes } from './device-admin-routes.ts';
import { type LastSeen, registerDeviceRoutes } from './device-routes.ts';
import { clientErrorHandler, frameworkErrors, registerErrorHandlers } from './edge-errors.ts';
import { registerFollowRoutes } from './follow-routes.ts';
import { registerQueueRoutes } from './queue-routes.ts';
import { type RouteContext, routeContext } from './route-context.ts';
import { registerSecurityHeaders } from './security-headers.ts';
import { registerSessionRoutes } from './session-routes.ts';
import { registerStaffRoutes } from './staff-routes.ts';
import { registerStreamRoute } from './stream-route.ts';

export { SESSION_COOKIE } from '../security/request-auth.ts';
export type { RouteContext } from './route-context.ts';

export interface AppOptions {
  hub: HubService;
  identity: IdentityService;
  logger: FastifyBaseLogger;
  /** Set the session cookie's Secure flag (serve the hub over HTTPS). Default false: branch LANs are often plain HTTP. */
  secureCookies?: boolean;
  /** Seconds a device may be without a stream before it is reported offline. Default 15. */
  offlineAfterSeconds?: number;
  /** Register more routes (console, reports) on the same server. */
  extend?: (app: FastifyInstance, ctx: RouteContext) => void | Promise<void>;
}

/**
 * The hub's HTTP and WebSocket edge, wired: the server, its error mapping (`edge-errors.ts`), who is
 * asking (`security/request-auth.ts`) and the route modules by area. Every inbound message is
 * size-checked, parsed as JSON and validated with `@nextup/protocol` before anything else sees it
 * (`route-context.ts`); a bad one gets a clear error body and changes nothing.
 */
export async function buildApp(options: AppOptions): Promise<FastifyInstance> {
  const { hub, identity } = options;
  const app = Fastify({
    loggerInstance: options.logger,
    // Read a little more than our limit so that our own check answers with our own error.
    bodyLimit: LIMITS.maxMessageBytes + 1024,
    trustProxy: false,
    // Every request logged would drown the branch's log; errors are logged by the error handler.
    logController: new LogController({ disableRequestLogging: true }),
    // Requests refused before routing still get the documented error shape (`edge-errors.ts`).
    frameworkErrors,
    clientErrorHandler: clientErrorHandler(options.logger),
  });
  registerSecurityHeaders(app);
  await app.register(fastifyCookie);

  // Bodies arrive as raw text; handlers parse them with the protocol's schemas.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser(['application/json', 'text/plain'], { parseAs: 'string' }, (_req, body, done) =>
    done(null, body),
  );
  registerErrorHandlers(app);

  const auth = requestAuth(identity);
  const ctx = routeContext(hub, identity, auth);
  const lastSeen: LastSeen = new Map();

  registerQueueRoutes(app, ctx);
  registerSessionRoutes(app, ctx, { auth, secureCookies: options.secureCookies ?? false });
  registerFollowRoutes(app, ctx);
  registerDeviceRoutes(app, ctx, lastSeen);
  registerDeviceAdminRoutes(app, ctx, lastSeen);
  registerStaffRoutes(app, ctx);
  await registerStreamRoute(app, ctx, { offlineMs: (options.offlineAfterSeconds ?? 15) * 1000, lastSeen });

  // The consoles (apps/console) at `/`, the daily report, the booking API and API keys.
  const { registerConsoleRoutes } = await import('./console-routes.ts');
  await registerConsoleRoutes(app, ctx);

  await options.extend?.(app, ctx);
  return app;
}

export type { ErrorBody };
