/** Test support (`@nextup/hub-client/testing`): seams that tests use and products never do. */
import { type HubSubscriber, linkDroppers } from './subscriber.ts';

/** Drops the subscriber's link as if the network failed (close code 4000); it reconnects by itself. */
export function dropLink(subscriber: HubSubscriber): void {
  linkDroppers.get(subscriber)?.();
}
