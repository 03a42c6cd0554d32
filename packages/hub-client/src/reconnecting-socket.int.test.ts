/// <reference types="node" />
// A test-only real peer: the socket itself stays browser-safe (no Node types in its tsconfig); here
// it opens `ws` sockets to a real `ws` server on a loopback port.
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type WebSocket as ServerSide, WebSocket, WebSocketServer } from 'ws';
import { type LinkState, ReconnectingSocket, type ReconnectingSocketOptions } from './reconnecting-socket.ts';

/** What the server does with each connection it accepts (by its 0-based index). */
type Behaviour = (ws: ServerSide, index: number) => void;

let server: WebSocketServer;
let url: string;
let behaviour: Behaviour;
/** Every connection the server accepted: its request URL, what it received, how it closed. */
let accepted: { url: string; received: string[]; closedWith: number | null }[];
const sockets: ReconnectingSocket[] = [];

beforeEach(async () => {
  accepted = [];
  behaviour = () => {};
  server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  server.on('connection', (ws, req) => {
    const entry = { url: req.url ?? '', received: [] as string[], closedWith: null as number | null };
    accepted.push(entry);
    ws.on('message', (data) => entry.received.push(String(data)));
    ws.on('close', (code) => {
      entry.closedWith = code;
    });
    behaviour(ws, accepted.length - 1);
  });
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  url = `ws://127.0.0.1:${(server.address() as AddressInfo).port}/stream`;
});

