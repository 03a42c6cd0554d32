import { hostname } from 'node:os';
import {
  type DeviceAgent,
  type DeviceCredentials,
  type HubLink,
  type LinkStatus,
  type PairOutcome,
  type ReconnectPolicy,
  startDeviceAgent,
} from '@nextup/agent-kit';
import { type Logger, silentLogger } from '@nextup/hub-client';
import { type BranchView, emptyView } from '@nextup/hub-view';
import {
  type DisplayAgentMessage,
  type DisplayScreen,
  type DisplaySettings,
  defaultDeviceSettings,
  type HealthComponent,
  type LoggedEvent,
} from '@nextup/protocol';
import { buildScreen, CallBoard, type FreshCall } from './calls.ts';
import { HubClock } from './hub-clock.ts';
import type { ShownRecord } from './led/boards.ts';
import type { LedBus, MasterTuning } from './led/bus.ts';
import { startLedOutput, syncBoards } from './led-output.ts';
import { displayRoutes, parseDisplayPairRequest } from './local-routes.ts';
import { DEFAULT_DATA_DIR, PLACEHOLDER_CLIPS_DIR, UI_DIST_DIR } from './paths.ts';
import { type BusOverride, busConfigFor, shownCounters } from './plan.ts';
import type { AnnouncementQueue } from './voice/queue.ts';
import type { AudioSink } from './voice/sink.ts';
import { DisplayVoice } from './voice-output.ts';

export const DISPLAY_VERSION = '0.1.0';

export interface DisplayAgentOptions {
  /**
   * The box's folder: `credentials.json` (the pairing) and `voice/` (the branch's studio clips, which
   * win over the placeholders). Default apps/display/data.
   */
  dataDir?: string;
  /** The hub to pair with (also prefilled on the pairing screen). */
  hubUrl?: string | null;
  /** Pair at start with this six-digit code when the box is not paired yet. */
  pairingCode?: string | null;
  /** Credentials to use as they are (saved into `dataDir`). Default: those in `dataDir`, if any. */
  credentials?: DeviceCredentials | null;
  /** The name the box pairs under. Default "叫号屏 <hostname>". */
  name?: string;
  /** The local UI server's address. Default 127.0.0.1 (the screen runs on the box itself). */
  host?: string;
  /** The local UI server's port. Default 0 (a free port); the box's service uses 8400. */
  port?: number;
  /** The built TV screen. Default `apps/display/ui/dist`. */
  uiDistDir?: string;
  /**
   * The LED bus, in place of the settings' (`bus: null` there means no boards): a pty path for tests
   * and the demo. `null` = no bus whatever the settings say. Default: from the settings.
   */
  bus?: BusOverride | null;
  /** The bus master's timing. Default the master's (150 ms timeout, 2 retries). */
  busTuning?: MasterTuning;
  /** Retry opening the bus port this often, ms. Default 5000. */
  busReopenMs?: number;
  /** Ping answering boards this often so an unplugged one is noticed, ms. Default 30000. */
  boardCheckMs?: number;
  /**
   * Where the sound comes out: `'screen'` (default: the TV screen plays it, see UiAudioSink), a
   * command reading a WAV on stdin (`{ command: ['aplay', '-q', '-'] }`), or any AudioSink.
   */
  audio?: 'screen' | { command: string[] } | AudioSink;
  /** The generated placeholder clips. Default apps/display/data/voice-placeholder. */
  placeholderClipsDir?: string;
  /** Make missing placeholder clips at start (espeak-ng + sox). Default true. */
  makeClips?: boolean;
  /** espeak-ng for the clip fallback; null = none. Default 'espeak-ng'. */
  espeak?: string | null;
  /** How long a live call stays highlighted, ms. Default 12000. */
  newForMs?: number;
  /** The hub stream's reconnect back-off, ms. Defaults 250 and 5000. */
  reconnect?: ReconnectPolicy;
  /** Re-send unchanged health this often (the hub's "alive" signal), ms. Default 30000. */
  heartbeatMs?: number;
  /** How often the hub's clock is sampled for the branch clock, ms. Default 15000. */
  clockSampleMs?: number;
  logger?: Logger;
  /** Every board request acknowledged (bench and tests). */
  onShown?: (r: ShownRecord) => void;
}

export interface DisplayAgent {
  /** The TV screen's address (open it in the Electron window or Chromium). */
  readonly url: string;
  readonly port: number;
  /** 'pairing' until the box has credentials. */
  readonly status: 'pairing' | LinkStatus;
  readonly link: HubLink | null;
  readonly view: BranchView | null;
  /** What the screen shows now. */
  readonly screen: DisplayScreen | null;
  readonly settings: DisplaySettings;
  readonly led: LedBus;
  readonly voice: AnnouncementQueue;
  readonly health: HealthComponent[];
  /** Pairs with the hub (what the pairing screen does). */
  pair(hubUrl: string, code: string, name?: string): Promise<PairOutcome>;
  close(): Promise<void>;
}

/**
 * The display box's agent: the device lifecycle (`@nextup/agent-kit`: UI server, pairing, hub link,
 * health), and the display's own jobs on it: the TV screen (pushed to the UI), the LED boards and
 * keypads (over the RS-485 bus) and the spoken calls (one at a time).
 */
