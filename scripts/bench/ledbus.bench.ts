import { BusMaster, closeBusPort, FrameDecoder, openBusPort, v1Dialect } from '@nextup/ledbus';
import { startVirtualBus } from '@nextup/ledbus-twin';
import { type BenchSuite, nowMs, rowFromSamples } from '../lib/bench.ts';

const BAUD = 9600;
const TEXT = 'A023 请到3号窗口';
const ADDRESS = 3;

/** Wire time of request + ACK at 9600 8N1: 10 bit times per byte. The physical limit of a call. */
function wireMs(): { ms: number; bytes: number } {
  const req = v1Dialect.encodeRequest(
    { kind: 'show', address: ADDRESS, area: 0, effect: { kind: 'blink', times: 3 }, text: TEXT },
    1,
  );
  const ack = v1Dialect.device.encodeReply({ kind: 'ack' }, { address: ADDRESS, seq: 1, kind: 'show' });
  const bytes = req.length + ack.length;
  return { ms: (bytes * 10 * 1000) / BAUD, bytes };
}

/**
 * Show-text → ACK round trips through the real serialport stack, a socat pty pair and the twin.
 * `backToBack`: each call starts as soon as the last ACK is in, so the master's quiet time before
 * sending (≥ 3 ms after the last byte received, hardware/led-bus.md §3) is part of the figure.
 */
async function roundTrips(n: number, paceBaud: number | undefined, backToBack = false): Promise<number[]> {
  const vb = await startVirtualBus({
    boards: [1, 2, 3, 4, 5],
    keypads: [],
    baudRate: BAUD,
    ...(paceBaud ? { paceBaud } : {}),
  });
  const port = await openBusPort({ path: vb.masterPath, baudRate: BAUD });
  const master = new BusMaster({ port, timeoutMs: 1000, retries: 0 });
  const samples: number[] = [];
  try {
    for (let i = 0; i < n + 3; i++) {
      // Let the line go quiet first, so the master's turn-around gap is not in the figure.
      if (!backToBack) await new Promise((r) => setTimeout(r, 5));
      const t = nowMs();
      await master.show(ADDRESS, TEXT, { effect: { kind: 'blink', times: 3 } });
      if (i >= 3) samples.push(nowMs() - t); // the first few warm up the JIT and the pty
    }
  } finally {
    await master.close();
    await closeBusPort(port);
    await vb.close();
  }
  return samples;
}

export default {
  name: 'ledbus: LED bus call → board ACK',
  async run({ quick, log }) {
    const n = quick ? 30 : 300;
    const wire = wireMs();
    log(`wire time of request + ACK: ${wire.bytes} bytes = ${wire.ms.toFixed(1)} ms at ${BAUD} baud`);
    const unpaced = await roundTrips(n, undefined);
    const paced = await roundTrips(n, BAUD);
    const backToBack = await roundTrips(n, BAUD, true);

    // The codec alone: encode a show request and decode it back, per frame.
    const codec: number[] = [];
    const decoder = new FrameDecoder();
    const req = { kind: 'show', address: ADDRESS, area: 0, effect: { kind: 'static' }, text: TEXT } as const;
    for (let i = 0; i < (quick ? 2000 : 20000); i++) {
      const t = nowMs();
      decoder.push(v1Dialect.encodeRequest(req, (i % 255) + 1));
      codec.push((nowMs() - t) * 1000);
    }
    const baseline = { label: `wire time, ${wire.bytes} B request+ACK at 9600 baud`, value: wire.ms };
    return [
      rowFromSamples(
        'ledbus: show text → ACK over a pty, twin unpaced',
        'ms',
        unpaced,
        baseline,
        `${n} samples; a pty does not pace bytes at the baud rate, so this is the software path only (serialport, socat, parser, twin) and may beat the wire`,
      ),
      rowFromSamples(
        'ledbus: show text → ACK over a pty, twin paced to 9600 baud',
        'ms',
        paced,
        baseline,
        `${n} samples; the twin holds each reply for (request + reply bytes) × 10 ÷ 9600 s, as a real line would: the ratio is our overhead on top of the physics`,
      ),
      rowFromSamples(
        'ledbus: back-to-back show text → ACK, paced to 9600 baud (with the ≥ 3 ms quiet time)',
        'ms',
        backToBack,
        baseline,
        `${n} samples; each call right after the last ACK, so the master waits out its quiet time first: the difference to the row above is what the 3 ms rule costs a burst of calls`,
      ),
      rowFromSamples(
        'ledbus: v1 encode + decode of one show frame',
        'µs',
        codec,
        undefined,
        'GB18030 encoding, CRC-16/MODBUS, escaping and the resyncing decoder',
      ),
    ];
  },
} satisfies BenchSuite;
