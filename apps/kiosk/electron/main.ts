/**
 * The kiosk's Electron shell: one full-screen kiosk window on the agent's UI, nothing else. Thin on
 * purpose — everything a customer sees is the same React UI that the browser tests drive in
 * Chromium, and everything the box does is the agent (pairing, printer, hub link). The window, its
 * crash and hang recovery and the app's lifecycle are @nextup/electron-shell, shared with the display.
 *
 * - `--agent-url=URL`: show an agent that already runs (e.g. started by systemd as its own service).
 * - otherwise the agent starts in this process with the agent's own command-line options
 *   (`--hub`, `--pairing-code`, `--data-dir`, `--port`, `--name`; see src/agent/args.ts).
 *
 * Electron does not run TypeScript: a packaged kiosk bundles this file, preload.ts and the agent
 * (esbuild) first. Here the shell is typechecked against electron.d.ts; the Electron binary is not
 * downloaded (its postinstall is not allowed to run), so the same UI runs in Chromium instead.
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runShell, type ShellAgent } from '@nextup/electron-shell';
import * as electron from 'electron';

const here = dirname(fileURLToPath(import.meta.url));

async function startAgent(argv: string[]): Promise<ShellAgent> {
  const { parseKioskArgs, pickKioskArgs } = await import('../src/agent/args.ts');
  const { startKioskAgent } = await import('../src/index.ts');
  const pino = (await import('pino')).default;
  // Electron adds its own switches; the agent sees only the ones it knows.
  const own = pickKioskArgs(argv);
  const options = parseKioskArgs(own);
  if (options === 'help') throw new Error('no --help in the shell');
  const agent = await startKioskAgent({
    dataDir: options.dataDir,
    port: options.port,
    host: options.host,
    logger: pino({ level: options.logLevel, base: { app: 'kiosk' } }),
    ...(options.hubUrl && options.pairingCode
      ? { hubUrl: options.hubUrl, pairingCode: options.pairingCode }
      : {}),
    ...(options.name ? { name: options.name } : {}),
  });
  return { url: agent.url, close: () => agent.close() };
}

// A touch kiosk needs nothing beyond the shared window: no sound policy, the UI's light background.
void runShell({
  electron,
  name: 'kiosk',
  what: 'kiosk UI',
  backgroundColor: '#eef2f7',
  preload: join(here, 'preload.js'),
  startAgent,
});
