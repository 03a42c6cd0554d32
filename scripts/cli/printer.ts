import {
  createTransport,
  describeStatus,
  type PrinterError,
  type PrinterStatus,
  type PrintResult,
  TicketPrinter,
  type TicketPrintJob,
} from '@nextup/printer';
import { VirtualPrinter } from '@nextup/printer-twin';
import { describeDeviceError, isDeviceError } from '@nextup/protocol';
import { type CliArea, parseArgs, usageError } from '../lib/cli.ts';

const USAGE = `usage:
  pnpm nextup printer test --url URL [--width 80|58] [--chinese native|raster] [--qr native|raster]
                           [--completion processed|sent]
      prints a test ticket and reports the printer's status (exit 1 if it did not print)
  pnpm nextup printer status --url URL
      reads the printer's real-time status (exit 1 if it is not ready)
  pnpm nextup printer virtual [--port 9100] [--host 127.0.0.1] [--http 9101] [--pty] [--width 80|58]
      runs the virtual printer and prints each ticket's text as it arrives

URL: tcp://192.168.1.50:9100 | serial:/dev/ttyUSB0?baud=19200&flow=rtscts|xonxoff|none | file:/dev/usb/lp0
打印机地址：网口 tcp://IP:9100；串口 serial:/dev/ttyUSB0?baud=19200；USB file:/dev/usb/lp0`;

const say = (zh: string, en: string) => process.stdout.write(`${zh}\n  ${en}\n`);
const hex = (b: number | null) => (b === null ? '--' : b.toString(16).padStart(2, '0'));

function sayStatus(s: PrinterStatus): void {
  say(`状态：${describeStatus(s, 'zh')}`, `status: ${describeStatus(s, 'en')}`);
  process.stdout.write(
    `  (DLE EOT 1/2/3/4 → ${hex(s.raw.printer)} ${hex(s.raw.offline)} ${hex(s.raw.error)} ${hex(s.raw.paper)})\n`,
  );
}

function sayError(e: unknown): void {
  if (isDeviceError<PrinterError>(e, 'printer')) {
    say(`失败：${describeDeviceError(e, 'zh')}`, `failed: ${describeDeviceError(e, 'en')}`);
    process.stdout.write(`  (${e.code}: ${e.message})\n`);
  } else process.stdout.write(`failed: ${(e as Error)?.message ?? String(e)}\n`);
}

function testJob(url: string, width: string, chinese: string, qr: string): TicketPrintJob {
  const now = new Date();
  const pad = (n: number) => String(n).padStart(2, '0');
  const issuedAt = `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())} ${pad(now.getHours())}:${pad(now.getMinutes())}`;
  return {
    branch: { zh: 'Nextup 打印测试', en: 'Nextup printer test' },
    service: { zh: '测试业务', en: 'Test service' },
    number: 'T001',
    wait: {
      ahead: { zh: '您前面还有 3 人', en: '3 people ahead of you' },
      wait: { zh: '预计等候 5–10 分钟', en: 'Estimated wait 5–10 min' },
      note: null,
    },
    issuedAt,
    followUrl: 'http://nextup.local/printer-test',
    hint: {
      zh: `纸宽 ${width} 毫米，中文 ${chinese === 'raster' ? '图片' : '字库'}，二维码 ${qr === 'raster' ? '图片' : '指令'}。扫码应显示 http://nextup.local/printer-test`,
      en: `${width} mm paper, Chinese ${chinese}, QR ${qr}. ${url}`,
    },
    footer: {
      zh: '如果中文显示为乱码，请改用 --chinese raster',
      en: 'If the Chinese is garbled, use --chinese raster',
    },
    language: 'zh',
  };
}

function sayResult(r: PrintResult): void {
  if (r.ok) {
    say(
      `已打印 ${r.bytes} 字节，用时 ${r.ms} 毫秒（${r.confirmed === 'processed' ? '打印机已确认' : r.confirmed === 'status' ? '状态正常' : '无法读取状态'}）`,
      `printed ${r.bytes} bytes in ${r.ms} ms (${r.confirmed === 'processed' ? 'confirmed by the printer (GS r)' : r.confirmed === 'status' ? 'status fine after sending' : 'status unknown on this link'})`,
    );
    if (r.warnings.includes('PAPER_NEAR_END'))
      say('注意：纸卷快用完了', 'note: the paper roll is nearly empty');
    if (r.warnings.includes('STATUS_UNKNOWN'))
      say(
        '注意：此连接读不到打印机状态，无法确认是否打印成功',
        'note: this link cannot read status; printing is unconfirmed',
      );
    if (r.after) sayStatus(r.after);
  } else {
    sayError(r.error);
    if (r.status) sayStatus(r.status);
    process.stdout.write(`  (stage ${r.stage}, ${r.bytesWritten} ticket bytes sent)\n`);
  }
}

