/**
 * @nextup/hub-client — how devices and consoles talk to the hub: a subscriber that keeps the branch
 * view (`@nextup/hub-view`) in step over a WebSocket (resuming from its last sequence number), and
 * commands and queries over HTTP with safe retries and answers parsed with the protocol's schemas.
 * Runs in Node (pass `ws`'s WebSocket) and in browsers. The reconnecting socket under the subscriber
 * is also its own browser-safe subpath, `@nextup/hub-client/reconnecting-socket`, for the screens'
 * links to their local agent.
 */
export type { HubAnswer, HubHttpOptions } from './http.ts';
export { HubHttp, HubResponseError, HubUnreachableError } from './http.ts';
export type {
  LinkState,
  ReconnectingSocketOptions,
  ReconnectPolicy,
  SocketConstructor,
  SocketLike,
} from './reconnecting-socket.ts';
export { ReconnectingSocket } from './reconnecting-socket.ts';
export type { Logger, SubscriberOptions } from './subscriber.ts';
export { HubSubscriber, silentLogger } from './subscriber.ts';
