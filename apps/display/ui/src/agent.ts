import { ReconnectingSocket } from '@nextup/hub-client/reconnecting-socket';
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
    let lastSeq = -1;
    const socket = new ReconnectingSocket({
      url: `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/local/stream`,
      WebSocket,
      reconnect: { minMs: 250, maxMs: 4000 },
      onOpen: () => {
        lastSeq = -1;
      },
      onState: (state) => {
        if (state === 'online' || state === 'offline')
          setLink((l) => ({ ...l, connected: state === 'online' }));
      },
      onMessage: (text) => {
        let json: unknown;
        try {
          json = JSON.parse(text);
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
      },
    });
    socket.start();
    return () => socket.close();
  }, []);
  return link;
}
