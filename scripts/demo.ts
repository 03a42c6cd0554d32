/**
 * `pnpm start`: a whole demo branch on one machine, on embedded defaults.
 *
 *   hub          the branch server with its consoles (counter, admin, manager, report, booking)
 *   kiosk        the touch UI and its agent, printing to the virtual printer
 *   display      the TV screen and its agent, driving the virtual LED bus and announcing calls
 *   printer      the virtual ESC/POS printer on TCP, with a web page of what it printed
 *   LED bus      the virtual boards and keypads on a socat pty pair, with a JSON view
 *
 * Devices are paired automatically; the admin, a manager and two tellers (counters 1 and 2) are
 * created on the first run and their passwords kept in data/demo/accounts.json. A second start reuses
 * the data. With `--simulate [SPEED]` the simulator's customers and tellers bring the branch to life
 * (the hub's clock runs SPEED times faster, so a day passes in 8 h ÷ SPEED). Ctrl-C stops everything.
 *
 * Usage: pnpm start [--simulate [SPEED]] [--shape normal|payday|…] [--seed N] [--fresh] [--port 8300]
 */
import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { checkHours, localTime, sampleBranchConfig } from '@nextup/core';
import { UI_DIST_DIR as DISPLAY_UI_DIST_DIR, startDisplayAgent } from '@nextup/display';
import { EventLog, openDatabase, startHub } from '@nextup/hub';
import { UI_DIST_DIR as KIOSK_UI_DIST_DIR, startKioskAgent } from '@nextup/kiosk';
import { startVirtualBus } from '@nextup/ledbus-twin';
import { VirtualPrinter } from '@nextup/printer-twin';
import { type DeviceInfo, defaultDeviceSettings } from '@nextup/protocol';
import { DAY_SHAPE_IDS, type DayShapeId } from '@nextup/sim';
import pino from 'pino';
import { runSimulation } from './lib/demo-simulation.ts';
import { StaffSession } from './lib/hub-session.ts';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
// `pnpm start -- --simulate` forwards the `--` too: drop it.
const argv = process.argv.slice(2).filter((a) => a !== '--');
const { values } = parseArgs({
  args: argv,
  options: {
    simulate: { type: 'boolean', default: false },
    speed: { type: 'string' },
    shape: { type: 'string', default: 'normal' },
    seed: { type: 'string', default: '1' },
    fresh: { type: 'boolean', default: false },
    port: { type: 'string', default: '8300' },
    help: { type: 'boolean', default: false },
  },
  allowPositionals: true,
  strict: false,
});
if (values.help) {
  process.stdout.write(
    `usage: pnpm start [--simulate] [--speed 10] [--shape ${DAY_SHAPE_IDS.join('|')}] [--seed N] [--fresh] [--port 8300]\n`,
  );
  process.exit(0);
}
// `--simulate 20` works as well as `--simulate --speed 20`.
const positional = argv.find((a, i, all) => /^\d+(\.\d+)?$/.test(a) && all[i - 1] === '--simulate');
const speed = Number(values.speed ?? positional ?? 10);
const shape = String(values.shape) as DayShapeId;
if (!DAY_SHAPE_IDS.includes(shape)) throw new Error(`--shape must be one of ${DAY_SHAPE_IDS.join(', ')}`);
if (!(speed > 0 && speed <= 600)) throw new Error('--speed must be between 1 and 600');

const dataDir = join(root, 'data', 'demo');
if (values.fresh) rmSync(dataDir, { recursive: true, force: true });
mkdirSync(dataDir, { recursive: true });
// The demo prints what matters itself; the parts log only errors (a TV that is not open yet, for
// one, makes every announcement fail quietly until it is).
const log = pino({ level: 'error' });
const say = (line: string) => process.stdout.write(`${line}\n`);
const config = sampleBranchConfig();
const tz = config.branch.timeZone;

