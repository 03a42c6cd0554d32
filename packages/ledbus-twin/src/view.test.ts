import { displayWidth } from '@nextup/ledbus';
import { describe, expect, it } from 'vitest';
import type { VirtualBusSnapshot } from './bus.ts';
import { renderBoards } from './view.ts';

describe('the terminal view', () => {
  it('lines up Chinese and Latin text (a hanzi is two columns wide)', () => {
    const board = (address: number, text: string) => ({
      address,
      type: 'counterBoard' as const,
      columns: 16,
      rows: 1,
      firmware: '1.0',
      brightness: 100,
      silent: address === 2,
      areas: [{ area: 0, text, effect: { kind: 'static' as const } }],
      shows: 1,
      corruptNext: 0,
      busyNext: 0,
      poweredUp: address === 1,
      lastChangeAt: 0,
    });
    const s: VirtualBusSnapshot = {
      dialect: 'v1',
      boards: [board(1, 'A023 请到3号窗口'), board(2, 'B101')],
      keypads: [],
      stats: {
        requests: 2,
        broadcasts: 0,
        replies: 2,
        naks: 0,
        duplicates: 0,
        busy: 0,
        ignored: 0,
        rejected: { NOISE: 3 },
        rejectedBytes: 9,
        internalErrors: 0,
      },
    };
    const out = renderBoards(s);
    const rows = out.split('\n').filter((l) => /^\s+\d+ /.test(l));
    expect(rows).toHaveLength(2);
    // The text column starts at the same display column on every row.
    const col = (l: string) => displayWidth(l.slice(0, l.indexOf('[')));
    expect(col(rows[0]!)).toBe(col(rows[1]!));
    expect(out).toContain('[A023 请到3号窗口]');
    expect(out).toContain('静默/silent');
    expect(out).toContain('刚上电/powered up');
    expect(out).toContain('NOISE 3');
  });
});
