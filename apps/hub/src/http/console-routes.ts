import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';
import { ApiKeys, registerApiKeyRoutes } from './api-keys.ts';
import { registerBookingRoutes } from './booking-routes.ts';
import { registerDeskRoutes } from './desk-routes.ts';
import { htmlPage } from './html-page.ts';
import { registerReportRoutes } from './report-routes.ts';
import type { RouteContext } from './route-context.ts';

/** The console's build output (`pnpm --filter @nextup/console build`). */
export const DEFAULT_CONSOLE_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '../../../console/dist');

export interface ConsoleRoutesOptions {
  /** Folder of the built console (index.html + assets/). Default apps/console/dist, or NEXTUP_CONSOLE_DIR. */
  consoleDir?: string;
}

/** Paths that keep their own meaning: never answered with the console's page. */
const RESERVED = /^\/(api|t|setup|assets)(\/|$)/;

/** What `/` answers before the console was built: how to build it. */
const notBuiltPage = (dir: string) =>
  htmlPage({
    lang: 'zh-CN',
    title: 'Nextup 控制台未构建 / console not built',
    style: `body{font:18px/1.6 system-ui,"Noto Sans CJK SC",sans-serif;max-width:44rem;margin:4rem auto;padding:0 1rem;color:#111}
code{background:#eef;padding:.1rem .3rem;border-radius:4px}`,
    body: `<h1>控制台尚未构建</h1>
<p>柜员、管理和经理控制台需要先构建一次：</p><p><code>npx pnpm@10 --filter @nextup/console build</code></p>
<h2 lang="en">The console has not been built</h2>
<p lang="en">Build the counter, admin and manager consoles once: <code>npx pnpm@10 --filter @nextup/console build</code></p>
<p>dist: <code>${dir.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')}</code></p>`,
  });

/**
 * Serves the consoles (a single-page app) at `/`: hashed assets under `/assets/` with a long cache,
 * and `index.html` for every other path that is not the API, a follow page or setup, so that client
 * routes (`/counter`, `/admin/devices`…) survive a reload. Also registers the console's API: the daily
 * report, the booking API and API keys.
 */
export async function registerConsoleRoutes(
  app: FastifyInstance,
  ctx: RouteContext,
  options: ConsoleRoutesOptions = {},
): Promise<void> {
  const dir = options.consoleDir ?? process.env.NEXTUP_CONSOLE_DIR ?? DEFAULT_CONSOLE_DIR;
  const keys = new ApiKeys(ctx.hub);
  registerApiKeyRoutes(app, ctx, keys);
  registerBookingRoutes(app, ctx, keys);
  registerReportRoutes(app, ctx);
  registerDeskRoutes(app, ctx);

  if (!existsSync(join(dir, 'assets')))
    ctx.hub.logger.warn({ dir }, 'console not built: run `pnpm --filter @nextup/console build`');
  await app.register(fastifyStatic, {
    root: join(dir, 'assets'),
    prefix: '/assets/',
    decorateReply: false,
    // File names carry a content hash: a changed file has a new name.
    immutable: true,
    maxAge: '365d',
  });

  // index.html, re-read when the file changes (a rebuild while the hub runs).
  let page: { mtimeMs: number; html: string } | null = null;
  const indexHtml = (): string | null => {
    const file = join(dir, 'index.html');
    try {
      const { mtimeMs } = statSync(file);
      if (page?.mtimeMs !== mtimeMs) page = { mtimeMs, html: readFileSync(file, 'utf8') };
      return page.html;
    } catch {
      return null;
    }
  };

  app.get('/*', async (req, reply) => {
    const path = req.url.split('?')[0] ?? '/';
    if (RESERVED.test(path)) return reply.callNotFound();
    const html = indexHtml();
    reply.header('cache-control', 'no-cache');
    if (html === null) {
      const page = notBuiltPage(dir);
      return reply
        .code(503)
        .type('text/html; charset=utf-8')
        .header('content-security-policy', page.csp)
        .send(page.html);
    }
    return reply.type('text/html; charset=utf-8').send(html);
  });
}
