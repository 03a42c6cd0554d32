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
    // Nothing taken in this session yet: say so with SESSION 0 rather than an ACK of 0, which would
    // be a real event number once N has wrapped (§7).
    if (this.last === null) return { kind: 'poll', address: this.address, session: 0, ack: 0 };
    return { kind: 'poll', address: this.address, session: this.session, ack: this.last };
  }

  /**
   * The events of a poll reply that were not taken before, in order. `sent` is the poll this reply
   * answers (it may be older than `pollRequest()` now, when polls were queued back to back).
   */
  accept(
    reply: { session: number; events: readonly KeyEventOnWire[] },
    sent: { session: number; ack: number },
  ): KeyEventOnWire[] {
    if (reply.session !== this.session) {
      // The keypad restarted (or this is the first contact): its numbering starts afresh.
      this.session = reply.session;
      this.last = null;
    } else if (
      sent.session === reply.session &&
      this.last !== null &&
      reply.events.some((e) => !after(e.n, sent.ack))
    ) {
      // We acknowledged up to `sent.ack` in its own session, so a keypad that kept that session
      // dropped every event up to it before replying (§7): an event at or before it means the keypad
      // restarted and picked the same SESSION again. Its numbering started afresh: new presses.
      this.last = null;
    }
    const fresh: KeyEventOnWire[] = [];
    for (const e of reply.events) {
      // "After" in 8-bit serial-number arithmetic: 1–127 steps ahead of the last taken.
      if (this.last === null || after(e.n, this.last)) {
        fresh.push(e);
        this.last = e.n;
      }
    }
    return fresh;
  }
}

/** `n` is 1–127 steps after `last` in 8-bit serial-number arithmetic. */
function after(n: number, last: number): boolean {
  const ahead = (n - last) & 0xff;
  return ahead >= 1 && ahead <= 127;
}
