import { closeSync, existsSync, openSync, readSync, writeSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { openPtyPair } from './index.ts';

describe('a socat pty pair', () => {
  it('carries every byte value from one end to the other unchanged (raw, no echo)', async () => {
    const pair = await openPtyPair();
    try {
      const fa = openSync(pair.a, 'r+');
      const fb = openSync(pair.b, 'r+');
      // Every byte value, including CR, LF, XON/XOFF, ^C and 0x7F, which a cooked tty would rewrite.
      const sent = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
      writeSync(fa, sent);
      const got = Buffer.alloc(256);
      let n = 0;
      const deadline = Date.now() + 3000;
      while (n < 256 && Date.now() < deadline) n += readSync(fb, got, n, 256 - n, null);
      expect(got.subarray(0, n)).toEqual(sent);
      closeSync(fa);
      closeSync(fb);
    } finally {
      await pair.close();
    }
    expect(existsSync(pair.a)).toBe(false);
  });

  it('reports a missing socat clearly', async () => {
    await expect(openPtyPair({ socat: '/nonexistent/socat' })).rejects.toMatchObject({
      code: 'SOCAT_MISSING',
    });
  });
});
