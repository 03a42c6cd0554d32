/**
 * @nextup/electron-shell — what the kiosk's and the display's Electron shells share. A shell is thin on
 * purpose: one frameless full-screen kiosk window on the agent's local UI (the same page the browser
 * tests drive in Chromium), which shows nothing else, reloads itself after a crash, a hang or a failed
 * load, and closes the agent before the app quits. The agent either runs already (`--agent-url=URL`,
 * e.g. its own systemd service) or is started in-process by the shell's `startAgent`.
 *
 * Electron is passed in (`import * as electron from 'electron'`), not imported: this module only uses
 * its types, so it runs under plain Node with a fake in the tests (the Electron binary is not
 * downloaded here) and is typechecked against electron.d.ts like the shells.
 */
import type {
  App,
  BrowserWindow,
  BrowserWindowConstructorOptions,
  Menu,
  PowerSaveBlocker,
  Session,
  WebPreferences,
} from 'electron';

/** The parts of Electron's main-process API a shell uses. Pass Electron itself (`import * as electron from 'electron'`). */
export interface ShellElectron {
  app: App;
  BrowserWindow: new (options: BrowserWindowConstructorOptions) => BrowserWindow;
  Menu: { setApplicationMenu(menu: Menu | null): void };
  powerSaveBlocker: Pick<PowerSaveBlocker, 'start'>;
  session: { defaultSession: Pick<Session, 'setPermissionRequestHandler'> };
}

/** The agent a window shows: its local UI's URL, and how to close it when the shell started it. */
export interface ShellAgent {
  url: string;
  /** Closes an agent the shell started; absent for one given by `--agent-url`. */
  close?: () => Promise<void>;
}

/** Where the shell's log lines go (JSON lines on stderr by default; the box's journal keeps them). */
export interface ShellLogger {
  error(obj: Record<string, unknown>, msg: string): void;
}

/** Writes `{"msg":…, …}` lines to stderr. */
export const stderrLogger: ShellLogger = {
  error: (obj, msg) => console.error(JSON.stringify({ msg, ...obj })),
};

export interface ShellWindowOptions {
  /** Electron's main-process API. */
  electron: ShellElectron;
  /** What the window shows, for log lines: `'kiosk UI'` gives "kiosk UI crashed; reloading". */
  what: string;
  /** The page's background while it loads, e.g. `'#eef2f7'`. */
  backgroundColor: string;
  /** Absolute path of the bundled preload script. */
  preload: string;
  /**
   * Web preferences on top of the locked-down ones (context isolation, sandbox, no Node, no spell
   * check, no dev tools), e.g. the display's `autoplayPolicy`. Default none.
   */
  webPreferences?: WebPreferences;
  /** How long to wait before reloading a crashed or unreachable page, ms. Default 1500. */
  reloadDelayMs?: number;
  /** Default {@link stderrLogger}. */
  logger?: ShellLogger;
}

export interface RunShellOptions extends ShellWindowOptions {
  /** The app's name, for log lines: `'kiosk'` gives "kiosk shell failed to start". */
  name: string;
  /** Chromium switches to set before the app is ready (name → value). Default none. */
  switches?: Record<string, string>;
  /** The shell's arguments. Default `process.argv.slice(1)`. */
  argv?: string[];
  /**
   * Starts the agent in this process from the shell's arguments (Electron adds its own switches: pick
   * the agent's). Not called when `--agent-url=URL` is given.
   */
  startAgent: (argv: string[]) => Promise<ShellAgent>;
}

/** The URL of `--agent-url=URL`, if given. */
export function agentUrlArg(argv: readonly string[]): string | undefined {
  return argv.find((a) => a.startsWith('--agent-url='))?.slice('--agent-url='.length);
}

/**
 * Opens the frameless full-screen kiosk window on `url`: no new windows, no navigation to another
 * origin, no pinch zoom; the page is reloaded after a crash or a failed load (retried while the agent
 * is not up yet) and restarted when it hangs.
 */
export function openShellWindow(url: string, options: ShellWindowOptions): BrowserWindow {
  const { what } = options;
  const logger = options.logger ?? stderrLogger;
  const reloadDelayMs = options.reloadDelayMs ?? 1500;
  const origin = new URL(url).origin;
  const win = new options.electron.BrowserWindow({
    kiosk: true,
    fullscreen: true,
    frame: false,
    autoHideMenuBar: true,
    backgroundColor: options.backgroundColor,
    show: false,
    webPreferences: {
      preload: options.preload,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      spellcheck: false,
      devTools: false,
      ...options.webPreferences,
    },
  });
  const load = () => void win.loadURL(url).catch(() => {});
  const reloadSoon = () => setTimeout(() => !win.isDestroyed() && load(), reloadDelayMs);
  const contents = win.webContents;

  // The box shows its own page only: no new windows, no navigation elsewhere, no zoom.
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  contents.on('will-navigate', (event, target) => {
    if (new URL(target).origin !== origin) event.preventDefault();
  });
  void contents.setVisualZoomLevelLimits(1, 1);

  // Restart the page after a crash or a hang; retry while the agent is not up yet.
  contents.on('render-process-gone', (_event, details) => {
    logger.error({ reason: details.reason }, `${what} crashed; reloading`);
    reloadSoon();
  });
  win.on('unresponsive', () => {
    logger.error({}, `${what} hung; restarting it`);
    contents.forcefullyCrashRenderer();
  });
  contents.on('did-fail-load', (_event, code, description, _url, isMainFrame) => {
    if (!isMainFrame) return;
    logger.error({ code, description }, `${what} did not load; retrying`);
    reloadSoon();
  });
  win.once('ready-to-show', () => win.show());
  load();
  return win;
}

/**
 * A shell's whole life: one instance only, no menu, `switches` set, no permission ever granted (no
 * camera, microphone, notifications or location), the display kept awake, the agent started (or the
 * one at `--agent-url`), its window opened (again, if it is closed anyway: there is no frame, and a
 * desktop must never show), and the agent closed before quitting. If start-up fails the app exits 1
 * (systemd restarts it). Resolves once the window is open.
 */
export async function runShell(options: RunShellOptions): Promise<void> {
  const { app, Menu, session, powerSaveBlocker } = options.electron;
  const logger = options.logger ?? stderrLogger;
  try {
    if (!app.requestSingleInstanceLock()) {
      app.quit();
      return;
    }
    Menu.setApplicationMenu(null);
    for (const [name, value] of Object.entries(options.switches ?? {}))
      app.commandLine.appendSwitch(name, value);
    await app.whenReady();
    session.defaultSession.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
    powerSaveBlocker.start('prevent-display-sleep');
    const argv = options.argv ?? process.argv.slice(1);
    const given = agentUrlArg(argv);
    const agent: ShellAgent = given ? { url: given } : await options.startAgent(argv);
    let win = openShellWindow(agent.url, options);
    app.on('second-instance', () => win.focus());
    app.on('window-all-closed', () => {
      win = openShellWindow(agent.url, options);
    });
    let quitting = false;
    app.on('before-quit', (event) => {
      if (quitting || !agent.close) return;
      event.preventDefault();
      quitting = true;
      void agent.close().finally(() => app.quit());
    });
  } catch (e) {
    logger.error({ err: String(e) }, `${options.name} shell failed to start`);
    // Exit non-zero so that systemd restarts the shell.
    app.exit(1);
  }
}
