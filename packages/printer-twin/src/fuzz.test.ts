import { buildTicket } from '@nextup/printer';
import { sampleJob } from '@nextup/printer/testing';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type DecodedTicket, READY, ticketPng, VirtualDevice } from './device.ts';

/** Fragments that start real commands, so that random streams reach deep into the parser. */
const FRAGMENTS = [
  [0x1b],
  [0x1d],
  [0x1c],
  [0x10],
  [0x1b, 0x40],
  [0x1c, 0x26],
  [0x1c, 0x2e],
  [0x1d, 0x76, 0x30, 0x00],
  [0x1d, 0x28, 0x6b],
  [0x1d, 0x28, 0x6b, 0x03, 0x00, 0x31, 0x51, 0x30],
  [0x1b, 0x2a, 0x21],
  [0x1d, 0x56, 0x00],
  [0x1d, 0x56, 0x41],
  [0x10, 0x04],
  [0x1d, 0x72],
  [0x0a],
  [0xb8, 0xf6],
  [0x95, 0x32],
  [0x1d, 0x21],
  [0x1b, 0x26, 0x03],
  [0x1c, 0x71, 0x01],
  [0x1d, 0x38, 0x4c],
].map((f) => Uint8Array.from(f));

const stream = fc
  .array(fc.oneof(fc.uint8Array({ maxLength: 24 }), fc.constantFrom(...FRAGMENTS)), { maxLength: 120 })
  .map((parts) => Buffer.concat(parts));

/** Splits bytes at the given cut points (chunks as they might come off a socket). */
function chunks(bytes: Uint8Array, cuts: number[]): Uint8Array[] {
  const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
  const out: Uint8Array[] = [];
  let prev = 0;
  for (const p of [...points, bytes.length]) {
    out.push(bytes.subarray(prev, p));
    prev = p;
  }
  return out;
}

function device() {
  const tickets: DecodedTicket[] = [];
  const replies: number[] = [];
  const issues: string[] = [];
  const d = new VirtualDevice({
    status: () => READY,
    reply: (b) => replies.push(...b),
    onTicket: (t) => tickets.push(t),
    onIssue: (i) => issues.push(i.reason),
  });
  return { d, tickets, replies, issues };
}

const ticket = buildTicket(sampleJob());
const expected = ticket.lines.join('\n');

describe('virtual printer under malformed input', () => {
  it('never throws on random streams in random chunks, and renders whatever it printed', () => {
    fc.assert(
      fc.property(stream, fc.array(fc.nat(), { maxLength: 8 }), (bytes, cuts) => {
        const { d, tickets } = device();
        for (const c of chunks(bytes, cuts)) d.push(c);
        d.finish();
        for (const t of tickets) {
          expect(t.heightDots).toBeGreaterThanOrEqual(0);
          expect(typeof t.text).toBe('string');
        }
        // Rendering the last one exercises the glyph, QR and image paths on garbage too.
        const last = tickets[tickets.length - 1];
        if (last && last.heightDots < 20_000) expect(ticketPng(last).length).toBeGreaterThan(0);
      }),
      { numRuns: 300 },
    );
  });

  it('decodes a valid ticket that follows garbage once the garbage has gone quiet', () => {
    fc.assert(
      fc.property(stream, fc.array(fc.nat(), { maxLength: 6 }), (garbage, cuts) => {
        const { d, tickets } = device();
        for (const c of chunks(garbage, cuts)) d.push(c);
        d.idle(); // the sender of the garbage went quiet; a half command in it is dropped
        for (const c of chunks(ticket.bytes, cuts)) d.push(c);
        d.finish();
        const last = tickets[tickets.length - 1];
        expect(last).toBeDefined();
        expect(last!.cut).toBe(true);
        // Lines the garbage printed before it stay on the same strip of paper, as on a printer.
        expect(last!.text === expected || last!.text.endsWith(`\n${expected}`)).toBe(true);
        expect(last!.qr[last!.qr.length - 1]).toBe('http://192.168.10.2:8080/f/t-20261123-a023');
      }),
      { numRuns: 300 },
    );
  });

  it('reports a ticket cut short at any byte, and decodes the next one whole', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: ticket.bytes.length - 1 }), (at) => {
        const { d, tickets, issues } = device();
        d.push(ticket.bytes.subarray(0, at));
        d.idle();
        d.push(ticket.bytes);
        d.finish();
        const last = tickets[tickets.length - 1]!;
        expect(last.text === expected || last.text.endsWith(`\n${expected}`)).toBe(true);
        void issues;
      }),
      { numRuns: 200 },
    );
    // A cut inside the QR store command is reported as truncated.
    const qrAt = Buffer.from(ticket.bytes).indexOf(Buffer.from([0x1d, 0x28, 0x6b, 0x2d]));
    expect(qrAt).toBeGreaterThan(0);
    const { d, issues } = device();
    d.push(ticket.bytes.subarray(0, qrAt + 12));
    d.finish();
    expect(issues.some((r) => /^truncated GS \( k/.test(r))).toBe(true);
  });

  it('answers every DLE EOT in a garbage stream with a well-formed status byte', () => {
    fc.assert(
      fc.property(stream, (bytes) => {
        const { d, replies } = device();
        d.push(bytes);
        d.finish();
        for (const r of replies) expect([0x12, 0x00]).toContain(r);
      }),
      { numRuns: 200 },
    );
  });
});
