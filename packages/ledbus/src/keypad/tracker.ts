import type { BusRequest, KeyEventOnWire } from '../model.ts';

/**
 * The master's half of the keypad handshake (hardware/led-bus.md, "Keypad poll"): it remembers the
 * keypad's session and the number of the last event it took, sends both with every poll, and takes
 * from each reply only the events after that number. A lost reply is therefore harmless: the keypad
 * keeps its events until they are acknowledged, and the repeats are dropped here. Pure: no I/O.
 */
export class KeypadTracker {
  /** The keypad's session byte as last seen; 0 = none yet. */
  private session = 0;
  /** Number of the last event taken in this session; null = none yet. */
  private last: number | null = null;

  constructor(readonly address: number) {}

  pollRequest(): Extract<BusRequest, { kind: 'poll' }> {
    return { kind: 'poll', address: this.address, session: this.session, ack: this.last ?? 0 };
  }

  /** The events of a poll reply that were not taken before, in order. */
  accept(reply: { session: number; events: readonly KeyEventOnWire[] }): KeyEventOnWire[] {
    if (reply.session !== this.session) {
      // The keypad restarted (or this is the first contact): its numbering starts afresh.
      this.session = reply.session;
      this.last = null;
    }
    const fresh: KeyEventOnWire[] = [];
    for (const e of reply.events) {
      // "After" in 8-bit serial-number arithmetic: 1–127 steps ahead of the last taken.
      const ahead = this.last === null ? 1 : (e.n - this.last) & 0xff;
      if (ahead >= 1 && ahead <= 127) {
        fresh.push(e);
        this.last = e.n;
      }
    }
    return fresh;
  }
}
