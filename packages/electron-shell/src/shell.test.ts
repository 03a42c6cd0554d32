import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import {
  agentUrlArg,
  openShellWindow,
  runShell,
  type ShellAgent,
  type ShellElectron,
  type ShellLogger,
} from './index.ts';

/**
 * Electron's binary cannot run here (it is not downloaded), so these tests pass a fake of the few
 * main-process objects a shell touches. It records calls and lets the test fire Electron's events.
 */
class FakeWebContents extends EventEmitter {
  openHandler: (() => { action: string }) | null = null;
  zoomLimits: [number, number] | null = null;
  crashes = 0;
  setWindowOpenHandler(h: () => { action: string }) {
    this.openHandler = h;
  }
  setVisualZoomLevelLimits(min: number, max: number) {
    this.zoomLimits = [min, max];
    return Promise.resolve();
  }
  forcefullyCrashRenderer() {
    this.crashes++;
  }
}

class FakeBrowserWindow extends EventEmitter {
  static opened: FakeBrowserWindow[] = [];
  readonly webContents = new FakeWebContents();
  readonly loads: string[] = [];
  shown = false;
  focused = 0;
  destroyed = false;
  constructor(readonly options: Record<string, any>) {
    super();
    FakeBrowserWindow.opened.push(this);
  }
  loadURL(url: string) {
    this.loads.push(url);
    return Promise.resolve();
  }
  isDestroyed() {
    return this.destroyed;
  }
  show() {
    this.shown = true;
  }
  focus() {
    this.focused++;
  }
}

class FakeApp extends EventEmitter {
  readonly calls: string[] = [];
  readonly switches: [string, string][] = [];
  exitCode: number | null = null;
  constructor(readonly primary = true) {
    super();
  }
  requestSingleInstanceLock() {
    return this.primary;
  }
  quit() {
    this.calls.push('quit');
  }
  exit(code: number) {
    this.exitCode = code;
  }
  whenReady() {
    this.calls.push('ready');
    return Promise.resolve();
  }
  readonly commandLine = {
    appendSwitch: (name: string, value: string) => {
      this.calls.push(`switch ${name}`);
      this.switches.push([name, value]);
    },
  };
}

function fakeElectron(app = new FakeApp()) {
  FakeBrowserWindow.opened = [];
  const state = {
    menu: undefined as unknown,
    permissionHandler: null as ((wc: unknown, p: string, cb: (ok: boolean) => void) => void) | null,
    blockers: [] as string[],
  };
  const electron = {
    app,
    BrowserWindow: FakeBrowserWindow,
    Menu: {
      setApplicationMenu: (m: unknown) => {
        state.menu = m;
      },
    },
    powerSaveBlocker: { start: (type: string) => state.blockers.push(type) },
    session: {
      defaultSession: {
        setPermissionRequestHandler: (h: any) => {
          state.permissionHandler = h;
        },
      },
    },
  } as unknown as ShellElectron;
  return { electron, app, state };
}

