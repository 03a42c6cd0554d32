import { BinaryHeap } from './binary-heap.ts';
import { type DispatchTicket, headStartMs, rankPenaltyMs } from './dispatch.ts';
import { MINUTE } from './durations.ts';
import type { CounterConfig, DispatchSettings } from './types.ts';

/**
 * The dispatch rule of `dispatch.ts` (`pickTicket` + `overtakenBy`) for a queue that is called again
 * and again, as the estimator's forward run does: the same picks in O(services × log n) each instead
 * of a scan of every waiting ticket. A run that calls a queue of n tickets costs O(n log n), not n².
 *
 * Why it can be fast: between two tickets of the same service the "call next" score differs by a
 * constant (both have waited the same extra time since), so each service keeps its tickets in a heap
 * ordered by `head start − queued at`; a counter compares only the heads of its services' heaps,
 * minus its rank penalty. Ageing is the one part that changes as calls happen: a call overtakes every
 * earlier ticket eligible at that counter. Each service keeps its tickets in joining order in a
 * segment tree with range add and max, so "overtake everyone before this one" and "the oldest
 * ticket overtaken `maxOvertakes` times" are both O(log n). Appointments become due at a known time
 * (their slot − the lead): each service keeps a heap of those still to become due.
 *
 * Tickets join in `queueOrder`; one added later must have a larger `queueOrder` than all before it
 * (the forward run's imagined arrivals do). Time (`now`) must not go backwards between picks.
 */

const GONE = Number.NEGATIVE_INFINITY;

/**
 * Max of a range with range add, over positions 0…size−1; unused positions hold −∞. Bottom-up, with
 * no lazy pushes: a node's `add` applies to its whole subtree and `mx` is its subtree's max with its
 * own `add` included (so the true value of a leaf is its `mx` plus the adds of its ancestors).
 */
class MaxAddTree {
  size: number;
  private readonly mx: Float64Array;
  private readonly add: Float64Array;

  constructor(capacity: number) {
    let size = 1;
    while (size < Math.max(1, capacity)) size <<= 1;
    this.size = size;
    this.mx = new Float64Array(2 * size).fill(GONE);
    this.add = new Float64Array(2 * size);
  }

  /** Recomputes the ancestors of `node` (a leaf or an inner node) from their children. */
  private pull(node: number): void {
    for (let n = node >> 1; n >= 1; n >>= 1)
      this.mx[n] = Math.max(this.mx[2 * n]!, this.mx[2 * n + 1]!) + this.add[n]!;
  }

  /** The adds of the strict ancestors of a leaf. */
  private above(leaf: number): number {
    let sum = 0;
    for (let n = leaf >> 1; n >= 1; n >>= 1) sum += this.add[n]!;
    return sum;
  }

  set(pos: number, value: number): void {
    const leaf = pos + this.size;
    this.add[leaf] = 0;
    this.mx[leaf] = value === GONE ? GONE : value - this.above(leaf);
    this.pull(leaf);
  }

  get(pos: number): number {
    const leaf = pos + this.size;
    return this.mx[leaf]! + this.above(leaf);
  }

  /** Adds `v` to positions 0…end−1. */
  addPrefix(end: number, v: number): void {
    if (end <= 0) return;
    if (end >= this.size) {
      this.add[1]! += v;
      this.mx[1]! += v;
      return;
    }
    // The maximal subtrees covering [0, end): walk up from the leaf at `end`, taking left siblings.
    let n = end + this.size;
    const touched: number[] = [];
    while (n > 1) {
      if (n & 1) {
        const left = n - 1;
        this.add[left]! += v;
        this.mx[left]! += v;
        touched.push(left);
      }
      n >>= 1;
    }
    for (const t of touched) this.pull(t);
  }

  /** The leftmost position whose value is at least `threshold`, or −1. */
  firstAtLeast(threshold: number): number {
    if (this.mx[1]! < threshold) return -1;
    let n = 1;
    let acc = 0; // adds of the strict ancestors of n
    while (n < this.size) {
      acc += this.add[n]!;
      const l = 2 * n;
      n = this.mx[l]! + acc >= threshold ? l : l + 1;
    }
    return n - this.size;
  }
}

