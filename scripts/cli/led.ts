import {
  BusMaster,
  closeBusPort,
  type DeviceStatus,
  type DeviceType,
  dialectIds,
  type Effect,
  type LedBusError,
  MAX_ADDRESS,
  openBusPort,
  type ScanResult,
} from '@nextup/ledbus';
import { runVirtualBusCommand } from '@nextup/ledbus-twin';
import { describeDeviceError, isDeviceError } from '@nextup/protocol';
import { type CliArea, parseArgs, usageError } from '../lib/cli.ts';

const USAGE = `usage:
  pnpm nextup led test --port /dev/ttyUSB0 --address 3 --text "A023 请到3号窗口"
                       [--baud 9600] [--dialect v1|line] [--area 0] [--blink N | --scroll SPEED]
      在一块屏上显示文字并等待应答 / show text on one board and wait for its ACK
  pnpm nextup led scan --port /dev/ttyUSB0 [--baud 9600] [--dialect v1] [--from 1] [--to 247]
                       [--timeout 150] [--tries 3]
      列出总线上应答的设备（每个地址等 150 ms，有回音但读不懂时最多试 3 次）
      list the devices that answer on the bus (150 ms per address, up to 3 tries when something
      unreadable answered; hardware/led-bus.md §3.1)
  pnpm nextup led virtual [--boards 1-5] [--main 200] [--keypads 101-105] [--http PORT]
                          [--dialect v1] [--pace]
      启动虚拟 LED 总线（pty 对）/ start the virtual LED bus on a pty pair (prints the port path)`;

const TYPE_WORDS: Record<DeviceType, string> = {
  mainBoard: '主屏 / main board',
  counterBoard: '窗口屏 / counter board',
  keypad: '呼叫器 / keypad',
};

function typeWords(t: DeviceStatus['type']): string {
  if (typeof t === 'string') return TYPE_WORDS[t];
  return `未知类型 / unknown type 0x${t.unknown.toString(16).padStart(2, '0').toUpperCase()}`;
}

const describe = (s: DeviceStatus) =>
  `${typeWords(s.type)}, firmware ${s.firmware}${s.type === 'keypad' ? '' : `, ${s.columns}×${s.rows}`}` +
  (s.poweredUp ? ', 刚上电 / just powered up' : '');

/** One line of `led scan`: what answered, and how well. */
export function scanLine(f: ScanResult): string {
  const what = f.status
    ? describe(f.status)
    : `应答无法识别 / answers, but unreadably (${f.problem ?? 'no reply'})`;
  const notes = [
    f.late ? '应答迟到 / answered late' : null,
    f.status && f.tries > 1 ? `第 ${f.tries} 次才应答 / took ${f.tries} tries` : null,
    f.status && f.problem ? f.problem : null,
  ].filter(Boolean);
  return `  ${String(f.address).padStart(3)}  ${what}${notes.length ? `  [${notes.join('; ')}]` : ''}`;
}

function say(zh: string, en: string) {
  process.stdout.write(`${zh}\n${en}\n`);
}

function failure(e: unknown): number {
  if (isDeviceError<LedBusError>(e, 'ledbus')) {
    process.stderr.write(`✗ ${describeDeviceError(e, 'zh')}\n✗ ${describeDeviceError(e, 'en')}\n`);
    return 1;
  }
  if (e instanceof TypeError) return usageError(`参数错误 / bad option: ${e.message}`, USAGE);
  throw e;
}

function intOption(v: string | undefined, name: string, min: number, max: number, dflt: number): number {
  if (v === undefined) return dflt;
  const n = Number(v);
  if (!Number.isInteger(n) || n < min || n > max)
    throw new TypeError(`--${name} must be a whole number ${min}–${max}, got "${v}"`);
  return n;
}

async function withMaster<T>(
  values: { port?: string | undefined; baud?: string | undefined; dialect?: string | undefined },
  fn: (m: BusMaster) => Promise<T>,
): Promise<T> {
  if (!values.port) throw new TypeError('--port is required, e.g. --port /dev/ttyUSB0');
  const dialect = values.dialect ?? 'v1';
  if (!dialectIds().includes(dialect))
    throw new TypeError(`--dialect must be one of ${dialectIds().join(', ')}, got "${dialect}"`);
  const port = await openBusPort({
    path: values.port,
    baudRate: intOption(values.baud, 'baud', 300, 115200, 9600),
  });
  const master = new BusMaster({ port, dialect });
  try {
    return await fn(master);
  } finally {
    await master.close();
    await closeBusPort(port);
  }
}

