import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildTicket, fromHex, type TicketLayoutOptions } from '@nextup/printer';
import { sampleJob } from '@nextup/printer/testing';
import { describe, expect, it } from 'vitest';
import { VirtualPrinter } from './printer.ts';

/**
 * The driver's bytes (`@nextup/printer`), decoded by this twin: the golden fixtures that the driver's
 * golden.test.ts pins byte for byte, and a raster-mode ticket.
 */
const dir = join(dirname(fileURLToPath(import.meta.url)), '../../../hardware/fixtures/escpos');

const cases: { name: string; options: TicketLayoutOptions }[] = [
  { name: 'reference-80mm', options: { paperWidth: 80, chinese: 'native', qr: 'native' } },
  { name: 'reference-58mm', options: { paperWidth: 58, chinese: 'native', qr: 'native' } },
];

describe('golden ESC/POS fixtures (hardware/fixtures/escpos), decoded by the virtual printer', () => {
  for (const { name, options } of cases) {
    it(`decodes ${name}.hex to ${name}.txt`, () => {
      const golden = fromHex(readFileSync(join(dir, `${name}.hex`), 'utf8'));
      const [decoded] = new VirtualPrinter({ paperWidth: options.paperWidth ?? 80 }).feed(golden);
      expect(decoded!.issues).toEqual([]);
      expect(`${decoded!.text}\n`).toBe(readFileSync(join(dir, `${name}.txt`), 'utf8'));
    });
  }
});

describe('a raster-mode ticket, decoded by the virtual printer', () => {
  it('holds no Chinese text bytes: only ASCII text, every Chinese line an image', () => {
    const t = buildTicket(sampleJob(), { chinese: 'raster' });
    const [decoded] = new VirtualPrinter().feed(t.bytes);
    expect(decoded!.items.filter((i) => i.kind === 'text').every((i) => /^[\x20-\x7e]*$/.test(i.text))).toBe(
      true,
    );
    expect(decoded!.issues).toEqual([]);
  });
});
