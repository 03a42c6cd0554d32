import { type DisplayAgentMessage, displayAgentMessage, parseWith } from '@nextup/protocol';
import { useEffect, useState } from 'react';

export interface AgentLink {
  /** The agent's latest push; null until the first. */
  message: DisplayAgentMessage | null;
  /** The local socket to the agent is up. */
  connected: boolean;
}

/**
 * The screen's link to its agent: `/local/stream` pushes the whole screen model on every change (it
 * is small), so a reconnect needs no resume point: the first message after it is the current state.
 */
export function useAgent(): AgentLink {
  const [link, setLink] = useState<AgentLink>({ message: null, connected: false });
  useEffect(() => {
    let ws: WebSocket | null = null;
    let stopped = false;
    let backoff = 250;
    let lastSeq = -1;
    const connect = () => {
      if (stopped) return;
      const socket = new WebSocket(
        `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/local/stream`,
      );
      ws = socket;
      socket.onopen = () => {
        backoff = 250;
        lastSeq = -1;
        setLink((l) => ({ ...l, connected: true }));
      };
      socket.onmessage = (ev) => {
        let json: unknown;
        try {
          json = JSON.parse(String(ev.data));
        } catch {
          return;
        }
        const parsed = parseWith(displayAgentMessage, json);
        if (!parsed.ok) {
          console.warn('display: invalid message from the agent', parsed.error);
          return;
        }
        const m = parsed.value;
        // Never go back to an older branch view than the one shown (pushes can cross a reconnect).
        if (m.type === 'screen') {
          if (m.screen.seq < lastSeq) return;
          lastSeq = m.screen.seq;
        } else lastSeq = -1;
        setLink({ message: m, connected: true });
      };
      socket.onclose = () => {
        if (ws !== socket) return;
        ws = null;
        setLink((l) => ({ ...l, connected: false }));
        if (!stopped) setTimeout(connect, backoff);
        backoff = Math.min(backoff * 2, 4000);
      };
    };
    connect();
    return () => {
      stopped = true;
      ws?.close();
    };
  }, []);
  return link;
}