/** Tries a fixed port first, then any free one (another program may hold it). */
async function onPort<T>(preferred: number, start: (port: number) => Promise<T>): Promise<T> {
  try {
    return await start(preferred);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EADDRINUSE' && !String(e).includes('EADDRINUSE')) throw e;
    return start(0);
  }
}

// ── the clock: real, unless the branch is closed now (or the day is simulated) ──
// The hub continues from its log's last time when that is later than this origin (a second start
// of the same demo day), so the clock never runs backwards over what the branch already did.
const now = Date.now();
const today = localTime(now, tz).date;
const openNow = checkHours(config.branch.hours, now, tz).open;
const timeOrigin = values.simulate
  ? `${today}T08:30:00+08:00`
  : openNow
    ? new Date(now).toISOString()
    : `${today}T09:00:00+08:00`;
const timeRate = values.simulate ? speed : 1;

// ── the UIs: `pnpm start` builds them when stale (pnpm -r run build:if-stale) ──
for (const [app, dist] of [
  ['console', join(root, 'apps', 'console', 'dist')],
  ['kiosk', KIOSK_UI_DIST_DIR],
  ['display', DISPLAY_UI_DIST_DIR],
] as const) {
  if (!existsSync(join(dist, 'index.html')))
    throw new Error(
      `the ${app} UI is not built: run \`pnpm start\` (it builds them) or \`pnpm --filter @nextup/${app} build\``,
    );
}

// A second start of the same demo day continues from the log's last time (the hub's clock never
// runs behind its log). Read it before the hub starts: at a high --speed the clock runs on for
// minutes while the hub, the accounts and the devices start, which is no continuation.
const hubFile = join(dataDir, 'hub', 'hub.sqlite');
let logEnd = Number.NEGATIVE_INFINITY;
if (existsSync(hubFile)) {
  const db = openDatabase(hubFile);
  logEnd = new EventLog(db).lastAt() ?? logEnd;
  db.close();
}
const continued = logEnd > Date.parse(timeOrigin);

// ── the hub ──
const setupTokenFile = join(dataDir, 'setup-token');
const hub = await onPort(Number(values.port), (port) =>
  startHub({
    port,
    dataDir: join(dataDir, 'hub'),
    logger: log,
    setupTokenFile,
    timeOrigin,
    timeRate,
  }),
);
const base = hub.url;
const hubNow = () => hub.hub.clock.now();

// ── accounts: made once, then reused ──
interface Accounts {
  admin: string;
  manager: string;
  teller1: string;
  teller2: string;
}
const accountsFile = join(dataDir, 'accounts.json');
const randomPassword = () =>
  `demo-${Math.random().toString(36).slice(2, 8)}-${Math.random().toString(36).slice(2, 8)}`;
let accounts: Accounts;
let admin: StaffSession;
if (hub.setupToken) {
  accounts = {
    admin: randomPassword(),
    manager: randomPassword(),
    teller1: randomPassword(),
    teller2: randomPassword(),
  };
  admin = await StaffSession.setUp(base, hub.setupToken, 'admin', accounts.admin);
  for (const [username, role, counterIds, displayName] of [
    ['manager', 'manager', [], '王经理 Manager Wang'],
    ['teller1', 'teller', ['c1'], '李娜 Li Na'],
    ['teller2', 'teller', ['c2'], '张伟 Zhang Wei'],
  ] as const) {
    const r = await admin.request('POST', '/api/v1/admin/staff', {
      username,
      displayName,
      role,
      counterIds,
      password: accounts[username],
    });
    if (r.status !== 200) throw new Error(`could not create ${username}: ${JSON.stringify(r.body)}`);
  }
  writeFileSync(accountsFile, `${JSON.stringify(accounts, null, 2)}\n`, { mode: 0o600 });
  chmodSync(accountsFile, 0o600);
} else {
  if (!existsSync(accountsFile))
    throw new Error(`data/demo has a hub but no accounts.json: start again with --fresh`);
  accounts = JSON.parse(readFileSync(accountsFile, 'utf8')) as Accounts;
  admin = await StaffSession.signIn(base, 'admin', accounts.admin);
}
await admin.request('PUT', '/api/v1/notice', {
  notice: {
    zh: '欢迎光临示范支行。5 万元以下存取款请使用智能柜台，更快捷。',
    en: 'Welcome. Cash up to ¥50,000 is faster at the smart counter.',
  },
});

