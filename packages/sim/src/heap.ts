import { BinaryHeap } from '@nextup/core';

interface Planned {
  at: number;
  seq: number;
  run: () => void;
}

/**
 * The simulator's agenda: timed actions on core's binary heap. Ties break by insertion order, so two
 * things scheduled for the same millisecond happen in the order they were planned — that, and the
 * seeded random source, is what makes a day repeat exactly.
 */
export class Agenda {
  private readonly heap = new BinaryHeap<Planned>((x, y) => x.at < y.at || (x.at === y.at && x.seq < y.seq));
  private seq = 0;

  get size(): number {
    return this.heap.length;
  }

  push(at: number, run: () => void): void {
    this.heap.push({ at, seq: this.seq++, run });
  }

  /** The earliest action, removed; undefined when the agenda is empty. */
  pop(): { at: number; run: () => void } | undefined {
    return this.heap.pop();
  }
}
