/**
 * The display's Electron shell: one full-screen kiosk window on the TV showing the agent's screen,
 * nothing else. Thin on purpose: what customers see is the React screen the browser tests drive in
 * Chromium, and everything the box does (hub link, LED bus, keypads, voice) is the agent. The window,
 * its crash and hang recovery and the app's lifecycle are @nextup/electron-shell, shared with the kiosk.
 *
 * - `--agent-url=URL`: show an agent that already runs (started by systemd as its own service).
 * - otherwise the agent starts in this process with its own command-line options (`--hub`,
 *   `--pairing-code`, `--data-dir`, `--port`, `--bus-port`, `--audio`; see src/agent/args.ts).
 *
 * The window may play sound without a tap (`autoplayPolicy`): the announcements come out of the
 * TV's HDMI with the picture. A crashed or hung page is reloaded; if the shell itself dies, systemd
 * restarts it (README).
 *
 * Electron does not run TypeScript: a packaged display bundles this file, preload.ts and the agent
 * (esbuild) first. Here the shell is typechecked against electron.d.ts; the Electron binary is not
 * downloaded (its postinstall is not allowed to run), so the same screen runs in Chromium instead.
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runShell, type ShellAgent } from '@nextup/electron-shell';
import * as electron from 'electron';

const here = dirname(fileURLToPath(import.meta.url));

async function startAgent(argv: string[]): Promise<ShellAgent> {
  const { parseDisplayArgs, pickDisplayArgs } = await import('../src/agent/args.ts');
  const { startDisplayAgent } = await import('../src/index.ts');
  const pino = (await import('pino')).default;
  // Electron adds its own switches; the agent sees only the ones it knows.
  const args = parseDisplayArgs(pickDisplayArgs(argv));
  if (args === 'help') throw new Error('no --help in the shell');
  const agent = await startDisplayAgent({
    ...args.options,
    logger: pino({ level: args.logLevel, base: { app: 'display' } }),
  });
  return { url: agent.url, close: () => agent.close() };
}

// Helper processes (GPU, audio) die on some TVs' drivers: worth a line in the journal.
electron.app.on('child-process-gone', (_event, details) => {
  console.error(
    JSON.stringify({ msg: 'display: a helper process died', type: details.type, reason: details.reason }),
  );
});

void runShell({
  electron,
  name: 'display',
  what: 'display screen',
  backgroundColor: '#0b1d33',
  preload: join(here, 'preload.js'),
  // The calls are spoken by this page: no tap will ever come on a wall TV.
  switches: { 'autoplay-policy': 'no-user-gesture-required' },
  webPreferences: {
    autoplayPolicy: 'no-user-gesture-required',
    // Keep the clock and the highlight running when the window is covered or unfocused.
    backgroundThrottling: false,
  },
  startAgent,
});
