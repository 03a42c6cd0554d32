import type { BranchView } from '@nextup/hub-view';
import { hubView, parseWith, queueState } from '@nextup/protocol';
import type { Db } from './db.ts';

/**
 * Snapshots of the folded view, so a restart replays only the events after the newest one. Bump
 * `SNAPSHOT_FORMAT` whenever the shape of `QueueState` or `HubView` changes: an older snapshot is
 * then ignored and the hub folds the whole log again (slower, never wrong).
 */
export const SNAPSHOT_FORMAT = 2; // 2: devices carry their settings

export class Snapshots {
  readonly #db: Db;
  constructor(db: Db) {
    this.#db = db;
  }

  save(view: BranchView, takenAt: number): void {
    this.#db.transaction(() => {
      this.#db
        .prepare('INSERT OR REPLACE INTO snapshots (seq, format, view, taken_at) VALUES (?, ?, ?, ?)')
        .run(view.seq, SNAPSHOT_FORMAT, JSON.stringify(view), takenAt);
      // Keep the newest three.
      this.#db
        .prepare(
          'DELETE FROM snapshots WHERE seq NOT IN (SELECT seq FROM snapshots ORDER BY seq DESC LIMIT 3)',
        )
        .run();
    })();
  }

  /** The newest usable snapshot at or before `maxSeq`, or null. */
  latest(maxSeq: number): BranchView | null {
    const rows = this.#db
      .prepare<[number, number], { view: string }>(
        'SELECT view FROM snapshots WHERE seq <= ? AND format = ? ORDER BY seq DESC LIMIT 3',
      )
      .all(maxSeq, SNAPSHOT_FORMAT);
    for (const row of rows) {
      try {
        const v = JSON.parse(row.view) as BranchView;
        if (parseWith(queueState, v.state).ok && parseWith(hubView, v.hub).ok && Number.isInteger(v.seq))
          return v;
      } catch {
        /* a damaged snapshot is skipped */
      }
    }
    return null;
  }
}