function recordingLogger(): ShellLogger & { lines: { msg: string; obj: Record<string, unknown> }[] } {
  const lines: { msg: string; obj: Record<string, unknown> }[] = [];
  return { lines, error: (obj, msg) => void lines.push({ msg, obj }) };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const windowOptions = (electron: ShellElectron, logger: ShellLogger) => ({
  electron,
  what: 'kiosk UI',
  backgroundColor: '#eef2f7',
  preload: '/opt/nextup/preload.js',
  reloadDelayMs: 10,
  logger,
});

describe('agentUrlArg', () => {
  it('finds --agent-url=URL among Electron’s own switches', () => {
    expect(agentUrlArg(['app.js', '--no-sandbox', '--agent-url=http://127.0.0.1:8310'])).toBe(
      'http://127.0.0.1:8310',
    );
    expect(agentUrlArg(['app.js', '--hub', 'http://hub:8300'])).toBeUndefined();
  });
});

describe('openShellWindow', () => {
  it('opens a locked-down frameless full-screen window on the agent, with the app’s own extras', () => {
    const { electron } = fakeElectron();
    const win = openShellWindow('http://127.0.0.1:8400/', {
      ...windowOptions(electron, recordingLogger()),
      backgroundColor: '#0b1d33',
      webPreferences: { autoplayPolicy: 'no-user-gesture-required', backgroundThrottling: false },
    }) as unknown as FakeBrowserWindow;
    expect(win.options).toEqual({
      kiosk: true,
      fullscreen: true,
      frame: false,
      autoHideMenuBar: true,
      backgroundColor: '#0b1d33',
      show: false,
      webPreferences: {
        preload: '/opt/nextup/preload.js',
        contextIsolation: true,
        sandbox: true,
        nodeIntegration: false,
        spellcheck: false,
        devTools: false,
        autoplayPolicy: 'no-user-gesture-required',
        backgroundThrottling: false,
      },
    });
    expect(win.loads).toEqual(['http://127.0.0.1:8400/']);
    expect(win.shown).toBe(false);
    win.emit('ready-to-show');
    expect(win.shown).toBe(true);
  });

  it('denies new windows, navigation to another origin and zoom, but lets the UI move within itself', () => {
    const { electron } = fakeElectron();
    const win = openShellWindow(
      'http://127.0.0.1:8310/',
      windowOptions(electron, recordingLogger()),
    ) as unknown as FakeBrowserWindow;
    const contents = win.webContents;
    expect(contents.openHandler?.()).toEqual({ action: 'deny' });
    expect(contents.zoomLimits).toEqual([1, 1]);
    const navigate = (target: string) => {
      let prevented = false;
      contents.emit(
        'will-navigate',
        {
          preventDefault: () => {
            prevented = true;
          },
        },
        target,
      );
      return prevented;
    };
    expect(navigate('https://example.com/')).toBe(true);
    expect(navigate('http://127.0.0.1:9999/')).toBe(true);
    expect(navigate('http://127.0.0.1:8310/appointment')).toBe(false);
  });

  it('reloads after a crash or a failed load of the page, restarts a hung page, and says so', async () => {
    const { electron } = fakeElectron();
    const logger = recordingLogger();
    const win = openShellWindow(
      'http://127.0.0.1:8310/',
      windowOptions(electron, logger),
    ) as unknown as FakeBrowserWindow;
    const contents = win.webContents;

    contents.emit('render-process-gone', {}, { reason: 'oom' });
    await sleep(50);
    expect(win.loads).toHaveLength(2);

    // A frame inside the page failing is not the page failing.
    contents.emit('did-fail-load', {}, -3, 'ABORTED', 'http://127.0.0.1:8310/x', false);
    contents.emit('did-fail-load', {}, -102, 'CONNECTION_REFUSED', 'http://127.0.0.1:8310/', true);
    await sleep(50);
    expect(win.loads).toHaveLength(3);

    win.emit('unresponsive');
    expect(contents.crashes).toBe(1);

    // A window destroyed meanwhile is not reloaded.
    contents.emit('render-process-gone', {}, { reason: 'crashed' });
    win.destroyed = true;
    await sleep(50);
    expect(win.loads).toHaveLength(3);

    expect(logger.lines).toEqual([
      { msg: 'kiosk UI crashed; reloading', obj: { reason: 'oom' } },
      { msg: 'kiosk UI did not load; retrying', obj: { code: -102, description: 'CONNECTION_REFUSED' } },
      { msg: 'kiosk UI hung; restarting it', obj: {} },
      { msg: 'kiosk UI crashed; reloading', obj: { reason: 'crashed' } },
    ]);
  });
});

describe('runShell', () => {
  it('starts the agent, opens its window, grants no permission, keeps the screen awake, and closes the agent before quitting', async () => {
    const { electron, app, state } = fakeElectron();
    let closed = 0;
    const started: string[][] = [];
    await runShell({
      ...windowOptions(electron, recordingLogger()),
      name: 'display',
      switches: { 'autoplay-policy': 'no-user-gesture-required' },
      argv: ['main.js', '--hub', 'http://hub:8300'],
      startAgent: async (argv): Promise<ShellAgent> => {
        started.push(argv);
        return { url: 'http://127.0.0.1:8400/', close: async () => void closed++ };
      },
    });
    // Switches go in before the app is ready, or Chromium ignores them.
    expect(app.calls).toEqual(['switch autoplay-policy', 'ready']);
    expect(app.switches).toEqual([['autoplay-policy', 'no-user-gesture-required']]);
    expect(state.menu).toBeNull();
    expect(state.blockers).toEqual(['prevent-display-sleep']);
    let granted: boolean | null = null;
    state.permissionHandler?.(null, 'media', (ok) => {
      granted = ok;
    });
    expect(granted).toBe(false);
    expect(started).toEqual([['main.js', '--hub', 'http://hub:8300']]);
    expect(FakeBrowserWindow.opened.map((w) => w.loads[0])).toEqual(['http://127.0.0.1:8400/']);

    app.emit('second-instance');
    expect(FakeBrowserWindow.opened[0]!.focused).toBe(1);
    app.emit('window-all-closed');
    expect(FakeBrowserWindow.opened).toHaveLength(2);

    let prevented = 0;
    const quitEvent = { preventDefault: () => void prevented++ };
    app.emit('before-quit', quitEvent);
    await sleep(10);
    expect(closed).toBe(1);
    expect(prevented).toBe(1);
    expect(app.calls.at(-1)).toBe('quit');
    // The second before-quit (from app.quit()) goes through.
    app.emit('before-quit', quitEvent);
    expect(prevented).toBe(1);
    expect(closed).toBe(1);
  });

  it('shows an agent that already runs (--agent-url) without starting one, and lets the app quit at once', async () => {
    const { electron, app } = fakeElectron();
    let starts = 0;
    await runShell({
      ...windowOptions(electron, recordingLogger()),
      name: 'kiosk',
      argv: ['main.js', '--agent-url=http://127.0.0.1:8310'],
      startAgent: async () => {
        starts++;
        return { url: 'http://127.0.0.1:1/' };
      },
    });
    expect(starts).toBe(0);
    expect(FakeBrowserWindow.opened.map((w) => w.loads[0])).toEqual(['http://127.0.0.1:8310']);
    let prevented = false;
    app.emit('before-quit', {
      preventDefault: () => {
        prevented = true;
      },
    });
    expect(prevented).toBe(false);
  });

  it('leaves a second instance to the first', async () => {
    const { electron, app } = fakeElectron(new FakeApp(false));
    await runShell({
      ...windowOptions(electron, recordingLogger()),
      name: 'kiosk',
      argv: [],
      startAgent: async () => ({ url: 'http://127.0.0.1:8310/' }),
    });
    expect(app.calls).toEqual(['quit']);
    expect(FakeBrowserWindow.opened).toHaveLength(0);
  });

  it('exits 1 (for systemd to restart it) when the agent cannot start, and says why', async () => {
    const { electron, app } = fakeElectron();
    const logger = recordingLogger();
    await runShell({
      ...windowOptions(electron, logger),
      name: 'kiosk',
      argv: ['main.js', '--help'],
      startAgent: async () => {
        throw new Error('no --help in the shell');
      },
    });
    expect(app.exitCode).toBe(1);
    expect(logger.lines).toEqual([
      { msg: 'kiosk shell failed to start', obj: { err: 'Error: no --help in the shell' } },
    ]);
    expect(FakeBrowserWindow.opened).toHaveLength(0);
  });
});
