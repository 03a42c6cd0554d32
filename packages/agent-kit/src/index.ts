/**
 * @nextup/agent-kit — the device lifecycle every agent (kiosk, display) shares: `startDeviceAgent`
 * (pairing and `/local/pair`, the credentials file, the live hub link with its reconnect policy,
 * health reporting, revocation, the local server for the device's UI) and the parts it is made of.
 */
export { CredentialStore, type DeviceCredentials } from './credentials.ts';
export {
  type DeviceAgent,
  type DeviceAgentOptions,
  type PairingState,
  type PairRequestParse,
  startDeviceAgent,
} from './device-agent.ts';
export { DEFAULT_HUB_PORT, hubAddress } from './hub-address.ts';
export { HubLink, type HubLinkOptions, type LinkStatus, type ReconnectPolicy } from './hub-link.ts';
export { invalidPairRequest, invalidRequest, sendInvalidRequest, sendLocalError } from './local-error.ts';
export { type PairOutcome, pairWithHub } from './pair.ts';
export { startUiServer, type UiServer, type UiServerOptions } from './ui-server.ts';
export { LIFECYCLE_WORDS } from './words.ts';