// ── the virtual devices ──
const printer = new VirtualPrinter();
const printerPort = await onPort(9100, (port) => printer.listen({ port, host: '127.0.0.1' }));
const printerHttp = await onPort(9101, (port) => printer.listenHttp({ port, host: '127.0.0.1' }));
const bus = await onPort(9102, (httpPort) =>
  startVirtualBus({
    boards: config.counterOrder.map((id) => config.counters[id]!.ledAddress!).filter(Boolean),
    keypads: config.counterOrder.map((id) => config.counters[id]!.keypadAddress!).filter(Boolean),
    mainBoards: [200],
    httpPort,
  }),
);

// ── pairing: a kiosk and a display join with codes, as branch IT would do it on a blank box ──
const pairingCode = async (kind: 'kiosk' | 'display', name: string) => {
  const r = await admin.request<{ code: string }>('POST', '/api/v1/admin/pairing-codes', { kind, name });
  if (r.status !== 200) throw new Error(`pairing code: ${JSON.stringify(r.body)}`);
  return r.body.code;
};
const kioskDir = join(dataDir, 'kiosk');
const displayDir = join(dataDir, 'display');
const kioskPaired = existsSync(join(kioskDir, 'credentials.json'));
const kiosk = await onPort(8310, async (port) =>
  startKioskAgent({
    dataDir: kioskDir,
    hubUrl: base,
    ...(kioskPaired ? {} : { pairingCode: await pairingCode('kiosk', '大厅取号机 Hall kiosk') }),
    name: '大厅取号机 Hall kiosk',
    port,
    logger: log,
  }),
);
await kiosk.waitFor((s) => s.link === 'online', 20_000);
const displayPaired = existsSync(join(displayDir, 'credentials.json'));
const display = await onPort(8400, async (port) =>
  startDisplayAgent({
    dataDir: displayDir,
    hubUrl: base,
    ...(displayPaired ? {} : { pairingCode: await pairingCode('display', '大厅叫号屏 Hall display') }),
    name: '大厅叫号屏 Hall display',
    port,
    logger: log,
  }),
);
// The devices' settings live on the hub: the kiosk's printer is the virtual one.
if (kiosk.deviceId) {
  await admin.request('PUT', `/api/v1/admin/devices/${kiosk.deviceId}/settings`, {
    settings: {
      kind: 'kiosk',
      printer: { url: `tcp://127.0.0.1:${printerPort}`, paperWidth: 80, chinese: 'native', qr: 'native' },
      idleSeconds: 20,
      services: [],
    },
  });
}
// The display's boards and keypads are on the virtual bus: set on the hub as branch IT would (the
// device list then says where its LED line is; the hub takes keypad presses only from a display whose
// settings give it a bus), with the pty's path, which is new on every start.
const displayId = display.link?.deviceId;
if (displayId) {
  const listed = await admin.request<{ devices: DeviceInfo[] }>('GET', '/api/v1/admin/devices');
  const current = listed.body.devices.find((d) => d.deviceId === displayId)?.settings;
  const settings = current?.kind === 'display' ? current : defaultDeviceSettings('display');
  await admin.request('PUT', `/api/v1/admin/devices/${displayId}/settings`, {
    settings: { ...settings, bus: { port: bus.masterPath, baud: 9600, dialect: 'v1' }, mainBoards: [200] },
  });
}

// ── ready ──
const hhmm = (t: number) => localTime(t, tz).hhmm;
const clockNote = continued
  ? `demo clock continues today's run from ${hhmm(hubNow())}${values.simulate ? ` at ${timeRate}× speed` : ''}${
      checkHours(config.branch.hours, hubNow(), tz).open
        ? ''
        : '; the branch has closed for the day (--fresh starts it again)'
    }`
  : values.simulate
    ? `demo clock from 08:30 at ${timeRate}× speed`
    : openNow
      ? 'real time'
      : "demo clock from 09:00: the branch's hours begin there, whatever the hour here";