async function test(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      port: { type: 'string' },
      address: { type: 'string' },
      text: { type: 'string' },
      baud: { type: 'string' },
      dialect: { type: 'string' },
      area: { type: 'string' },
      blink: { type: 'string' },
      scroll: { type: 'string' },
    },
  });
  try {
    const address = intOption(values.address, 'address', 0, MAX_ADDRESS, Number.NaN);
    if (Number.isNaN(address)) throw new TypeError('--address is required (1–247, or 0 for every board)');
    if (values.text === undefined) throw new TypeError('--text is required');
    const text = values.text;
    const effect: Effect =
      values.blink !== undefined
        ? { kind: 'blink', times: intOption(values.blink, 'blink', 0, 255, 3) }
        : values.scroll !== undefined
          ? { kind: 'scroll', speed: intOption(values.scroll, 'scroll', 0, 255, 0) }
          : { kind: 'static' };
    const area = intOption(values.area, 'area', 0, 255, 0);
    return await withMaster(values, async (m) => {
      const t0 = performance.now();
      await m.show(address, text, { area, effect });
      const ms = (performance.now() - t0).toFixed(0);
      if (address === 0) {
        say(
          `✓ 已广播到所有屏（广播无应答）：${text}`,
          `✓ broadcast to every board (broadcasts get no ACK): ${text}`,
        );
        return 0;
      }
      say(
        `✓ 地址 ${address} 已应答（${ms} ms）：${text}`,
        `✓ address ${address} acknowledged in ${ms} ms: ${text}`,
      );
      if (m.dialect.supports.has('ping')) {
        const s = await m.ping(address).catch(() => null);
        if (s) process.stdout.write(`  ${describe(s)}\n`);
      }
      return 0;
    });
  } catch (e) {
    return failure(e);
  }
}

async function scan(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      port: { type: 'string' },
      baud: { type: 'string' },
      dialect: { type: 'string' },
      from: { type: 'string' },
      to: { type: 'string' },
      timeout: { type: 'string' },
      tries: { type: 'string' },
    },
  });
  try {
    const from = intOption(values.from, 'from', 1, MAX_ADDRESS, 1);
    const to = intOption(values.to, 'to', from, MAX_ADDRESS, MAX_ADDRESS);
    const timeoutMs = intOption(values.timeout, 'timeout', 10, 5000, 150);
    const tries = intOption(values.tries, 'tries', 1, 10, 3);
    return await withMaster(values, async (m) => {
      const tty = process.stderr.isTTY === true;
      const found = await m.scan({
        from,
        to,
        timeoutMs,
        tries,
        onProgress: (a) => tty && process.stderr.write(`\r扫描 / scanning ${a}/${to} `),
      });
      if (tty) process.stderr.write('\r\x1b[K');
      if (found.length === 0) {
        say(
          `✗ 地址 ${from}–${to} 无设备应答：请检查接线（A/B）、波特率和协议方言`,
          `✗ nothing answered on ${from}–${to}: check the A/B wiring, the baud rate and the dialect`,
        );
        return 1;
      }
      say(`✓ ${found.length} 个设备应答：`, `✓ ${found.length} device(s) answered:`);
      for (const f of found) process.stdout.write(`${scanLine(f)}\n`);
      return 0;
    });
  } catch (e) {
    return failure(e);
  }
}

async function virtual(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      boards: { type: 'string' },
      main: { type: 'string' },
      keypads: { type: 'string' },
      http: { type: 'string' },
      dialect: { type: 'string' },
      pace: { type: 'boolean' },
    },
  });
  return runVirtualBusCommand(values);
}

/** `pnpm nextup led …`: try LED boards and keypads on the RS-485 bus, or run the virtual bus. */
export default {
  name: 'led',
  summary: 'LED boards and keypads on the RS-485 bus: test, scan, virtual',
  async run(args) {
    const [command, ...rest] = args;
    try {
      switch (command) {
        case 'test':
          return await test(rest);
        case 'scan':
          return await scan(rest);
        case 'virtual':
          return await virtual(rest);
        case undefined:
        case '--help':
        case 'help':
          process.stdout.write(`${USAGE}\n`);
          return 0;
        default:
          return usageError(`未知命令 / unknown command: ${command}`, USAGE);
      }
    } catch (e) {
      // parseArgs: an unknown or malformed option.
      if (e instanceof TypeError || (e as { code?: string }).code?.startsWith('ERR_PARSE_ARGS'))
        return usageError(`参数错误 / bad option: ${(e as Error).message}`, USAGE);
      throw e;
    }
  },
} satisfies CliArea;
