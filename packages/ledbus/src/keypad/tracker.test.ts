import { describe, expect, it } from 'vitest';
import { KeypadTracker } from './tracker.ts';

describe('the keypad handshake (master side)', () => {
  it('takes every event on first contact, then acknowledges the last one', () => {
    const t = new KeypadTracker(101);
    expect(t.pollRequest()).toEqual({ kind: 'poll', address: 101, session: 0, ack: 0 });
    const got = t.accept({
      session: 0x5a,
      events: [
        { n: 1, key: 'next' },
        { n: 2, key: 'recall' },
      ],
    });
    expect(got.map((e) => e.n)).toEqual([1, 2]);
    expect(t.pollRequest()).toEqual({ kind: 'poll', address: 101, session: 0x5a, ack: 2 });
  });

  it('drops the repeats when a reply was lost and the keypad sends the same events again', () => {
    const t = new KeypadTracker(101);
    t.accept({ session: 7, events: [{ n: 1, key: 'next' }] });
    // The reply carrying #1 and #2 was lost after we took #1; the keypad resends from #1.
    const got = t.accept({
      session: 7,
      events: [
        { n: 1, key: 'next' },
        { n: 2, key: 'pause' },
      ],
    });
    expect(got).toEqual([{ n: 2, key: 'pause' }]);
  });

  it('counts across the 8-bit wrap', () => {
    const t = new KeypadTracker(101);
    t.accept({ session: 7, events: [{ n: 254, key: 'next' }] });
    expect(
      t
        .accept({
          session: 7,
          events: [
            { n: 255, key: 'next' },
            { n: 0, key: 'next' },
            { n: 1, key: 'recall' },
          ],
        })
        .map((e) => e.n),
    ).toEqual([255, 0, 1]);
  });

  it('starts afresh when the keypad restarted (new session), so its new #1 is not taken for an old one', () => {
    const t = new KeypadTracker(101);
    t.accept({
      session: 7,
      events: [
        { n: 1, key: 'next' },
        { n: 2, key: 'next' },
      ],
    });
    expect(t.accept({ session: 9, events: [{ n: 1, key: 'noShow' }] })).toEqual([{ n: 1, key: 'noShow' }]);
    expect(t.pollRequest()).toMatchObject({ session: 9, ack: 1 });
  });
});