const lanUrl = hub.hub.publicUrl;
say('');
say('Nextup demo branch is running');
say(`  hub + consoles     ${base}/            (${clockNote})`);
say(`    admin            admin / ${accounts.admin}`);
say(`    manager          manager / ${accounts.manager}`);
say(`    tellers          teller1 / ${accounts.teller1}   (counter 1)`);
say(`                     teller2 / ${accounts.teller2}   (counter 2)`);
say(`  kiosk (1080×1920)  ${kiosk.url}/`);
say(
  `  display (TV)       ${display.url}/     (for sound: chromium --autoplay-policy=no-user-gesture-required)`,
);
say(`  virtual printer    tcp://127.0.0.1:${printerPort}   tickets at http://127.0.0.1:${printerHttp}/`);
say(`  virtual LED bus    ${bus.masterPath}   boards at ${bus.http?.url ?? ''}/boards`);
say(
  lanUrl.includes('127.0.0.1')
    ? '  phones (QR codes)  no LAN address found: ticket QR codes point at 127.0.0.1 (this machine only)'
    : `  phones (QR codes)  ${lanUrl}/t/…   (the address printed in every ticket's QR code; phones on this LAN)`,
);
say(`  data               ${dataDir}   (pnpm start --fresh to start over)`);
say(
  values.simulate
    ? `  simulating a ${shape} day (seed ${values.seed}) at ${speed}×`
    : '  add --simulate to let simulated customers and tellers run the branch',
);
say('Ctrl-C stops everything.');

// ── the simulated day ──
const stop = new AbortController();
let simulation: Promise<void> | null = null;
if (values.simulate) {
  const manager = await StaffSession.signIn(base, 'manager', accounts.manager);
  simulation = runSimulation(
    {
      speed,
      seed: Number(values.seed),
      shape,
      date: today,
      ...(continued ? { fromMinute: localTime(hubNow(), tz).minuteOfDay } : {}),
      signal: stop.signal,
    },
    {
      manager,
      issue: async (serviceId, cls) => {
        const requestId = `sim-${Math.random().toString(36).slice(2, 14)}`;
        // VIP and priority customers get their ticket from the floor manager, printed on the kiosk.
        if (cls !== 'normal') {
          const r = await manager.request<{ ticket?: { id: string } }>('POST', '/api/v1/desk/tickets', {
            v: 1,
            requestId,
            serviceId,
            class: cls,
            printAt: kiosk.deviceId,
            lang: 'zh',
          });
          return r.status === 200 ? (r.body.ticket?.id ?? null) : null;
        }
        const r = await kiosk.issue({ requestId, serviceId, lang: 'zh' });
        return r.ok ? r.ticket.ticketId : null;
      },
      checkIn: async (code) => {
        const r = await kiosk.checkIn({
          requestId: `sim-${Math.random().toString(36).slice(2, 14)}`,
          code,
          via: 'scanner',
          lang: 'zh',
        });
        return r.ok ? r.ticket.ticketId : null;
      },
      state: () => hub.hub.view.state,
      now: hubNow,
      log: say,
    },
  ).catch((e: unknown) => {
    say(`simulation stopped: ${(e as Error).message}`);
  });
}

// ── Ctrl-C ──
let stopping = false;
async function shutdown(signal: string) {
  if (stopping) return;
  stopping = true;
  say(`\n${signal}: stopping the demo branch…`);
  stop.abort();
  await simulation;
  await kiosk.close();
  await display.close();
  await bus.close();
  await printer.close();
  await hub.close();
  say('stopped; the data is kept in data/demo');
  process.exit(0);
}
process.once('SIGINT', () => void shutdown('SIGINT'));
process.once('SIGTERM', () => void shutdown('SIGTERM'));
