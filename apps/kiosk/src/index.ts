/**
 * @nextup/kiosk — the kiosk's agent: pairs with the hub, follows the branch, owns the ticket printer,
 * and serves the touch UI (built from `ui/`) on localhost. Start it in-process with
 * `startKioskAgent(options)`, or from the command line with `src/agent/main.ts`.
 */
export { hubAddress } from '@nextup/agent-kit';
export { type KioskAgent, type StartKioskAgentOptions, startKioskAgent } from './agent/kiosk-agent.ts';
export { APP_ROOT, DEFAULT_DATA_DIR, DEFAULT_UI_PORT, KIOSK_VERSION, UI_DIST_DIR } from './agent/paths.ts';
export { ensureUiBuilt, isUiStale } from './build.ts';
