import { Duplex, PassThrough, Writable } from 'node:stream';
import { encodeFrame, FrameDecoder, v1Dialect } from '@nextup/ledbus';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { VirtualBus } from './bus.ts';

/** The twin's end of a line, in memory: what we write in, and what it answers. */
function line() {
  const input = new PassThrough();
  const replies: Buffer[] = [];
  const output = new Writable({
    write(chunk: Buffer, _e, cb) {
      replies.push(chunk);
      cb();
    },
  });
  return { port: Duplex.from({ readable: input, writable: output }), input, replies };
}

const tick = () => new Promise((r) => setImmediate(r));

describe('the virtual bus under garbage', () => {
  it('never fails on random bytes, counts them, and still answers the next valid request', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ minLength: 1, maxLength: 400 }), async (garbage) => {
        const l = line();
        const bus = new VirtualBus({ port: l.port, boards: [{ address: 3 }] });
        l.input.write(garbage);
        await tick();
        const before = l.replies.length;
        l.input.write(v1Dialect.encodeRequest({ kind: 'ping', address: 3 }, 9));
        await tick();
        const s = bus.snapshot().stats;
        expect(s.internalErrors).toBe(0);
        // Whatever the garbage did, the ping gets its status reply (the last reply on the line).
        const events = new FrameDecoder().push(Buffer.concat(l.replies.slice(before)));
        const last = events.filter((e) => e.ok).at(-1);
        expect(last?.ok && v1Dialect.matchReply(last, { kind: 'ping', address: 3 }, 9)).toMatchObject({
          match: 'reply',
          reply: { kind: 'status' },
        });
        bus.close();
      }),
      { numRuns: 150 },
    );
  });

  it('keeps the same reply for a repeated request and does not redo the work', async () => {
    const l = line();
    const bus = new VirtualBus({ port: l.port, boards: [{ address: 5 }] });
    const req = v1Dialect.encodeRequest(
      { kind: 'show', address: 5, area: 0, effect: { kind: 'blink', times: 3 }, text: '叫号' },
      4,
    );
    l.input.write(req);
    l.input.write(req);
    await tick();
    expect(bus.snapshot().boards[0]).toMatchObject({ shows: 1 });
    expect(bus.snapshot().stats.duplicates).toBe(1);
    expect(l.replies.map((r) => r.toString('hex'))).toEqual([
      Buffer.from(encodeFrame({ address: 5, seq: 4, command: 0x06, payload: new Uint8Array(0) })).toString(
        'hex',
      ),
      Buffer.from(encodeFrame({ address: 5, seq: 4, command: 0x06, payload: new Uint8Array(0) })).toString(
        'hex',
      ),
    ]);
  });

  it('drops a key press nobody collected within the time limit, and ignores presses beyond its queue', () => {
    let t = 0;
    const l = line();
    const bus = new VirtualBus({
      port: l.port,
      keypads: [101],
      now: () => t,
      keyTtlMs: 10_000,
      keyQueueSize: 2,
    });
    expect(bus.press(101, 'next')).toBe(true);
    expect(bus.press(101, 'next')).toBe(true);
    expect(bus.press(101, 'next')).toBe(false);
    t = 20_000;
    expect(bus.press(101, 'recall')).toBe(true);
    expect(bus.snapshot().keypads[0]).toMatchObject({ queued: [{ key: 'recall' }], dropped: 3 });
  });
});
