import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildTicket, createTransport, TicketPrinter } from '@nextup/printer';
import { sampleJob } from '@nextup/printer/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { VirtualPrinter } from './printer.ts';

const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});

describe('device file transport', () => {
  it('writes every byte to a write-only file and says the status is unknown', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'nextup-lp-'));
    cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
    const path = join(dir, 'lp0');
    writeFileSync(path, '');
    const p = new TicketPrinter({ transport: createTransport(`file:${path}`) });
    cleanup.push(() => p.dispose());
    const job = sampleJob();
    const r = await p.print(job);
    expect(r).toMatchObject({ ok: true, confirmed: 'unverified', warnings: ['STATUS_UNKNOWN'] });
    await expect(p.status()).rejects.toMatchObject({ code: 'NO_STATUS' });
    // What landed in the file is the ticket, and it decodes.
    const bytes = readFileSync(path);
    expect(Buffer.compare(bytes, Buffer.from(buildTicket(job).bytes))).toBe(0);
    const [t] = new VirtualPrinter().feed(bytes);
    expect(t!.text).toBe(buildTicket(job).lines.join('\n'));
  });

  it('reads status back through the same descriptor on a character device (a pty standing in for usblp)', async () => {
    const vp = new VirtualPrinter();
    cleanup.push(() => vp.close());
    const path = await vp.openPty();
    const p = new TicketPrinter({ transport: createTransport(`file:${path}`), statusTimeoutMs: 3000 });
    cleanup.push(() => p.dispose());
    const r = await p.print(sampleJob());
    expect(r).toMatchObject({ ok: true, confirmed: 'processed' });
    vp.setStatus({ coverOpen: true });
    await expect(p.status()).resolves.toMatchObject({ coverOpen: true });
  });

  it('says when the device is not there (printer unplugged)', async () => {
    const p = new TicketPrinter({ transport: createTransport('file:/dev/usb/nextup-no-such-lp') });
    cleanup.push(() => p.dispose());
    const r = await p.print(sampleJob());
    expect(r).toMatchObject({ ok: false, stage: 'connect', error: { code: 'CONNECT_FAILED' } });
  });
});
