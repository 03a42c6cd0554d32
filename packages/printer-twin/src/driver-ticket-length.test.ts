import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sampleBranchConfig } from '@nextup/core';
import { buildTicket, type PaperWidth, type TicketPrintJob } from '@nextup/printer';
import { pngPixels } from '@nextup/printer/testing';
import jsQR from 'jsqr';
import { describe, expect, it } from 'vitest';
import { VirtualPrinter } from './printer.ts';

/**
 * How long the printed ticket is, as the virtual printer decodes it: every text line at its line
 * advance (30 dots, 48 for double height, 96 for the 4× number), the QR symbol, the dot feeds
 * between groups and the 4-line feed before the cut, at 8 dots a millimetre.
 */
const config = sampleBranchConfig();
const ARTIFACTS = join(dirname(fileURLToPath(import.meta.url)), '..', '.artifacts');

function jobFor(serviceId: string, language: 'zh' | 'en'): TicketPrintJob {
  const s = config.services[serviceId]!;
  return {
    branch: config.branch.name,
    service: s.name,
    number: `${s.prefix}023`,
    wait: {
      ahead: { zh: '您前面还有 5 人', en: '5 people ahead of you' },
      wait: { zh: '预计等候 10–15 分钟', en: 'Estimated wait 10–15 min' },
      note: null,
    },
    issuedAt: '2026-11-23 09:41',
    followUrl: 'http://192.168.10.2:8300/f/t-20261123-a023',
    hint: s.hint ?? null,
    footer: { zh: '感谢您的耐心等候', en: 'Thank you for waiting' },
    language,
  };
}

function printed(job: TicketPrintJob, paperWidth: PaperWidth) {
  const [t] = new VirtualPrinter({ paperWidth }).feed(buildTicket(job, { paperWidth }).bytes);
  expect(t!.issues).toEqual([]);
  return t!;
}

describe('the printed ticket’s length', () => {
  for (const language of ['zh', 'en'] as const)
    for (const serviceId of config.serviceOrder)
      it(`is at most 100 mm on 80 mm paper: ${serviceId}, ${language}`, () => {
        const t = printed(jobFor(serviceId, language), 80);
        const mm = t.heightDots / 8;
        expect(mm).toBeLessThanOrEqual(100);
        // The length is the sum of what was printed and fed: the last item's end, then the cut feed.
        const last = t.items.at(-1)!;
        expect(t.heightDots).toBe(last.y + last.height + 4 * 30);
      });

  it('keeps the number large (4 × 4: 96 dots, 12 mm tall) and the QR readable from the paper, at both widths', () => {
    for (const paperWidth of [80, 58] as const)
      for (const language of ['zh', 'en'] as const) {
        const job = jobFor('cash', language);
        const t = printed(job, paperWidth);
        const number = t.items.find((i) => i.kind === 'text' && i.text === 'A023')!;
        expect(number.height, `${paperWidth} ${language}`).toBe(96);
        expect(Math.max(...t.items.filter((i) => i.kind === 'text').map((i) => i.height))).toBe(96);
        // Kept for people to look at: packages/printer/.artifacts/ticket-<width>-<language>.png
        mkdirSync(ARTIFACTS, { recursive: true });
        writeFileSync(join(ARTIFACTS, `ticket-${paperWidth}-${language}.png`), t.png());
        const { data, width, height } = pngPixels(t.png());
        expect(jsQR(data, width, height)?.data, `${paperWidth} ${language}`).toBe(job.followUrl);
      }
  });

  it('stays within 125 mm on 58 mm paper (fewer words to a line), zh and en', () => {
    for (const language of ['zh', 'en'] as const)
      for (const serviceId of config.serviceOrder)
        expect(printed(jobFor(serviceId, language), 58).heightDots / 8, serviceId).toBeLessThanOrEqual(125);
  });
});
