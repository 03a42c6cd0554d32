/**
 * @nextup/hub-client — how devices and consoles talk to the hub: a subscriber that keeps the branch
 * view (`@nextup/hub-view`) in step over a WebSocket (resuming from its last sequence number), and
 * commands and queries over HTTP with safe retries and answers parsed with the protocol's schemas.
 * Runs in Node (pass a `ws` socket) and in browsers.
 */
export type { HubAnswer, HubHttpOptions } from './http.ts';
export { HubHttp, HubResponseError, HubUnreachableError } from './http.ts';
export type { Logger, SocketLike, SubscriberOptions } from './subscriber.ts';
export { HubSubscriber, silentLogger } from './subscriber.ts';
