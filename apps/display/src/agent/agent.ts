import { hostname } from 'node:os';
import { join } from 'node:path';
import {
  CredentialStore,
  type DeviceCredentials,
  HubLink,
  type LinkStatus,
  type PairOutcome,
  pairWithHub,
  startUiServer,
  type UiServer,
} from '@nextup/agent-kit';
import type { QueueState } from '@nextup/core';
import { type Logger, silentLogger } from '@nextup/hub-client';
import { type BranchView, emptyView } from '@nextup/hub-view';
import { type KeyEvent, KeypadRouter } from '@nextup/ledbus';
import {
  type DeviceHealth,
  type DisplayAgentMessage,
  type DisplayPairingState,
  type DisplayScreen,
  type DisplaySettings,
  defaultDeviceSettings,
  displayPairRequest,
  type HealthComponent,
  healthResponse,
  type LoggedEvent,
  parseWith,
} from '@nextup/protocol';
import { buildScreen, CallBoard, type FreshCall } from './calls.ts';
import { hallState } from './hall.ts';
import type { ShownRecord } from './led/boards.ts';
import { LedBus, type MasterTuning } from './led/bus.ts';
import { DEFAULT_DATA_DIR, PLACEHOLDER_CLIPS_DIR, UI_DIST } from './paths.ts';
import { type BusOverride, busConfigFor, planBoards, shownCounters } from './plan.ts';
import { ClipLibrary } from './voice/clips.ts';
import { makePlaceholderClips } from './voice/make-clips.ts';
import { AnnouncementQueue, type AnnouncementRecord } from './voice/queue.ts';
import { type AudioSink, CommandAudioSink } from './voice/sink.ts';
import { UiAudioSink } from './voice/ui-sink.ts';
import { placeClipsOf } from './voice/vocabulary.ts';

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
  /** Use these credentials (not read from or saved to the data folder): the demo and tests. */
  credentials?: DeviceCredentials | null;
  /** The name the box pairs under. Default "叫号屏 <hostname>". */
  name?: string;
  /** The local UI server's address. Default 127.0.0.1 (the screen runs on the box itself). */
  host?: string;
  /** The local UI server's port. Default 0 (a free port); the box's service uses 8400. */
  port?: number;
  /** The built TV screen. Default apps/display/dist. */
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
  /** The hub link's timing. */
  link?: { minBackoffMs?: number; maxBackoffMs?: number; heartbeatMs?: number };
  /** How often the hub's clock is sampled for the branch clock, ms. Default 15000. */
  clockSampleMs?: number;
  logger?: Logger;
  /** Every board request acknowledged (bench and tests). */
  onShown?: (r: ShownRecord) => void;
  /** Every live call (bench and tests), after it was handed to the boards, the voice and the screen. */
  onCall?: (c: FreshCall) => void;
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
  /** Resolves when the boards and the voice have nothing left to do (tests). */
  settle(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * The display box's agent: pairs with the hub, follows the branch over the hub link, and turns it
 * into the TV screen (pushed to the UI), the LED boards (over the RS-485 bus) and the spoken calls
 * (one at a time); relays the tellers' keypad presses on the same bus to the hub.
 */
export async function startDisplayAgent(options: DisplayAgentOptions = {}): Promise<DisplayAgent> {
  const logger = options.logger ?? silentLogger;
  const dataDir = options.dataDir ?? DEFAULT_DATA_DIR;
  const store = options.credentials ? null : new CredentialStore(join(dataDir, 'credentials.json'));
  const name = options.name ?? `叫号屏 ${hostname()}`.slice(0, 64);
  const board = new CallBoard(options.newForMs !== undefined ? { newForMs: options.newForMs } : {});

  let credentials: DeviceCredentials | null = options.credentials ?? store?.load() ?? null;
  let link: HubLink | null = null;
  let pairing: DisplayPairingState = { hubUrl: options.hubUrl ?? null, name, busy: false, error: null };
  let view: BranchView | null = null;
  let screen: DisplayScreen | null = null;
  let settings = defaultDeviceSettings('display') as DisplaySettings;
  let caughtUp = false;
  let clock: { hubTime: number; localTime: number } | null = null;
  let clockTimer: NodeJS.Timeout | null = null;
  let stopped = false;
  let ui: UiServer | null = null;
  let audioHealth: HealthComponent | null = null;

  // ── voice ──
  const placeholderDir = options.placeholderClipsDir ?? PLACEHOLDER_CLIPS_DIR;
  let clipsReady: Promise<unknown> =
    options.makeClips === false
      ? Promise.resolve()
      : makePlaceholderClips(placeholderDir, { logger }).catch((e) => {
          logger.warn(
            { err: (e as Error).message },
            'voice: cannot make the placeholder clips; synthesising instead',
          );
        });
  /** The place clips (贵宾室, "VIP room") of the counter names made so far, or being made. */
  let placesKey = '';
  function makePlaceClips(state: QueueState) {
    if (options.makeClips === false) return;
    const names = shownCounters(state, settings).map((id) => state.config.counters[id]!.name);
    const specs = placeClipsOf(names);
    const key = specs.map((c) => c.name).join('|');
    if (key === placesKey) return;
    placesKey = key;
    // After the fixed set (one generator at a time on a small box); a call meanwhile waits for it.
    clipsReady = clipsReady.then(() =>
      makePlaceholderClips(placeholderDir, { specs, logger }).catch((e) => {
        logger.warn(
          { err: (e as Error).message },
          'voice: cannot make the place clips; synthesising instead',
        );
      }),
    );
  }
  const library = new ClipLibrary({
    dirs: [join(dataDir, 'voice'), placeholderDir],
    ...(options.espeak !== undefined ? { espeak: options.espeak } : {}),
    logger,
  });
  const uiSink =
    options.audio === undefined || options.audio === 'screen' ? new UiAudioSink({ logger }) : null;
  const sink: AudioSink =
    uiSink ??
    (typeof options.audio === 'object' && 'play' in options.audio
      ? options.audio
      : new CommandAudioSink({ command: (options.audio as { command: string[] }).command }));
  const voice = new AnnouncementQueue({
    sink,
    library,
    ready: () => clipsReady,
    logger,
    // Said only while the customer is still called there (not after they came, a no-show, a transfer).
    isCurrent: (r) => {
      const state = view?.state;
      const t = state?.tickets[r.ticketId];
      return (
        t?.status === 'called' &&
        t.counterId === r.counterId &&
        state?.counters[r.counterId]?.ticketId === t.id
      );
    },
    onRecord: (r) => {
      if (r.outcome === 'spoken' || r.outcome === 'failed') setAudioHealth(r);
    },
  });
  uiSink?.onPlayersChange(() => setAudioHealth(null));

  function setAudioHealth(r: AnnouncementRecord | null) {
    const at = Date.now();
    let next: Omit<HealthComponent, 'since'>;
    if (r?.error)
      next = {
        component: 'audio',
        address: null,
        level: 'warning',
        code: 'ERROR',
        detail: r.error.message.slice(0, 64),
      };
    else if (uiSink && uiSink.players === 0)
      next = {
        component: 'audio',
        address: null,
        level: 'warning',
        code: 'OFFLINE',
        detail: 'no screen is playing sound',
      };
    else next = { component: 'audio', address: null, level: 'ok', code: 'OK', detail: null };
    if (audioHealth && audioHealth.code === next.code && audioHealth.detail === next.detail) return;
    audioHealth = { ...next, since: at };
    reportHealth();
  }

  // ── LED bus and keypads ──
  const router = new KeypadRouter({
    state: () => {
      const s = view?.state ?? emptyView().state;
      return { config: s.config, counters: s.counters };
    },
    send: async (command, meta) => {
      if (!link) throw new Error('not linked to a hub');
      const r = await link.command(command, meta.requestId);
      if (!r.ok)
        logger.warn(
          { keypad: meta.keypadAddress, key: meta.key, command: command.type, code: r.error.code },
          'keypad: the hub refused the command',
        );
    },
    logger,
  });
  const led = new LedBus({
    logger,
    onHealth: () => reportHealth(),
    onReady: () => syncBoards(),
    onKey: (e: KeyEvent) => void router.handle(e),
    ...(options.onShown ? { onShown: options.onShown } : {}),
    ...(options.busTuning ? { master: options.busTuning } : {}),
    ...(options.busReopenMs !== undefined ? { reopenMs: options.busReopenMs } : {}),
    ...(options.boardCheckMs !== undefined ? { boardCheckMs: options.boardCheckMs } : {}),
  });

  function syncBoards() {
    const sync = led.sync;
    if (!sync || !view) return;
    const shown = shownCounters(view.state, settings);
    const calls = board.calls(view.state, shown);
    sync.set(
      planBoards(view.state, settings, calls, (a) => led.statusOf(a), {
        areas: led.config?.areas ?? true,
        hall: hallState(view.state, shown, hubNow()),
      }),
    );
  }

  // ── health ──
  function health(): HealthComponent[] {
    return [...led.health(), ...(audioHealth ? [audioHealth] : [])];
  }
  function reportHealth() {
    if (!link) return;
    const h: DeviceHealth = { components: health().slice(0, 64), version: DISPLAY_VERSION };
    link.reportHealth(h);
  }

  // ── the screen ──
  function message(): DisplayAgentMessage {
    if (!credentials) return { type: 'pairing', pairing };
    return { type: 'screen', screen: currentScreen() };
  }
  function currentScreen(): DisplayScreen {
    if (screen) return screen;
    return buildScreen(emptyView(), board, {
      link: link?.status ?? 'connecting',
      counters: [],
      clock,
      hubNow: hubNow(),
    });
  }
  function publish() {
    if (view)
      screen = buildScreen(view, board, {
        link: link?.status ?? 'connecting',
        counters: shownCounters(view.state, settings),
        clock,
        hubNow: hubNow(),
      });
    ui?.broadcast(message());
  }

  // ── the hub link ──
  function hubNow(): number | null {
    return clock ? clock.hubTime + (Date.now() - clock.localTime) : null;
  }
  async function sampleClock() {
    if (!link) return;
    const t0 = Date.now();
    try {
      const r = await link.http.getJson(healthResponse, '/api/v1/health');
      const t1 = Date.now();
      if (r.ok) {
        clock = { hubTime: Math.round(r.value.time + (t1 - t0) / 2), localTime: t1 };
        // The hall's hours move on with the clock (the board and the TV say "closed for today").
        syncBoards();
        publish();
      }
    } catch {
      /* offline: the clock runs on from the last sample */
    }
  }

  function onView(v: BranchView, applied: LoggedEvent[]) {
    // The first change after every (re)connect is the catch-up (a snapshot, or the events missed
    // while the link was down): nothing in it is new. See CallBoard.
    const live = caughtUp;
    if (link?.status === 'online') caughtUp = true;
    const prevSeq = view?.seq ?? -1;
    view = v;
    const mine = v.hub.devices.find((d) => d.deviceId === credentials?.deviceId);
    if (mine?.settings.kind === 'display') settings = mine.settings;
    let fresh: FreshCall[] = [];
    if (applied.length === 0) {
      if (v.seq !== prevSeq) board.seed(v.state);
    } else {
      fresh = board.apply(applied, v.state, { live, localNow: Date.now(), hubNow: hubNow() });
    }
    const shown = shownCounters(v.state, settings);
    fresh = fresh.filter((c) => shown.includes(c.counterId));
    void led
      .configure(busConfigFor(v.state, settings, options.bus))
      .catch((e) => logger.error({ err: (e as Error).message }, 'led bus: configure failed'));
    syncBoards();
    makePlaceClips(v.state);
    for (const c of fresh) {
      const counter = v.state.config.counters[c.counterId];
      if (!counter) continue;
      voice.enqueue({
        key: c.key,
        ticketId: c.ticketId,
        counterId: c.counterId,
        number: c.number,
        counterNumber: c.counterNumber,
        counterName: counter.name,
        recall: c.recall,
        languages: settings.voice.languages,
        repeat: settings.voice.repeat,
      });
    }
    publish();
    for (const c of fresh) options.onCall?.(c);
  }

  function startLink(c: DeviceCredentials) {
    link = new HubLink({
      credentials: c,
      logger,
      onView,
      onStatus: (s) => {
        if (s !== 'online') caughtUp = false;
        else void sampleClock();
        if (s === 'revoked') onRevoked();
        publish();
      },
      ...(options.link?.minBackoffMs !== undefined ? { minBackoffMs: options.link.minBackoffMs } : {}),
      ...(options.link?.maxBackoffMs !== undefined ? { maxBackoffMs: options.link.maxBackoffMs } : {}),
      ...(options.link?.heartbeatMs !== undefined ? { heartbeatMs: options.link.heartbeatMs } : {}),
    });
    link.start();
    clockTimer = setInterval(() => void sampleClock(), options.clockSampleMs ?? 15_000);
    clockTimer.unref();
    setAudioHealth(null);
    reportHealth();
  }

  function onRevoked() {
    logger.warn({}, 'display: the hub revoked this box; back to the pairing screen');
    store?.clear();
    credentials = null;
    link = null;
    view = null;
    screen = null;
    if (clockTimer) clearInterval(clockTimer);
    void led.configure(null);
    pairing = {
      ...pairing,
      busy: false,
      error: {
        code: 'REVOKED',
        message: {
          zh: '本机已被网点管理员移除，请重新配对',
          en: 'This display was removed from the branch; pair it again',
        },
      },
    };
  }

  async function pair(hubUrl: string, code: string, deviceName = name): Promise<PairOutcome> {
    pairing = { hubUrl, name: deviceName, busy: true, error: null };
    publish();
    const r = await pairWithHub(hubUrl, code, deviceName);
    if (!r.ok) {
      pairing = { hubUrl, name: deviceName, busy: false, error: { code: r.code, message: r.message } };
      publish();
      return r;
    }
    if (r.credentials.kind !== 'display') {
      pairing = {
        hubUrl,
        name: deviceName,
        busy: false,
        error: {
          code: 'WRONG_KIND',
          message: {
            zh: `此配对码用于${r.credentials.kind}，不是叫号屏`,
            en: `That code pairs a ${r.credentials.kind}, not a display`,
          },
        },
      };
      publish();
      return { ok: false, code: 'WRONG_KIND', message: pairing.error!.message };
    }
    store?.save(r.credentials);
    credentials = r.credentials;
    pairing = { ...pairing, busy: false, error: null };
    startLink(r.credentials);
    publish();
    return r;
  }

  // ── the local server ──
  ui = await startUiServer({
    distDir: options.uiDistDir ?? UI_DIST,
    ...(options.host ? { host: options.host } : {}),
    ...(options.port !== undefined ? { port: options.port } : {}),
    initialMessage: message,
    routes: (app) => {
      uiSink?.attach(app);
      app.get('/local/state', async () => message());
      app.get('/local/health', async () => ({
        components: health(),
        voice: { pending: voice.pending, recent: voice.history.slice(-10) },
      }));
      app.post('/local/pair', async (req, reply) => {
        if (credentials)
          return reply.code(409).send({
            ok: false,
            code: 'ALREADY_PAIRED',
            message: { zh: '本机已配对', en: 'This display is already paired' },
          });
        const b = parseWith(displayPairRequest, req.body);
        if (!b.ok)
          return reply.code(400).send({
            ok: false,
            code: 'INVALID_MESSAGE',
            message: {
              zh: '请填写网点服务器地址和 6 位配对码',
              en: 'Enter the hub address and the 6-digit code',
            },
            detail: b.error,
          });
        const r = await pair(b.value.hubUrl, b.value.code, b.value.name);
        return r.ok ? { ok: true } : reply.code(400).send({ ok: false, code: r.code, message: r.message });
      });
    },
  });

  if (!credentials && options.hubUrl && options.pairingCode) await pair(options.hubUrl, options.pairingCode);
  else if (credentials) startLink(credentials);

  const server = ui;
  return {
    url: server.url,
    port: server.port,
    get status() {
      return credentials ? (link?.status ?? 'connecting') : 'pairing';
    },
    get link() {
      return link;
    },
    get view() {
      return view;
    },
    get screen() {
      return credentials ? currentScreen() : null;
    },
    get settings() {
      return settings;
    },
    led,
    voice,
    get health() {
      return health();
    },
    pair,
    async settle() {
      await voice.idle();
      await led.sync?.idle();
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      if (clockTimer) clearInterval(clockTimer);
      link?.stop();
      voice.close();
      await sink.close?.();
      await led.close();
      await server.close();
    },
  };
}
