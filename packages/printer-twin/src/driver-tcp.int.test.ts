import { createServer, type Server, type Socket } from 'node:net';
import {
  buildTicket,
  createTransport,
  fromRasterBytes,
  LINE_SPACING,
  printerHealth,
  renderLine,
  sameBitmap,
  TicketPrinter,
  type TicketPrinterOptions,
  toRasterBytes,
} from '@nextup/printer';
import { pngPixels, sampleJob } from '@nextup/printer/testing';
import jsQR from 'jsqr';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { VirtualPrinter } from './printer.ts';

let vp: VirtualPrinter;
let port: number;
const printers: TicketPrinter[] = [];

function printer(
  options: Partial<TicketPrinterOptions> = {},
  url = `tcp://127.0.0.1:${port}`,
): TicketPrinter {
  const p = new TicketPrinter({ transport: createTransport(url), statusTimeoutMs: 3000, ...options });
  printers.push(p);
  return p;
}

beforeEach(async () => {
  vp = new VirtualPrinter();
  port = await vp.listen({ port: 0 });
});

afterEach(async () => {
  for (const p of printers.splice(0)) await p.dispose();
  await vp.close();
});

function decodeQr(png: Buffer): string | null {
  const { data, width, height } = pngPixels(png);
  return jsQR(data, width, height)?.data ?? null;
}

