import type { BranchView } from '@nextup/hub-view';
import { emptyView, evolveView } from '@nextup/hub-view';
import type { LoggedEvent } from '@nextup/protocol';
import WebSocket from 'ws';
import { type Client, createStaff, signIn } from '../src/testing.ts';

// What every app's tests share (a real hub, clients, pairing) lives in src/testing.ts, the
// package's `@nextup/hub/testing` face; what only the hub's own tests need stays here.
export {
  ADMIN_PASSWORD,
  Client,
  MONDAY_0900,
  pairDevice,
  setUpAdmin,
  signIn,
  startTestHub,
  type TestHub,
  tempDir,
} from '../src/testing.ts';

/** An admin creates a teller (or a manager) bound to counters, and the teller signs in. */
export async function createTeller(
  hub: { url: string },
  admin: Client,
  username: string,
  counterIds: string[],
  role: 'teller' | 'manager' = 'teller',
): Promise<Client> {
  await createStaff(admin, username, role, counterIds);
  return signIn(hub.url, username);
}

/** A raw WebSocket subscriber that folds what it receives, for checking resync by hand. */
export function openStream(url: string, auth: { token?: string; cookie?: string }): Promise<WebSocket> {
  const headers: Record<string, string> = {};
  if (auth.token) headers.authorization = `Bearer ${auth.token}`;
  if (auth.cookie) headers.cookie = auth.cookie;
  const ws = new WebSocket(`${url.replace(/^http/, 'ws')}/api/v1/stream`, { headers });
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
  });
}

/** Collects messages from a socket. */
export function collect(ws: WebSocket): {
  messages: any[];
  next: (pred: (m: any) => boolean, timeoutMs?: number) => Promise<any>;
} {
  const messages: any[] = [];
  const waiters: { pred: (m: any) => boolean; resolve: (m: any) => void }[] = [];
  ws.on('message', (d: Buffer) => {
    const m = JSON.parse(d.toString());
    messages.push(m);
    for (const w of [...waiters])
      if (w.pred(m)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(m);
      }
  });
  return {
    messages,
    next(pred, timeoutMs = 10_000) {
      const found = messages.find(pred);
      if (found) return Promise.resolve(found);
      return new Promise((resolve, reject) => {
        const w = { pred, resolve };
        waiters.push(w);
        setTimeout(() => reject(new Error('timed out waiting for a message')), timeoutMs).unref();
      });
    },
  };
}

/** Folds a list of logged events from scratch. */
export function foldLogged(events: LoggedEvent[]): BranchView {
  let v = emptyView();
  for (const e of events) v = evolveView(v, e.event, e.seq);
  return v;
}
