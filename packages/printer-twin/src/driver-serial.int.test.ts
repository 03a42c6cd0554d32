import { buildTicket, createTransport, TicketPrinter } from '@nextup/printer';
import { sampleJob } from '@nextup/printer/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { VirtualPrinter } from './printer.ts';

let vp: VirtualPrinter | null = null;
let p: TicketPrinter | null = null;

afterEach(async () => {
  await p?.dispose();
  await vp?.close();
  p = null;
  vp = null;
});

describe('serial transport over a real pty pair', () => {
  it('prints a ticket into the virtual printer on the other end of the pty', async () => {
    vp = new VirtualPrinter();
    const path = await vp.openPty();
    // A pty has no modem lines: hardware flow control cannot hold the line, so it is off here.
    p = new TicketPrinter({
      transport: createTransport(`serial:${path}?baud=115200&flow=none`),
      statusTimeoutMs: 3000,
    });
    const job = sampleJob();
    const r = await p.print(job);
    expect(r).toMatchObject({ ok: true, confirmed: 'processed' });
    const t = vp.tickets[vp.tickets.length - 1] ?? (await vp.nextTicket());
    expect(t.via).toBe('pty');
    expect(t.text).toBe(buildTicket(job).lines.join('\n'));
  });

  it('reads paper out over the serial line and refuses', async () => {
    vp = new VirtualPrinter();
    const path = await vp.openPty();
    p = new TicketPrinter({
      transport: createTransport(`serial:${path}?baud=9600&flow=none`),
      statusTimeoutMs: 3000,
    });
    vp.setStatus({ paperOut: true });
    await expect(p.status()).resolves.toMatchObject({ paperOut: true, online: false });
    const r = await p.print(sampleJob());
    expect(r).toMatchObject({ ok: false, stage: 'before', error: { code: 'PAPER_OUT' } });
  });

  it('names a missing serial port', async () => {
    p = new TicketPrinter({ transport: createTransport('serial:/dev/nextup-no-such-tty?baud=19200') });
    const r = await p.print(sampleJob());
    expect(r).toMatchObject({ ok: false, stage: 'connect', error: { code: 'CONNECT_FAILED' } });
  });
});
