/** Test support (`@nextup/agent-kit/testing`): seams that tests use and agents never do. */
import { dropLink as dropSubscriberLink } from '@nextup/hub-client/testing';
import { type HubLink, linkSubscribers } from './hub-link.ts';

/** Drops the link's stream as if the network failed; it comes back by itself. */
export function dropLink(link: HubLink): void {
  const subscriber = linkSubscribers.get(link);
  if (subscriber) dropSubscriberLink(subscriber);
}