/** One service's waiting tickets (those not transferred to one specific counter), in joining order. */
class Lane<T extends DispatchTicket> {
  readonly items: T[] = [];
  /** `queueOrder` by position, ascending. */
  readonly orders: number[] = [];
  /** head start − queued at, ms: the score without the common `at` and the counter's rank. */
  readonly keys: number[] = [];
  readonly removed: boolean[] = [];
  tree: MaxAddTree;
  /** Tier 3: best score first. */
  readonly byScore: BinaryHeap<number>;
  /** Appointments not yet due, soonest due first. */
  readonly pending: BinaryHeap<number>;
  /** Appointments due: earliest slot first. */
  readonly due: BinaryHeap<number>;
  private readonly dueAt: number[] = [];

  constructor(
    capacity: number,
    private readonly settings: DispatchSettings,
  ) {
    this.tree = new MaxAddTree(capacity);
    this.byScore = new BinaryHeap<number>((a, b) =>
      this.keys[a] !== this.keys[b] ? this.keys[a]! > this.keys[b]! : this.orders[a]! < this.orders[b]!,
    );
    this.pending = new BinaryHeap<number>((a, b) => this.dueAt[a]! < this.dueAt[b]!);
    this.due = new BinaryHeap<number>((a, b) => {
      const sa = this.items[a]!.slotStart ?? 0;
      const sb = this.items[b]!.slotStart ?? 0;
      return sa !== sb ? sa < sb : this.orders[a]! < this.orders[b]!;
    });
  }

  add(t: T): void {
    const pos = this.items.length;
    if (pos >= this.tree.size) this.grow();
    this.items.push(t);
    this.orders.push(t.queueOrder);
    this.keys.push(headStartMs(t, this.settings) - t.queuedAt);
    this.removed.push(false);
    this.tree.set(pos, t.overtaken);
    this.byScore.push(pos);
    if (t.class === 'appointment' && t.slotStart !== null) {
      this.dueAt[pos] = t.slotStart - this.settings.appointmentLeadMinutes * MINUTE;
      this.pending.push(pos);
    }
  }

  private grow(): void {
    const old = this.tree;
    this.tree = new MaxAddTree(old.size * 2);
    for (let p = 0; p < this.items.length; p++) this.tree.set(p, old.get(p));
  }

  remove(pos: number): void {
    this.removed[pos] = true;
    this.tree.set(pos, GONE);
  }

  /** Positions of tickets that joined before `queueOrder`: 0…(returned)−1. */
  before(queueOrder: number): number {
    let lo = 0;
    let hi = this.orders.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.orders[mid]! < queueOrder) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  aged(): number {
    return this.tree.firstAtLeast(this.settings.maxOvertakes);
  }

  /** The earliest-slot appointment due at `now`, or −1. */
  dueHead(now: number): number {
    for (let p = this.pending.peek(); p !== undefined && this.dueAt[p]! <= now; p = this.pending.peek()) {
      this.pending.pop();
      if (!this.removed[p]) this.due.push(p);
    }
    return this.head(this.due);
  }

  scoreHead(): number {
    return this.head(this.byScore);
  }

  private head(heap: BinaryHeap<number>): number {
    for (let p = heap.peek(); p !== undefined; p = heap.peek()) {
      if (!this.removed[p]) return p;
      heap.pop();
    }
    return -1;
  }
}

interface Where {
  lane: Lane<DispatchTicket> | null;
  pos: number;
}

export class ForwardQueue<T extends DispatchTicket> {
  private readonly lanes = new Map<string, Lane<T>>();
  /** Tickets transferred to one counter: only it may call them, first, oldest first. */
  private readonly targeted = new Map<string, T[]>();
  private readonly where = new Map<T, Where>();
  private lastOrder = Number.NEGATIVE_INFINITY;
  private count = 0;

  /**
   * @param initial tickets waiting now, in any order.
   * @param capacityOf expected tickets per service over the whole run (a hint: lanes grow if needed).
   */
  constructor(
    private readonly settings: DispatchSettings,
    initial: readonly T[],
    capacityOf: (serviceId: string) => number = () => 16,
  ) {
    const sorted = [...initial].sort((a, b) => a.queueOrder - b.queueOrder);
    const perService = new Map<string, number>();
    for (const t of sorted) perService.set(t.serviceId, (perService.get(t.serviceId) ?? 0) + 1);
    for (const [id, n] of perService) this.lanes.set(id, new Lane<T>(n + capacityOf(id), settings));
    for (const t of sorted) this.insert(t);
  }