export async function startDisplayAgent(options: DisplayAgentOptions = {}): Promise<DisplayAgent> {
  const logger = options.logger ?? silentLogger;
  const dataDir = options.dataDir ?? DEFAULT_DATA_DIR;
  const board = new CallBoard(options.newForMs !== undefined ? { newForMs: options.newForMs } : {});
  let view: BranchView | null = null;
  let screen: DisplayScreen | null = null;
  let settings = defaultDeviceSettings('display') as DisplaySettings;
  let caughtUp = false;
  /** The lifecycle; null until it has started (its first callbacks may come before). */
  let device: DeviceAgent | null = null;
  const link = () => device?.link ?? null;

  const clock = new HubClock({
    sampleMs: options.clockSampleMs ?? 15_000,
    // The hall's hours move on with the clock (the board and the TV say "closed for today").
    onSample: () => {
      sync();
      publish();
    },
  });
  const voice = new DisplayVoice({
    dataDir,
    placeholderClipsDir: options.placeholderClipsDir ?? PLACEHOLDER_CLIPS_DIR,
    makeClips: options.makeClips !== false,
    espeak: options.espeak,
    audio: options.audio ?? 'screen',
    view: () => view,
    onHealth: () => device?.reportHealth(),
    logger,
  });
  const led = startLedOutput({
    logger,
    link,
    view: () => view,
    onHealth: () => device?.reportHealth(),
    onReady: () => sync(),
    onShown: options.onShown,
    busTuning: options.busTuning,
    busReopenMs: options.busReopenMs,
    boardCheckMs: options.boardCheckMs,
  });
  const sync = () => syncBoards(led, view, settings, board, clock.now());
  const health = (): HealthComponent[] => [...led.health(), ...(voice.health ? [voice.health] : [])];

  // ── the screen ──
  function message(): DisplayAgentMessage {
    if (!device?.credentials) return { type: 'pairing', pairing: device?.pairing ?? pairingAtStart };
    return { type: 'screen', screen: currentScreen() };
  }
  function currentScreen(): DisplayScreen {
    if (screen) return screen;
    return buildScreen(emptyView(), board, {
      link: device?.link?.status ?? 'connecting',
      counters: [],
      clock: clock.sample,
      hubNow: clock.now(),
    });
  }
  function publish() {
    if (view)
      screen = buildScreen(view, board, {
        link: device?.link?.status ?? 'connecting',
        counters: shownCounters(view.state, settings),
        clock: clock.sample,
        hubNow: clock.now(),
      });
    device?.broadcast(message());
  }

  // ── the branch, as the hub link brings it ──
  function onView(v: BranchView, applied: LoggedEvent[], from: HubLink) {
    // The first change after every (re)connect is the catch-up (a snapshot, or the events missed
    // while the link was down): nothing in it is new. See CallBoard.
    const live = caughtUp;
    if (from.status === 'online') caughtUp = true;
    const prevSeq = view?.seq ?? -1;
    view = v;
    const mine = v.hub.devices.find((d) => d.deviceId === from.deviceId);
    if (mine?.settings.kind === 'display') settings = mine.settings;
    let fresh: FreshCall[] = [];
    if (applied.length === 0) {
      if (v.seq !== prevSeq) board.seed(v.state);
    } else {
      fresh = board.apply(applied, v.state, { live, localNow: Date.now(), hubNow: clock.now() });
    }
    const shown = shownCounters(v.state, settings);
    fresh = fresh.filter((c) => shown.includes(c.counterId));
    void led
      .configure(busConfigFor(v.state, settings, options.bus))
      .catch((e) => logger.error({ err: (e as Error).message }, 'led bus: configure failed'));
    sync();
    voice.makePlaceClips(v.state, settings);
    voice.announce(fresh, v.state, settings);
    publish();
  }

  const name = options.name ?? `叫号屏 ${hostname()}`.slice(0, 64);
  const pairingAtStart = { hubUrl: options.hubUrl ?? null, name, busy: false, error: null };
  const started = await startDeviceAgent({
    kind: 'display',
    dataDir,
    ...(options.hubUrl ? { hubUrl: options.hubUrl } : {}),
    ...(options.pairingCode ? { pairingCode: options.pairingCode } : {}),
    ...(options.credentials ? { credentials: options.credentials } : {}),
    name,
    ui: {
      distDir: options.uiDistDir ?? UI_DIST_DIR,
      ...(options.host ? { host: options.host } : {}),
      ...(options.port !== undefined ? { port: options.port } : {}),
    },
    routes: (app) => displayRoutes(app, { message, health, voice: voice.queue, uiSink: voice.uiSink }),
    parsePairRequest: parseDisplayPairRequest,
    message,
    onChange: publish,
    onLink: () => {
      clock.start(link);
      voice.checkHealth();
    },
    onStatus: (s, l) => {
      if (s !== 'online') caughtUp = false;
      else void clock.sampleFrom(l);
    },
    onView: (v, applied, _cause, from) => onView(v, applied, from),
    onRevoked: () => {
      logger.warn({}, 'display: the hub revoked this box; back to the pairing screen');
      view = null;
      screen = null;
      clock.stop();
      void led.configure(null);
    },
    health,
    version: DISPLAY_VERSION,
    ...(options.reconnect ? { reconnect: options.reconnect } : {}),
    ...(options.heartbeatMs !== undefined ? { heartbeatMs: options.heartbeatMs } : {}),
    logger,
  });
  device = started;

  return {
    url: started.url,
    port: started.port,
    get status() {
      return started.credentials ? started.status : 'pairing';
    },
    get link() {
      return started.link;
    },
    get view() {
      return view;
    },
    get screen() {
      return started.credentials ? currentScreen() : null;
    },
    get settings() {
      return settings;
    },
    led,
    voice: voice.queue,
    get health() {
      return health();
    },
    pair: (hubUrl, code, deviceName) => started.pair(hubUrl, code, deviceName),
    close: () =>
      started.close(async () => {
        clock.stop();
        await voice.close();
        await led.close();
      }),
  };
}
