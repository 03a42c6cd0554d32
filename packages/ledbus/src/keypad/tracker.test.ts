import { describe, expect, it } from 'vitest';
import { KeypadTracker } from './tracker.ts';

describe('the keypad handshake (master side)', () => {
  it('takes every event on first contact, then acknowledges the last one', () => {
    const t = new KeypadTracker(101);
    expect(t.pollRequest()).toEqual({ kind: 'poll', address: 101, session: 0, ack: 0 });
    const got = t.accept(
      {
        session: 0x5a,
        events: [
          { n: 1, key: 'next' },
          { n: 2, key: 'recall' },
        ],
      },
      t.pollRequest(),
    );
    expect(got.map((e) => e.n)).toEqual([1, 2]);
    expect(t.pollRequest()).toEqual({ kind: 'poll', address: 101, session: 0x5a, ack: 2 });
  });

  it('drops the repeats when a poll that did not acknowledge them brings the same events again', () => {
    const t = new KeypadTracker(101);
    const first = t.pollRequest();
    // A second poll built before the first reply was taken: it acknowledges nothing either.
    const second = t.pollRequest();
    t.accept({ session: 7, events: [{ n: 1, key: 'next' }] }, first);
    const got = t.accept(
      {
        session: 7,
        events: [
          { n: 1, key: 'next' },
          { n: 2, key: 'pause' },
        ],
      },
      second,
    );
    expect(got).toEqual([{ n: 2, key: 'pause' }]);
  });

  it('asks with SESSION 0 until it has taken an event of the session, so an ACK of 0 is never ambiguous', () => {
    const t = new KeypadTracker(101);
    t.accept({ session: 7, events: [] }, t.pollRequest());
    expect(t.pollRequest()).toEqual({ kind: 'poll', address: 101, session: 0, ack: 0 });
    t.accept({ session: 7, events: [{ n: 0, key: 'next' }] }, t.pollRequest());
    expect(t.pollRequest()).toEqual({ kind: 'poll', address: 101, session: 7, ack: 0 });
  });

  it('takes a restart with the same SESSION for a restart: events at or before its ACK are new presses', () => {
    const t = new KeypadTracker(101);
    t.accept({ session: 7, events: [{ n: 40, key: 'next' }] }, t.pollRequest());
    const sent = t.pollRequest();
    expect(sent).toMatchObject({ session: 7, ack: 40 });
    // The keypad lost power and came back with SESSION 7 again: its presses are numbered 1, 2.
    const got = t.accept(
      {
        session: 7,
        events: [
          { n: 1, key: 'recall' },
          { n: 2, key: 'next' },
        ],
      },
      sent,
    );
    expect(got.map((e) => [e.n, e.key])).toEqual([
      [1, 'recall'],
      [2, 'next'],
    ]);
    expect(t.pollRequest()).toMatchObject({ session: 7, ack: 2 });
  });

  it('counts across the 8-bit wrap', () => {
    const t = new KeypadTracker(101);
    t.accept({ session: 7, events: [{ n: 254, key: 'next' }] }, t.pollRequest());
    expect(
      t
        .accept(
          {
            session: 7,
            events: [
              { n: 255, key: 'next' },
              { n: 0, key: 'next' },
              { n: 1, key: 'recall' },
            ],
          },
          t.pollRequest(),
        )
        .map((e) => e.n),
    ).toEqual([255, 0, 1]);
  });

  it('starts afresh when the keypad restarted (new session), so its new #1 is not taken for an old one', () => {
    const t = new KeypadTracker(101);
    t.accept(
      {
        session: 7,
        events: [
          { n: 1, key: 'next' },
          { n: 2, key: 'next' },
        ],
      },
      t.pollRequest(),
    );
    expect(t.accept({ session: 9, events: [{ n: 1, key: 'noShow' }] }, t.pollRequest())).toEqual([
      { n: 1, key: 'noShow' },
    ]);
    expect(t.pollRequest()).toMatchObject({ session: 9, ack: 1 });
  });
});
