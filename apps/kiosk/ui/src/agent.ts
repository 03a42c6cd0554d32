import { ReconnectingSocket } from '@nextup/hub-client/reconnecting-socket';
import {
  type KioskAnswer,
  type KioskState,
  type KioskTicketAnswer,
  kioskAnswer,
  kioskStreamMessage,
  kioskTicketAnswer,
  parseWith,
} from '@nextup/protocol';
import { useEffect, useState } from 'react';

/**
 * The UI's only peer: its own agent on this box. State arrives on `/local/stream` (validated, then
 * shown); actions go to `/local/*` and their answers are validated too.
 */

export type AgentConnection =
  | { connected: false; state: KioskState | null }
  | { connected: true; state: KioskState };

/** Follows the agent's state; reconnects by itself when the agent restarts. */
export function useAgentState(): AgentConnection {
  const [conn, setConn] = useState<AgentConnection>({ connected: false, state: null });
  useEffect(() => {
    const socket = new ReconnectingSocket({
      url: `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/local/stream`,
      WebSocket,
      // The agent is on this box: retry often and never wait long.
      reconnect: { minMs: 500, maxMs: 500 },
      onMessage: (text) => {
        let json: unknown;
        try {
          json = JSON.parse(text);
        } catch {
          return;
        }
        const m = parseWith(kioskStreamMessage, json);
        if (!m.ok) {
          console.warn('kiosk: invalid message from the agent', m.error);
          return;
        }
        setConn({ connected: true, state: m.value.state });
      },
      onClose: () => setConn((c) => ({ connected: false, state: c.state })),
    });
    socket.start();
    return () => socket.close();
  }, []);
  return conn;
}

const LOST = {
  kind: 'internal' as const,
  code: 'AGENT_UNREACHABLE',
  message: { zh: '取号机暂时无响应，请稍后再试', en: 'The kiosk is not responding; please try again' },
};

async function post(path: string, body: unknown): Promise<unknown> {
  const res = await fetch(path, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ v: 1, ...(body as object) }),
  });
  return res.json();
}

/** A fresh id per tap: the agent and the hub answer a repeat of it with the first answer. */
export function newRequestId(): string {
  const bytes = new Uint8Array(12);
  crypto.getRandomValues(bytes);
  return `k${Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')}`;
}

export async function requestTicket(
  path: '/local/issue' | '/local/check-in',
  body: object,
): Promise<KioskTicketAnswer> {
  try {
    const parsed = parseWith(kioskTicketAnswer, await post(path, body));
    return parsed.ok ? parsed.value : { ok: false, error: LOST };
  } catch {
    return { ok: false, error: LOST };
  }
}

export async function requestAction(
  path: '/local/reprint' | '/local/void' | '/local/pair',
  body: object,
): Promise<KioskAnswer> {
  try {
    const parsed = parseWith(kioskAnswer, await post(path, body));
    return parsed.ok ? parsed.value : { ok: false, error: LOST };
  } catch {
    return { ok: false, error: LOST };
  }
}
