import { execFile } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { openPtyPair } from '@nextup/ptypair';
import { describe, expect, it } from 'vitest';
import { DocBoard, DocBus, DocKeypad } from './doc-device.ts';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', '..');
const run = promisify(execFile);

describe('pnpm nextup led scan, as branch IT runs it', () => {
  it('lists a late board, a board whose first answer is garbled and one of an unknown type, in both languages', async () => {
    const pair = await openPtyPair();
    const late = new DocBoard({ address: 4 });
    late.replyDelayMs = 200;
    const garbled = new DocBoard({ address: 6 });
    garbled.garbleNext = 1;
    const bus = await DocBus.open(pair.b, [
      new DocBoard({ address: 2, type: 0x01, columns: 64, rows: 4 }),
      late,
      garbled,
      new DocBoard({ address: 8, type: 0x2a }),
      new DocKeypad(9),
    ]);
    try {
      const { stdout } = await run(
        process.execPath,
        [
          '--import',
          'tsx',
          'scripts/nextup.ts',
          'led',
          'scan',
          '--port',
          pair.a,
          '--from',
          '1',
          '--to',
          '10',
        ],
        { cwd: root, timeout: 60_000 },
      );
      const lines = stdout.trim().split('\n');
      expect(lines.slice(0, 2)).toEqual(['✓ 5 个设备应答：', '✓ 5 device(s) answered:']);
      expect(lines.slice(2)).toEqual([
        '    2  主屏 / main board, firmware 1.0, 64×4, 刚上电 / just powered up',
        '    4  窗口屏 / counter board, firmware 1.0, 16×1, 刚上电 / just powered up  [应答迟到 / answered late]',
        '    6  窗口屏 / counter board, firmware 1.0, 16×1, 刚上电 / just powered up  [第 2 次才应答 / took 2 tries]',
        '    8  未知类型 / unknown type 0x2A, firmware 1.0, 16×1, 刚上电 / just powered up',
        '    9  呼叫器 / keypad, firmware 1.0, 刚上电 / just powered up',
      ]);
      // The scan only read: the display box still sees every board's restart.
      expect([2, 4, 6, 8].map((a) => bus.board(a).flags & 1)).toEqual([1, 1, 1, 1]);
    } finally {
      await bus.close();
      await pair.close();
    }
  }, 60_000);
});
