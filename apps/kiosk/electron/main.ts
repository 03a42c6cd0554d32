/**
 * The kiosk's Electron shell: one full-screen kiosk window on the agent's UI, nothing else. Thin on
 * purpose — everything a customer sees is the same React UI that the browser tests drive in
 * Chromium, and everything the box does is the agent (pairing, printer, hub link).
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
import { app, BrowserWindow, Menu, powerSaveBlocker, session } from 'electron';

const here = dirname(fileURLToPath(import.meta.url));
/** How long to wait before reloading a crashed or unreachable UI, ms. */
const RELOAD_DELAY_MS = 1500;

interface Agent {
  url: string;
  close?: () => Promise<void>;
}

async function startAgent(argv: string[]): Promise<Agent> {
  const given = argv.find((a) => a.startsWith('--agent-url='))?.slice('--agent-url='.length);
  if (given) return { url: given };
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

function openWindow(url: string): BrowserWindow {
  const origin = new URL(url).origin;
  const win = new BrowserWindow({
    kiosk: true,
    fullscreen: true,
    frame: false,
    autoHideMenuBar: true,
    backgroundColor: '#eef2f7',
    show: false,
    webPreferences: {
      preload: join(here, 'preload.js'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      spellcheck: false,
      devTools: false,
    },
  });
  const load = () => void win.loadURL(url).catch(() => {});
  const reloadSoon = () => setTimeout(() => !win.isDestroyed() && load(), RELOAD_DELAY_MS);
  const contents = win.webContents;

  // A kiosk shows its own UI only: no new windows, no navigation elsewhere, no pinch zoom.
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  contents.on('will-navigate', (event, target) => {
    if (new URL(target).origin !== origin) event.preventDefault();
  });
  void contents.setVisualZoomLevelLimits(1, 1);

  // Restart the UI after a crash or a hang; retry while the agent is not up yet.
  contents.on('render-process-gone', (_event, details) => {
    console.error(JSON.stringify({ msg: 'kiosk UI crashed; reloading', reason: details.reason }));
    reloadSoon();
  });
  win.on('unresponsive', () => {
    console.error(JSON.stringify({ msg: 'kiosk UI hung; restarting it' }));
    contents.forcefullyCrashRenderer();
  });
  contents.on('did-fail-load', (_event, code, description, _url, isMainFrame) => {
    if (!isMainFrame) return;
    console.error(JSON.stringify({ msg: 'kiosk UI did not load; retrying', code, description }));
    reloadSoon();
  });
  win.once('ready-to-show', () => win.show());
  load();
  return win;
}

async function main() {
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return;
  }
  Menu.setApplicationMenu(null);
  await app.whenReady();
  // No camera, microphone, notifications or geolocation for a ticket kiosk.
  session.defaultSession.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  powerSaveBlocker.start('prevent-display-sleep');
  const agent = await startAgent(process.argv.slice(1));
  let win = openWindow(agent.url);
  app.on('second-instance', () => win.focus());
  app.on('window-all-closed', () => {
    // Only a kiosk technician can close it (there is no frame); open it again rather than leave a desktop.
    win = openWindow(agent.url);
  });
  let quitting = false;
  app.on('before-quit', (event) => {
    if (quitting || !agent.close) return;
    event.preventDefault();
    quitting = true;
    void agent.close().finally(() => app.quit());
  });
}

void main().catch((e) => {
  console.error(JSON.stringify({ msg: 'kiosk shell failed to start', err: String(e) }));
  app.exit(1);
});