describe('printing real tickets into the virtual printer over TCP', () => {
  it('prints a ticket whose decoded text matches, Chinese included (native Chinese mode)', async () => {
    const p = printer();
    const job = sampleJob();
    const result = await p.print(job);
    expect(result).toMatchObject({ ok: true, confirmed: 'processed', warnings: [] });
    const t = vp.tickets[vp.tickets.length - 1]!;
    expect(t.text).toBe(buildTicket(job).lines.join('\n'));
    expect(t.text).toContain('中国示例银行北京中关村支行');
    expect(t.text).toContain('您前面还有 5 人');
    expect(t.issues).toEqual([]);
    expect(t.cut).toBe(true);
    expect(t.interrupted).toBeNull();
  });

  it('reads the QR code back from the rendered PNG: it is the follow address', async () => {
    const job = sampleJob();
    for (const qr of ['native', 'raster'] as const) {
      const p = printer({ qr });
      expect((await p.print(job)).ok).toBe(true);
      const t = vp.tickets[vp.tickets.length - 1]!;
      expect(decodeQr(t.png())).toBe(job.followUrl);
      await p.dispose();
    }
  });

  it('sends Chinese lines as raster images of the right size in raster mode, dot for dot', async () => {
    const job = sampleJob();
    const p = printer({ chinese: 'raster' });
    expect((await p.print(job)).ok).toBe(true);
    const t = vp.tickets[vp.tickets.length - 1]!;
    expect(t.issues).toEqual([]);
    // The ASCII lines decode as text …
    expect(t.items.filter((i) => i.kind === 'text').map((i) => i.text)).toEqual(
      expect.arrayContaining(['Example Bank, Zhongguancun Branch', 'A023', 'Personal Banking']),
    );
    // … and each Chinese line arrived as an image equal to our own rendering of that line.
    const images = t.items.filter((i) => i.kind === 'image');
    const plain = { width: 1, height: 1, bold: false, underline: 0 };
    const expectedLines = [
      [{ ...plain, text: '中国示例银行北京中关村支行', bold: true }],
      [{ ...plain, text: '个人业务', width: 2, height: 2, bold: true }],
      [
        { ...plain, text: '您前面还有 5 人', bold: true },
        { ...plain, text: ' · 5 people ahead of you' },
      ],
    ];
    for (const line of expectedLines) {
      const mine = renderLine(line, LINE_SPACING);
      // Through the raster byte format and back, as the printer sees it.
      const { widthBytes, data } = toRasterBytes(mine);
      const sent = fromRasterBytes(widthBytes, mine.height, data);
      expect(images.some((im) => im.bitmap && sameBitmap(im.bitmap, sent))).toBe(true);
    }
    expect(images.find((im) => im.height === 48)?.width).toBe(4 * 48); // 个人业务 at 2×2: 4 × 48 dots
    expect(decodeQr(t.png())).toBe(job.followUrl);
  });

  it('lays out the 58 mm ticket on 384 dots', async () => {
    await vp.close();
    vp = new VirtualPrinter({ paperWidth: 58 });
    port = await vp.listen({ port: 0 });
    const job = sampleJob();
    const p = printer({ paperWidth: 58 });
    expect((await p.print(job)).ok).toBe(true);
    const t = vp.tickets[vp.tickets.length - 1]!;
    expect(t.paperDots).toBe(384);
    expect(t.text).toBe(buildTicket(job, { paperWidth: 58 }).lines.join('\n'));
    for (const i of t.items) expect(i.x + i.width).toBeLessThanOrEqual(384);
    expect(decodeQr(t.png())).toBe(job.followUrl);
  });

  it('refuses to print when the paper is out before the ticket, with the status', async () => {
    vp.setStatus({ paperOut: true });
    const p = printer();
    const r = await p.print(sampleJob());
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.code).toBe('PAPER_OUT');
    expect(r.stage).toBe('before');
    expect(r.bytesWritten).toBe(0);
    expect(r.status?.paperOut).toBe(true);
    expect(vp.tickets).toHaveLength(0);
    expect(printerHealth(r.error, 1).code).toBe('PAPER_OUT');
  });

  it('refuses when the cover is open', async () => {
    vp.setStatus({ coverOpen: true });
    const r = await printer().print(sampleJob());
    expect(r).toMatchObject({ ok: false, stage: 'before', error: { code: 'COVER_OPEN' } });
  });

  it('reports a ticket failed, not printed, when the paper runs out in the middle', async () => {
    const p = printer();
    await p.status(); // connected; the next bytes are the ticket's
    vp.setStatusAfter(6 + 300, { paperOut: true }); // status query (DLE EOT 1 and 4), then 300 bytes of ticket
    const r = await p.print(sampleJob());
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.code).toBe('PAPER_OUT');
    expect(r.stage).toBe('during');
    expect(r.status?.paperOut).toBe(true);
    const t = await waitForTicket(vp);
    expect(t.interrupted?.reason).toBe('paperOut');
    expect(t.interrupted!.droppedBytes).toBeGreaterThan(0);
    expect(t.cut).toBe(false);
    expect(t.text).not.toContain('Thank you for waiting');
  });

  it('reports a ticket failed when the cover is opened in the middle', async () => {
    const p = printer({ completion: 'sent' });
    await p.status();
    vp.setStatusAfter(6 + 500, { coverOpen: true });
    const r = await p.print(sampleJob());
    expect(r).toMatchObject({ ok: false, stage: 'during', error: { code: 'COVER_OPEN' } });
  });

  it('prints on a nearly empty roll and warns', async () => {
    vp.setStatus({ paperNearEnd: true });
    const r = await printer().print(sampleJob());
    expect(r).toMatchObject({ ok: true, warnings: ['PAPER_NEAR_END'] });
    if (r.ok) expect(printerHealth(r.after!, 1)).toMatchObject({ code: 'PAPER_NEAR_END', level: 'warning' });
  });

  it("confirms from the status alone in 'sent' mode", async () => {
    const r = await printer({ completion: 'sent' }).print(sampleJob());
    expect(r).toMatchObject({ ok: true, confirmed: 'status' });
    expect(vp.tickets).toHaveLength(1);
  });

  it('gives up in bounded time on a printer that accepts the connection and never answers', async () => {
    const silent: Socket[] = [];
    const server: Server = createServer((s) => {
      silent.push(s);
      s.on('data', () => {}); // takes everything, says nothing
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    const deadPort = (server.address() as { port: number }).port;
    try {
      const p = printer({ statusTimeoutMs: 800 }, `tcp://127.0.0.1:${deadPort}`);
      const t0 = Date.now();
      const r = await p.print(sampleJob());
      const took = Date.now() - t0;
      expect(r).toMatchObject({ ok: false, stage: 'before', error: { code: 'TIMEOUT' } });
      if (!r.ok) expect(r.error.message).toMatch(/did not answer DLE EOT 1\/4 within 800 ms/);
      expect(took).toBeLessThan(10_000);
      await expect(p.status()).rejects.toMatchObject({ code: 'TIMEOUT' });
    } finally {
      for (const s of silent) s.destroy();
      await new Promise<void>((r) => server.close(() => r()));
    }
  });

  it('works with a plain printer that answers only DLE EOT 1 and 4 and never GS r', async () => {
    let paperOut = false;
    const sockets: Socket[] = [];
    const server: Server = createServer((s) => {
      sockets.push(s);
      let buf = Buffer.alloc(0);
      s.on('data', (d: Buffer) => {
        buf = Buffer.concat([buf, d]);
        for (
          let i = buf.indexOf(Buffer.from([0x10, 0x04]));
          i >= 0 && i + 2 < buf.length;
          i = buf.indexOf(Buffer.from([0x10, 0x04]))
        ) {
          const n = buf[i + 2];
          if (n === 1) s.write(Uint8Array.of(paperOut ? 0x1a : 0x12)); // bit 3: offline
          if (n === 4) s.write(Uint8Array.of(paperOut ? 0x72 : 0x12)); // bits 5-6: paper end
          buf = buf.subarray(i + 3);
        }
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    const url = `tcp://127.0.0.1:${(server.address() as { port: number }).port}`;
    try {
      const p = printer({ completion: 'sent', statusTimeoutMs: 500 }, url);
      expect(await p.supportsConfirmation(300)).toBe(false);
      expect(await p.print(sampleJob())).toMatchObject({ ok: true, confirmed: 'status' });
      paperOut = true;
      const r = await p.print(sampleJob());
      // DLE EOT 2 goes unanswered; DLE EOT 4 still says why.
      expect(r).toMatchObject({ ok: false, stage: 'before', error: { code: 'PAPER_OUT' } });
      if (!r.ok) expect(r.status?.raw.offline).toBeNull();
    } finally {
      for (const s of sockets) s.destroy();
      await new Promise<void>((r) => server.close(() => r()));
    }
  });

  it('times out the same way on the virtual printer set offline', async () => {
    vp.setStatus({ offline: true });
    const r = await printer({ statusTimeoutMs: 500 }).print(sampleJob());
    expect(r).toMatchObject({ ok: false, stage: 'before', error: { code: 'TIMEOUT' } });
  });

  it('reports a refused connection', async () => {
    const closed = await new Promise<number>((resolve) => {
      const s = createServer();
      s.listen(0, '127.0.0.1', () => {
        const p = (s.address() as { port: number }).port;
        s.close(() => resolve(p));
      });
    });
    const r = await printer({}, `tcp://127.0.0.1:${closed}`).print(sampleJob());
    expect(r).toMatchObject({ ok: false, stage: 'connect', error: { code: 'CONNECT_FAILED' } });
  });

  it('prints again after the printer recovers, on the same TicketPrinter', async () => {
    const p = printer();
    vp.setStatus({ paperOut: true });
    expect((await p.print(sampleJob())).ok).toBe(false);
    vp.setStatus({ paperOut: false });
    expect((await p.print(sampleJob({ number: 'A024' }))).ok).toBe(true);
    expect(vp.tickets[vp.tickets.length - 1]!.text).toContain('A024');
  });
});

function waitForTicket(v: VirtualPrinter): Promise<(typeof v.tickets)[number]> {
  const last = v.tickets[v.tickets.length - 1];
  return last ? Promise.resolve(last) : v.nextTicket(10_000);
}
