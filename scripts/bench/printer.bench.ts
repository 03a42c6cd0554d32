import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { connect, type Socket } from 'node:net';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import {
  buildTicket,
  createTransport,
  type TicketLayoutOptions,
  TicketPrinter,
  type TicketPrintJob,
} from '@nextup/printer';
import { type BenchRow, type BenchSuite, nowMs, rowFromSamples } from '../lib/bench.ts';

const root = join(dirname(fileURLToPath(import.meta.url)), '../..');
/** A typical thermal printer's speed; the physical time is printed in the length row's note. */
const PRINT_SPEED_MM_S = 250;

function job(i: number): TicketPrintJob {
  const n = `A${String(i % 1000).padStart(3, '0')}`;
  return {
    branch: { zh: '中国示例银行北京中关村支行', en: 'Example Bank, Zhongguancun Branch' },
    service: { zh: '个人业务', en: 'Personal Banking' },
    number: n,
    wait: {
      ahead: { zh: `您前面还有 ${i % 17} 人`, en: `${i % 17} people ahead of you` },
      wait: { zh: '预计等候 10–15 分钟', en: 'Estimated wait 10–15 min' },
      note: null,
    },
    issuedAt: '2026-11-23 09:41',
    followUrl: `http://192.168.10.2:8080/f/t-20261123-${n.toLowerCase()}`,
    hint: {
      zh: '转账 5 万元以下可在智能柜台办理，更快捷。',
      en: 'Transfers up to 50,000 are faster at the smart counter.',
    },
    footer: { zh: '感谢您的耐心等候', en: 'Thank you for waiting' },
    language: 'zh',
  };
}

/** The virtual printer as its own process (like a real printer, it is not on our event loop). */
async function startVirtualPrinter(): Promise<{ child: ChildProcess; tcp: number; http: number }> {
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      join(root, 'packages/printer-twin/src/main.ts'),
      '--port',
      '0',
      '--http',
      '0',
      '--json',
    ],
    { cwd: root, stdio: ['pipe', 'pipe', 'inherit'] },
  );
  const lines = createInterface({ input: child.stdout! });
  const timeout = setTimeout(() => child.kill('SIGKILL'), 20_000);
  for await (const line of lines) {
    const msg = JSON.parse(line) as { event: string; tcp: number; http: number };
    if (msg.event === 'listening') {
      clearTimeout(timeout);
      // Keep draining its stdout (one line per ticket) so it never blocks on a full pipe.
      lines.on('line', () => {});
      return { child, tcp: msg.tcp, http: msg.http };
    }
  }
  throw new Error('the virtual printer exited before listening');
}

async function rawSocket(port: number): Promise<Socket> {
  const s = connect({ host: '127.0.0.1', port });
  s.setNoDelay(true);
  await once(s, 'connect');
  s.on('data', () => {});
  return s;
}

function rawWrite(s: Socket, bytes: Uint8Array): Promise<void> {
  return new Promise((resolve, reject) => s.write(bytes, (e) => (e ? reject(e) : resolve())));
}

/** Height of the latest ticket's PNG in dots (minus its 8-dot margins) → mm at 8 dots/mm. */
async function latestTicketMm(http: number): Promise<number> {
  const png = Buffer.from(await (await fetch(`http://127.0.0.1:${http}/tickets/latest.png`)).arrayBuffer());
  const height = png.readUInt32BE(20); // IHDR height
  return (height - 16) / 8;
}

export default {
  name: 'printer: ticket render + send into the virtual printer',
  async run({ quick, log }) {
    const n = quick ? 100 : 1000;
    const vp = await startVirtualPrinter();
    const rows: BenchRow[] = [];
    try {
      // 1. Building the bytes alone, against only encoding the same text (UTF-8, the cheapest encoder).
      const build: number[] = [];
      const encodeOnly: number[] = [];
      const utf8 = new TextEncoder();
      for (let i = 0; i < 20; i++) buildTicket(job(i)); // warm-up: module loading, JIT
      for (let i = 0; i < n; i++) {
        const j = job(i);
        let t = nowMs();
        const { lines } = buildTicket(j);
        build.push((nowMs() - t) * 1000);
        t = nowMs();
        utf8.encode(lines.join('\n'));
        encodeOnly.push((nowMs() - t) * 1000);
      }
      rows.push(
        rowFromSamples(
          'printer: build ticket bytes (80 mm, native Chinese)',
          'µs',
          build,
          { label: 'UTF-8-encode the same text', samples: encodeOnly },
          `${n} tickets, node-thermal-printer builder + our GB18030/FS & bytes`,
        ),
      );

      for (const [label, layout] of [
        ['80 mm, native Chinese + QR', { paperWidth: 80, chinese: 'native', qr: 'native' }],
        ['80 mm, raster Chinese', { paperWidth: 80, chinese: 'raster', qr: 'native' }],
      ] as [string, TicketLayoutOptions][]) {
        const printer = new TicketPrinter({
          transport: createTransport(`tcp://127.0.0.1:${vp.tcp}`),
          ...layout,
        });
        const raw = await rawSocket(vp.tcp);
        const full: number[] = [];
        const baseline: number[] = [];
        let bytes = 0;
        let failures = 0;
        // Warm up the connection, the glyph cache and the JIT.
        for (let i = 0; i < 5; i++) await printer.print(job(i));
        for (let i = 0; i < n; i++) {
          const j = job(i);
          let t = nowMs();
          const r = await printer.print(j);
          full.push(nowMs() - t);
          if (!r.ok) failures++;
          const ticket = buildTicket(j, layout).bytes;
          bytes = ticket.length;
          t = nowMs();
          await rawWrite(raw, ticket);
          baseline.push(nowMs() - t);
        }
        await printer.dispose();
        raw.destroy();
        rows.push(
          rowFromSamples(
            `printer: render + print one ticket over TCP (${label})`,
            'ms',
            full,
            { label: 'raw socket write of the same bytes', samples: baseline },
            `${n} tickets of ${bytes} bytes into the virtual printer (own process); print = build, DLE EOT before, ` +
              `write, GS r confirmation, DLE EOT after; ${failures} failed`,
          ),
        );
        log(`${label}: ${n} tickets, ${failures} failed`);
      }

      // 4. How long the ticket is on paper, from the virtual printer's picture.
      const printer = new TicketPrinter({ transport: createTransport(`tcp://127.0.0.1:${vp.tcp}`) });
      await printer.print(job(23));
      await printer.dispose();
      const mm = await latestTicketMm(vp.http);
      rows.push({
        name: 'printer: ticket length on paper (80 mm reference ticket)',
        unit: 'mm',
        median: mm,
        p99: null,
        baseline: null,
        baselineLabel: null,
        ratio: null,
        note: `from the rendered PNG at 203 dpi (8 dots/mm), cut feed included; at ${PRINT_SPEED_MM_S} mm/s the printer needs ${(mm / PRINT_SPEED_MM_S).toFixed(2)} s to print it`,
      });
    } finally {
      vp.child.stdin?.end();
      vp.child.kill('SIGTERM');
    }
    return rows;
  },
} satisfies BenchSuite;
