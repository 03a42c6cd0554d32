/** Test support (`@nextup/printer/testing`): for this package's tests and the printer twin's, never production code. */
import { PNG } from 'pngjs';
import type { TicketPrintJob } from './ticket.ts';

/** The reference ticket: also the golden fixture in hardware/fixtures/escpos/. */
export function sampleJob(overrides: Partial<TicketPrintJob> = {}): TicketPrintJob {
  return {
    branch: { zh: '中国示例银行北京中关村支行', en: 'Example Bank, Zhongguancun Branch' },
    service: { zh: '个人业务', en: 'Personal Banking' },
    number: 'A023',
    wait: {
      ahead: { zh: '您前面还有 5 人', en: '5 people ahead of you' },
      wait: { zh: '预计等候 10–15 分钟', en: 'Estimated wait 10–15 min' },
      note: null,
    },
    issuedAt: '2026-11-23 09:41',
    followUrl: 'http://192.168.10.2:8080/f/t-20261123-a023',
    hint: {
      zh: '转账 5 万元以下可在智能柜台办理，更快捷。',
      en: 'Transfers up to 50,000 are faster at the smart counter.',
    },
    footer: { zh: '感谢您的耐心等候', en: 'Thank you for waiting' },
    language: 'zh',
    ...overrides,
  };
}

/** RGBA pixels of a PNG, for a QR reader. */
export function pngPixels(png: Buffer): { data: Uint8ClampedArray; width: number; height: number } {
  const img = PNG.sync.read(png);
  return {
    data: new Uint8ClampedArray(img.data.buffer, img.data.byteOffset, img.data.length),
    width: img.width,
    height: img.height,
  };
}