afterEach(async () => {
  for (const s of sockets.splice(0)) s.close();
  for (const c of server.clients) c.terminate();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

/** A socket to the test server that records its states, retry waits, closes and messages. */
function open(options: Partial<ReconnectingSocketOptions> = {}) {
  const log = {
    states: [] as LinkState[],
    waits: [] as number[],
    closes: [] as number[],
    messages: [] as string[],
  };
  const socket = new ReconnectingSocket({
    url,
    WebSocket,
    onState: (state, retryInMs) => {
      log.states.push(state);
      if (retryInMs !== null) log.waits.push(retryInMs);
    },
    onClose: (code) => log.closes.push(code),
    onMessage: (text) => log.messages.push(text),
    ...options,
  });
  sockets.push(socket);
  socket.start();
  return { socket, log };
}

/** Timers alive in this process now (Node's own count: a timer the socket forgot shows here). */
const liveTimers = () => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;

/** The live timers once the previous test's sockets and server have wound down. */
async function settledTimers(): Promise<number> {
  await longerThanAnyRetry();
  return liveTimers();
}

/** Lets any wrongly scheduled retry (the longest wait here is 160 ms) fire before we look. */
const longerThanAnyRetry = () => new Promise((r) => setTimeout(r, 400));

describe('ReconnectingSocket', () => {
  it('reopens after every drop, each wait doubling from minMs up to maxMs, jittered within 75–125 % and never above maxMs', async () => {
    behaviour = (ws) => ws.close(1011, 'going away');
    const { log } = open({ reconnect: { minMs: 40, maxMs: 160 } });
    await expect.poll(() => log.waits.length, { timeout: 10_000 }).toBeGreaterThanOrEqual(5);
    const nominal = [40, 80, 160, 160, 160];
    log.waits.slice(0, 5).forEach((wait, i) => {
      expect(wait).toBeGreaterThanOrEqual(nominal[i]! * 0.75);
      expect(wait).toBeLessThanOrEqual(Math.min(160, nominal[i]! * 1.25));
    });
    // The jitter ranges of the first three waits do not overlap: the growth shows in every draw.
    expect(log.waits[1]!).toBeGreaterThan(log.waits[0]!);
    expect(log.waits[2]!).toBeGreaterThan(log.waits[1]!);
    expect(accepted.length).toBeGreaterThanOrEqual(5);
    expect(log.closes.slice(0, 5)).toEqual([1011, 1011, 1011, 1011, 1011]);
    expect(log.states.slice(0, 7)).toEqual([
      'connecting',
      'online',
      'offline',
      'connecting',
      'online',
      'offline',
      'connecting',
    ]);
  });

  it('starts the waits over once the peer has spoken after an open', async () => {
    behaviour = (ws) => {
      ws.send('hello');
      setTimeout(() => ws.close(1011, 'going away'), 10);
    };
    const { log } = open({ reconnect: { minMs: 40, maxMs: 160 } });
    await expect.poll(() => log.waits.length, { timeout: 10_000 }).toBeGreaterThanOrEqual(4);
    for (const wait of log.waits) expect(wait).toBeLessThanOrEqual(50);
    expect(log.messages.slice(0, 4)).toEqual(['hello', 'hello', 'hello', 'hello']);
  });

  it('opens the URL a function gives, asked again at each attempt', async () => {
    behaviour = (ws) => ws.close(1011, 'going away');
    let attempt = 0;
    open({ url: () => `${url}?attempt=${++attempt}`, reconnect: { minMs: 5, maxMs: 5 } });
    await expect.poll(() => accepted.length, { timeout: 10_000 }).toBeGreaterThanOrEqual(3);
    expect(accepted.slice(0, 3).map((a) => a.url)).toEqual([
      '/stream?attempt=1',
      '/stream?attempt=2',
      '/stream?attempt=3',
    ]);
  });

  it('stops for good on a close code stopOn names, with no retry and no timer left', async () => {
    const timersBefore = await settledTimers();
    behaviour = (ws) => ws.close(4401, 'revoked');
    const { socket, log } = open({ reconnect: { minMs: 20, maxMs: 20 }, stopOn: (code) => code === 4401 });
    await expect.poll(() => socket.state, { timeout: 10_000 }).toBe('stopped');
    expect(log.closes).toEqual([4401]);
    expect(log.waits).toEqual([]);
    await longerThanAnyRetry();
    expect(accepted).toHaveLength(1);
    expect(liveTimers()).toBe(timersBefore);
  });

  it('keeps retrying on a close code stopOn does not name', async () => {
    behaviour = (ws, i) => ws.close(i === 0 ? 4000 : 4401, 'bye');
    const { socket, log } = open({ reconnect: { minMs: 20, maxMs: 20 }, stopOn: (code) => code === 4401 });
    await expect.poll(() => socket.state, { timeout: 10_000 }).toBe('stopped');
    expect(log.closes).toEqual([4000, 4401]);
    expect(accepted).toHaveLength(2);
  });

  it('close() shuts an open link (with the code it is given) and never reopens it, leaving no timer', async () => {
    const timersBefore = await settledTimers();
    const { socket, log } = open({
      reconnect: { minMs: 20, maxMs: 20 },
      liveness: { pingMs: 30, ping: () => 'ping' },
    });
    await expect.poll(() => socket.state, { timeout: 10_000 }).toBe('online');
    socket.close(1000, 'stopped');
    expect(socket.state).toBe('stopped');
    await expect.poll(() => accepted[0]?.closedWith, { timeout: 10_000 }).toBe(1000);
    await longerThanAnyRetry();
    expect(accepted).toHaveLength(1);
    expect(log.closes).toEqual([]);
    expect(log.states).toEqual(['connecting', 'online', 'stopped']);
    expect(liveTimers()).toBe(timersBefore);
    socket.start();
    await longerThanAnyRetry();
    expect(accepted).toHaveLength(1);
  });

  it('close() with no code closes as a bare WebSocket.close() does: the peer sees no status (1005)', async () => {
    const { socket } = open();
    await expect.poll(() => socket.state, { timeout: 10_000 }).toBe('online');
    socket.close();
    await expect.poll(() => accepted[0]?.closedWith, { timeout: 10_000 }).toBe(1005);
  });

  it('close() while waiting to retry cancels the retry', async () => {
    const timersBefore = await settledTimers();
    behaviour = (ws) => ws.close(1011, 'going away');
    const { socket, log } = open({ reconnect: { minMs: 100, maxMs: 100 } });
    await expect.poll(() => socket.state, { timeout: 10_000 }).toBe('offline');
    socket.close();
    await longerThanAnyRetry();
    expect(accepted).toHaveLength(1);
    expect(log.states.at(-1)).toBe('stopped');
    expect(liveTimers()).toBe(timersBefore);
  });

  it('closes a link that stays silent for 2.5 ping intervals with 4001 and reopens it', async () => {
    // The server never answers: the pings go out, nothing comes back.
    const { log } = open({
      reconnect: { minMs: 20, maxMs: 20 },
      liveness: { pingMs: 30, ping: () => 'ping' },
    });
    await expect.poll(() => accepted.length, { timeout: 10_000 }).toBeGreaterThanOrEqual(2);
    expect(log.closes[0]).toBe(4001);
    expect(accepted[0]!.closedWith).toBe(4001);
    // Pings went out (how many before the 75 ms silence depends on how busy the machine is).
    expect(accepted[0]!.received.length).toBeGreaterThanOrEqual(1);
    expect(new Set(accepted[0]!.received)).toEqual(new Set(['ping']));
  });

  it('keeps a link open while the peer answers its pings', async () => {
    behaviour = (ws) => ws.on('message', () => ws.send('pong'));
    const { socket, log } = open({ liveness: { pingMs: 30, ping: () => 'ping' } });
    await expect.poll(() => log.messages.length, { timeout: 10_000 }).toBeGreaterThanOrEqual(6);
    expect(socket.state).toBe('online');
    expect(accepted).toHaveLength(1);
    expect(log.closes).toEqual([]);
  });

  it('drop() closes the link with its code, ignores what still arrives on it, and reopens', async () => {
    behaviour = (ws, i) => ws.send(`hello ${i}`);
    const { socket, log } = open({ reconnect: { minMs: 20, maxMs: 20 } });
    await expect.poll(() => log.messages, { timeout: 10_000 }).toEqual(['hello 0']);
    socket.drop(4003, 'gap');
    for (const c of server.clients) if (c.readyState === c.OPEN) c.send('late');
    await expect.poll(() => accepted.length, { timeout: 10_000 }).toBe(2);
    await expect.poll(() => log.messages, { timeout: 10_000 }).toEqual(['hello 0', 'hello 1']);
    expect(accepted[0]!.closedWith).toBe(4003);
    expect(log.closes).toEqual([4003]);
  });

  it('sends only while open, and says whether it sent', async () => {
    const { socket } = open();
    expect(socket.send('too early')).toBe(false);
    await expect.poll(() => socket.state, { timeout: 10_000 }).toBe('online');
    expect(socket.send('now')).toBe(true);
    await expect.poll(() => accepted[0]?.received, { timeout: 10_000 }).toEqual(['now']);
  });

  it('retries a URL it cannot even open, reporting 1006 as a browser would', async () => {
    const { log } = open({ url: 'not a url', reconnect: { minMs: 5, maxMs: 5 } });
    await expect.poll(() => log.closes.length, { timeout: 10_000 }).toBeGreaterThanOrEqual(2);
    expect(new Set(log.closes)).toEqual(new Set([1006]));
  });

  it('names a bad policy in a TypeError', () => {
    expect(() => new ReconnectingSocket({ url, WebSocket, reconnect: { minMs: 500, maxMs: 100 } })).toThrow(
      /minMs 500, maxMs 100/,
    );
    expect(() => new ReconnectingSocket({ url, WebSocket, liveness: { pingMs: 0, ping: () => '' } })).toThrow(
      TypeError,
    );
  });
});
