import { describe, expect, it } from 'vitest';
import { BinaryHeap } from './binary-heap.ts';

describe('the binary heap', () => {
  it('gives back every item in the order `before` says, ties as the caller breaks them', () => {
    const items = Array.from({ length: 200 }, (_, i) => ({ key: (i * 37) % 11, seq: i }));
    const heap = new BinaryHeap<{ key: number; seq: number }>(
      (a, b) => a.key < b.key || (a.key === b.key && a.seq < b.seq),
    );
    for (const x of items) heap.push(x);
    expect(heap.length).toBe(200);
    const out: { key: number; seq: number }[] = [];
    for (let x = heap.pop(); x !== undefined; x = heap.pop()) out.push(x);
    expect(out).toEqual([...items].sort((a, b) => a.key - b.key || a.seq - b.seq));
    expect(heap.peek()).toBeUndefined();
  });
});