  get size(): number {
    return this.count;
  }

  /** Adds a ticket that joins now: its `queueOrder` must be larger than every ticket's before it. */
  add(t: T): void {
    if (t.queueOrder <= this.lastOrder)
      throw new RangeError(`ticket ${t.id} joins out of order (${t.queueOrder} ≤ ${this.lastOrder})`);
    this.insert(t);
  }

  private insert(t: T): void {
    this.lastOrder = Math.max(this.lastOrder, t.queueOrder);
    this.count++;
    if (t.targetCounterId !== null) {
      const list = this.targeted.get(t.targetCounterId);
      if (list) list.push(t);
      else this.targeted.set(t.targetCounterId, [t]);
      this.where.set(t, { lane: null, pos: -1 });
      return;
    }
    let lane = this.lanes.get(t.serviceId);
    if (!lane) {
      lane = new Lane<T>(16, this.settings);
      this.lanes.set(t.serviceId, lane);
    }
    this.where.set(t, { lane: lane as unknown as Lane<DispatchTicket>, pos: lane.items.length });
    lane.add(t);
  }

  /** How many times the ticket has been overtaken so far (ageing). */
  overtaken(t: T): number {
    const w = this.where.get(t);
    if (!w?.lane) return t.overtaken;
    return w.lane.tree.get(w.pos);
  }

  /** The ticket "call next" gives `counter` at `now`: the same as `pickTicket`. */
  pick(counter: CounterConfig, now: number): T | null {
    const mine = this.targeted.get(counter.id);
    if (mine && mine.length > 0) return mine[0]!;

    // Tier 1: overtaken too often, oldest first.
    let best: T | null = null;
    for (const s of counter.services) {
      const lane = this.lanes.get(s);
      if (!lane) continue;
      const p = lane.aged();
      if (p >= 0 && (best === null || lane.orders[p]! < best.queueOrder)) best = lane.items[p]!;
    }
    if (best) return best;

    // Tier 2: appointments whose slot has come, earliest slot first.
    for (const s of counter.services) {
      const lane = this.lanes.get(s);
      if (!lane) continue;
      const p = lane.dueHead(now);
      if (p < 0) continue;
      const t = lane.items[p]!;
      if (
        best === null ||
        (t.slotStart ?? 0) < (best.slotStart ?? 0) ||
        ((t.slotStart ?? 0) === (best.slotStart ?? 0) && t.queueOrder < best.queueOrder)
      )
        best = t;
    }
    if (best) return best;

    // Tier 3: best score, the counter's rank penalty taken off each service's best.
    let bestScore = 0;
    counter.services.forEach((s, rank) => {
      const lane = this.lanes.get(s);
      if (!lane) return;
      const p = lane.scoreHead();
      if (p < 0) return;
      const score = lane.keys[p]! - rankPenaltyMs(rank, this.settings);
      const t = lane.items[p]!;
      if (best === null || score > bestScore || (score === bestScore && t.queueOrder < best.queueOrder)) {
        best = t;
        bestScore = score;
      }
    });
    return best;
  }

  /**
   * `counter` calls `t`: it leaves the queue, and every earlier ticket eligible at that counter has
   * been overtaken once more (`overtakenBy`) — unless `overtakes` is false: a ticket that only rides
   * along in the estimator's run leaves without a trace.
   */
  take(t: T, counter: CounterConfig, overtakes = true): void {
    const w = this.where.get(t);
    if (!w) return;
    this.where.delete(t);
    this.count--;
    if (w.lane) w.lane.remove(w.pos);
    else {
      const list = this.targeted.get(t.targetCounterId ?? '');
      const i = list ? list.indexOf(t) : -1;
      if (list && i >= 0) list.splice(i, 1);
    }
    if (!overtakes) return;
    for (const s of counter.services) {
      const lane = this.lanes.get(s);
      if (lane) lane.tree.addPrefix(lane.before(t.queueOrder), 1);
    }
  }
}
