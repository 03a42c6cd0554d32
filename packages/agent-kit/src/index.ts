/**
 * @nextup/agent-kit — the parts every device agent shares: pairing with the hub, the credentials
 * file, the live hub link (branch view, commands, health) and the local server for the device's UI.
 */
export { CredentialStore, type DeviceCredentials } from './credentials.ts';
export { HubLink, type HubLinkOptions, type LinkStatus } from './hub-link.ts';
export { type PairOutcome, pairWithHub } from './pair.ts';
export { startUiServer, type UiServer, type UiServerOptions } from './ui-server.ts';
