/**
 * The display's Electron shell: one full-screen kiosk window on the TV showing the agent's screen,
 * nothing else. Thin on purpose: what customers see is the React screen the browser tests drive in
 * Chromium, and everything the box does (hub link, LED bus, keypads, voice) is the agent.
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
import { app, BrowserWindow, Menu, powerSaveBlocker, session } from 'electron';

const here = dirname(fileURLToPath(import.meta.url));
/** How long to wait before reloading a crashed or unreachable screen, ms. */
const RELOAD_DELAY_MS = 1500;

interface Agent {
  url: string;
  stop?: () => Promise<void>;
}

async function startAgent(argv: string[]): Promise<Agent> {
  const given = argv.find((a) => a.startsWith('--agent-url='))?.slice('--agent-url='.length);
  if (given) return { url: given };
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
  return { url: agent.url, stop: () => agent.stop() };
}

function openWindow(url: string): BrowserWindow {
  const origin = new URL(url).origin;
  const win = new BrowserWindow({
    kiosk: true,
    fullscreen: true,
    frame: false,
    autoHideMenuBar: true,
    backgroundColor: '#0b1d33',
    show: false,
    webPreferences: {
      preload: join(here, 'preload.js'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      spellcheck: false,
      devTools: false,
      // The calls are spoken by this page: no tap will ever come on a wall TV.
      autoplayPolicy: 'no-user-gesture-required',
      // Keep the clock and the highlight running when the window is covered or unfocused.
      backgroundThrottling: false,
    },
  });
  const load = () => void win.loadURL(url).catch(() => {});
  const reloadSoon = () => setTimeout(() => !win.isDestroyed() && load(), RELOAD_DELAY_MS);
  const contents = win.webContents;

  // The TV shows its own screen only: no new windows, no navigation elsewhere, no zoom.
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  contents.on('will-navigate', (event, target) => {
    if (new URL(target).origin !== origin) event.preventDefault();
  });
  void contents.setVisualZoomLevelLimits(1, 1);

  // Restart the screen after a crash or a hang; retry while the agent is not up yet.
  contents.on('render-process-gone', (_event, details) => {
    console.error(JSON.stringify({ msg: 'display screen crashed; reloading', reason: details.reason }));
    reloadSoon();
  });
  win.on('unresponsive', () => {
    console.error(JSON.stringify({ msg: 'display screen hung; restarting it' }));
    contents.forcefullyCrashRenderer();
  });
  contents.on('did-fail-load', (_event, code, description, _url, isMainFrame) => {
    if (!isMainFrame) return;
    console.error(JSON.stringify({ msg: 'display screen did not load; retrying', code, description }));
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
  app.commandLine.appendSwitch('autoplay-policy', 'no-user-gesture-required');
  await app.whenReady();
  // A call screen needs no camera, microphone, notifications or location.
  session.defaultSession.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  powerSaveBlocker.start('prevent-display-sleep');
  const agent = await startAgent(process.argv.slice(1));
  let win = openWindow(agent.url);
  app.on('second-instance', () => win.focus());
  app.on('child-process-gone', (_event, details) => {
    console.error(
      JSON.stringify({ msg: 'display: a helper process died', type: details.type, reason: details.reason }),
    );
  });
  app.on('window-all-closed', () => {
    // The window has no frame: if it is closed anyway, open it again rather than leave a desktop on the TV.
    win = openWindow(agent.url);
  });
  let quitting = false;
  app.on('before-quit', (event) => {
    if (quitting || !agent.stop) return;
    event.preventDefault();
    quitting = true;
    void agent.stop().finally(() => app.quit());
  });
}

void main().catch((e) => {
  console.error(JSON.stringify({ msg: 'display shell failed to start', err: String(e) }));
  // Exit non-zero so that systemd restarts the shell.
  app.exit(1);
});
