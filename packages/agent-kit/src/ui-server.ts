import { existsSync } from 'node:fs';
import { join } from 'node:path';
import fastifyStatic from '@fastify/static';
import fastifyWebsocket from '@fastify/websocket';
import Fastify, { type FastifyBaseLogger, type FastifyInstance, LogController } from 'fastify';
import type { WebSocket } from 'ws';
import { sendLocalError } from './local-error.ts';

export interface UiServerOptions {
  /** The built UI (Vite `dist`). When missing, `/` says how to build it. */
  distDir: string;
  /** Default 127.0.0.1: the UI talks only to its own agent, on the box itself. */
  host?: string;
  /** Default 0 (a free port). */
  port?: number;
  logger?: FastifyBaseLogger;
  /** The agent's local API routes (under `/local/`). */
  routes?: (app: FastifyInstance) => void | Promise<void>;
  /** The message a UI gets as soon as it connects to `/local/stream` (the current state). */
  initialMessage?: () => unknown;
}

export interface UiServer {
  url: string;
  port: number;
  app: FastifyInstance;
  /** Sends a JSON message to every connected UI. */
  broadcast(message: unknown): void;
  /** UIs connected now. */
  readonly clients: number;
  close(): Promise<void>;
}

/**
 * The agent's local web server: the built UI at `/` (client routes fall back to index.html), the
 * agent's API under `/local/`, and `/local/stream`, a WebSocket on which the agent pushes its state.
 * The same UI runs in the Electron shell and in a plain Chromium pointed at this address.
 */
export async function startUiServer(options: UiServerOptions): Promise<UiServer> {
  const app = Fastify({
    ...(options.logger ? { loggerInstance: options.logger } : {}),
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: 64 * 1024,
  });
  await app.register(fastifyWebsocket);
  const sockets = new Set<WebSocket>();
  app.get('/local/stream', { websocket: true }, (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    const first = options.initialMessage?.();
    if (first !== undefined) socket.send(JSON.stringify(first));
  });
  await options.routes?.(app);
  // The UI may be built after the agent started (a developer running `vite build`): look each time.
  const hasUi = () => existsSync(join(options.distDir, 'index.html'));
  await app.register(fastifyStatic, { root: options.distDir, prefix: '/', wildcard: false, index: false });
  const notBuilt = `<!doctype html><meta charset="utf-8"><p>界面尚未构建 · The UI is not built yet: run <code>vite build</code> in ${options.distDir.replace(/\/dist\/?$/, '')}.</p>`;
  app.setNotFoundHandler((req, reply) => {
    if (req.url.startsWith('/local/') || req.method !== 'GET')
      return sendLocalError(reply, 404, {
        kind: 'input',
        code: 'NOT_FOUND',
        message: { zh: '没有这个地址', en: `No such route: ${req.method} ${req.url}`.slice(0, 300) },
      });
    if (!hasUi()) return reply.code(503).type('text/html; charset=utf-8').send(notBuilt);
    return reply.sendFile('index.html');
  });
  app.get('/', (_req, reply) => {
    if (!hasUi()) return reply.code(503).type('text/html; charset=utf-8').send(notBuilt);
    return reply.sendFile('index.html');
  });
  const address = await app.listen({ host: options.host ?? '127.0.0.1', port: options.port ?? 0 });
  const port = Number(new URL(address).port);
  return {
    url: `http://${options.host && options.host !== '0.0.0.0' ? options.host : '127.0.0.1'}:${port}`,
    port,
    app,
    broadcast(message) {
      const json = JSON.stringify(message);
      for (const s of sockets) if (s.readyState === s.OPEN) s.send(json);
    },
    get clients() {
      return sockets.size;
    },
    async close() {
      for (const s of sockets) s.terminate();
      await app.close();
    },
  };
}
