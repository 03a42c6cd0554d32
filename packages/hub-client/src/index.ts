/**
 * @nextup/hub-client — how devices and consoles talk to the hub: a subscriber that keeps the branch
 * view in step over a WebSocket (resuming from its last sequence number), and command sending over
 * HTTP with safe retries. Runs in Node (pass a `ws` socket) and in browsers.
 */
export type { ApplyResult, BranchView, LogRun, RunResult } from './fold.ts';
export {
  applyLogged,
  applyRun,
  emptyView,
  evolveHubView,
  evolveView,
  evolveViewAll,
  isQueueEvent,
} from './fold.ts';
export type { HubAnswer, HubHttpOptions } from './http.ts';
export { HubHttp, HubResponseError, HubUnreachableError } from './http.ts';
export type { Logger, SocketLike, SubscriberOptions } from './subscriber.ts';
export { HubSubscriber, silentLogger } from './subscriber.ts';