async function test(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      url: { type: 'string' },
      width: { type: 'string', default: '80' },
      chinese: { type: 'string', default: 'native' },
      qr: { type: 'string', default: 'native' },
      completion: { type: 'string' },
    },
  });
  if (!values.url) return usageError('printer test: --url is required', USAGE);
  if (values.width !== '80' && values.width !== '58')
    return usageError(`--width must be 80 or 58; got ${values.width}`, USAGE);
  if (values.chinese !== 'native' && values.chinese !== 'raster')
    return usageError(`--chinese must be native or raster; got ${values.chinese}`, USAGE);
  if (values.qr !== 'native' && values.qr !== 'raster')
    return usageError(`--qr must be native or raster; got ${values.qr}`, USAGE);
  if (values.completion !== undefined && values.completion !== 'processed' && values.completion !== 'sent')
    return usageError(`--completion must be processed or sent; got ${values.completion}`, USAGE);

  let transport: ReturnType<typeof createTransport>;
  try {
    transport = createTransport(values.url);
  } catch (e) {
    sayError(e);
    return 2;
  }
  process.stdout.write(`printer ${transport.target}\n`);
  const probe = new TicketPrinter({ transport });
  let completion = values.completion as 'processed' | 'sent' | undefined;
  try {
    const s = await probe.status();
    sayStatus(s);
    // Probe GS r only on a ready printer: a stopped one holds it back like any other data.
    if (completion === undefined && s.online && !s.paperOut && !s.coverOpen && s.error === null) {
      const gsr = await probe.supportsConfirmation();
      completion = gsr ? 'processed' : 'sent';
      say(
        gsr
          ? '打印机支持打印完成确认（GS r）'
          : '打印机不回应 GS r：本次测试改为发送后读状态确认；自助取号机总是等待 GS r，会判定每张票超时（有的型号只在串口回应 GS r）',
        gsr
          ? 'the printer confirms printed tickets (GS r)'
          : 'the printer does not answer GS r: this test confirms by status after sending; the kiosk always waits for GS r and would time out on every ticket (some models answer it on serial only)',
      );
    }
  } catch (e) {
    if (!(isDeviceError<PrinterError>(e, 'printer') && e.code === 'NO_STATUS')) {
      sayError(e);
      await probe.dispose();
      return 1;
    }
    say('此连接读不到打印机状态（单向 USB）', 'the status cannot be read over this link (one-way USB)');
  }
  await probe.dispose();

  const printer = new TicketPrinter({
    transport: createTransport(values.url),
    paperWidth: Number(values.width) as 80 | 58,
    chinese: values.chinese as 'native' | 'raster',
    qr: values.qr as 'native' | 'raster',
    ...(completion ? { completion } : {}),
  });
  try {
    const r = await printer.print(testJob(values.url, values.width, values.chinese, values.qr));
    sayResult(r);
    return r.ok ? 0 : 1;
  } finally {
    await printer.dispose();
  }
}

async function status(args: string[]): Promise<number> {
  const { values } = parseArgs({ args, options: { url: { type: 'string' } } });
  if (!values.url) return usageError('printer status: --url is required', USAGE);
  let printer: TicketPrinter;
  try {
    printer = new TicketPrinter({ transport: createTransport(values.url) });
  } catch (e) {
    sayError(e);
    return 2;
  }
  process.stdout.write(`printer ${printer.transport.target}\n`);
  try {
    const s = await printer.status();
    sayStatus(s);
    return s.online && !s.paperOut && !s.coverOpen && s.error === null ? 0 : 1;
  } catch (e) {
    sayError(e);
    return 1;
  } finally {
    await printer.dispose();
  }
}

async function virtual(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      port: { type: 'string', default: '9100' },
      host: { type: 'string', default: '127.0.0.1' },
      http: { type: 'string' },
      pty: { type: 'boolean', default: false },
      width: { type: 'string', default: '80' },
    },
  });
  if (values.width !== '80' && values.width !== '58')
    return usageError(`--width must be 80 or 58; got ${values.width}`, USAGE);
  const vp = new VirtualPrinter({ paperWidth: Number(values.width) as 80 | 58 });
  const port = await vp.listen({ port: Number(values.port), host: values.host });
  say(
    `虚拟打印机（${values.width} 毫米）监听 tcp://${values.host}:${port}`,
    `virtual printer (${values.width} mm) on tcp://${values.host}:${port}`,
  );
  if (values.http !== undefined) {
    const http = await vp.listenHttp({ port: Number(values.http), host: values.host });
    say(
      `票面图片和状态：http://${values.host}:${http}/`,
      `tickets, pictures and status: http://${values.host}:${http}/`,
    );
  }
  if (values.pty) {
    const path = await vp.openPty();
    say(`串口：serial:${path}?baud=19200&flow=none`, `serial: serial:${path}?baud=19200&flow=none`);
  }
  vp.onTicket((t) => {
    const flags = [
      t.interrupted ? `INTERRUPTED: ${t.interrupted.reason}` : null,
      t.cut ? null : 'not cut',
    ].filter(Boolean);
    process.stdout.write(
      `\n── #${t.id} via ${t.via}, ${t.bytes} bytes, ${(t.heightDots / 8).toFixed(0)} mm${flags.length ? `, ${flags.join(', ')}` : ''} ──\n${t.text}\n`,
    );
    for (const i of t.issues) process.stdout.write(`  ! byte ${i.offset}: ${i.reason}\n`);
  });
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await vp.close();
  return 0;
}

/** `pnpm nextup printer …`: try a kiosk's ticket printer, read its status, or run the virtual printer. */
export default {
  name: 'printer',
  summary: 'print a test ticket, read a printer status, run the virtual printer',
  async run(args) {
    const [command, ...rest] = args;
    try {
      switch (command) {
        case 'test':
          return await test(rest);
        case 'status':
          return await status(rest);
        case 'virtual':
          return await virtual(rest);
        case undefined:
        case '--help':
        case 'help':
          process.stdout.write(`${USAGE}\n`);
          return 0;
        default:
          return usageError(`printer: unknown command ${command}`, USAGE);
      }
    } catch (e) {
      if (e instanceof TypeError && /parseArgs|option/i.test(e.message)) return usageError(e.message, USAGE);
      throw e;
    }
  },
} satisfies CliArea;
