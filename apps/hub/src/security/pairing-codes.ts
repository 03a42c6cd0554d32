import type { DeviceKind } from '@nextup/protocol';

export interface PairingCodeRecord {
  kind: DeviceKind;
  /** The name the admin gave the device-to-be. */
  name: string;
  /** The admin who made the code (the pairing is logged as theirs). */
  createdBy: string;
  expiresAt: number;
  usedAt: number | null;
}

/**
 * Outstanding pairing codes, in memory only. A code is six digits: any hash of it, salted or not, is
 * read back by trying all 10⁶, so a copy of the database must not hold one. A code lives ten minutes
 * and works once; a hub restarted meanwhile forgets it and the admin makes another.
 */
export class PairingCodes {
  readonly #codes = new Map<string, PairingCodeRecord>();

  /** Stores a new code made by `newCode` (retried until unused) and returns it. */
  create(record: PairingCodeRecord, newCode: () => string, now: number): string {
    this.#prune(now);
    let code = newCode();
    while (this.#codes.has(code)) code = newCode();
    this.#codes.set(code, record);
    return code;
  }

  find(code: string): PairingCodeRecord | null {
    return this.#codes.get(code) ?? null;
  }

  /** Marks a code used if it is still unused; false if someone used it first. */
  use(code: string, at: number): boolean {
    const record = this.#codes.get(code);
    if (!record || record.usedAt !== null) return false;
    record.usedAt = at;
    return true;
  }

  /** Forgets codes an hour past their expiry (until then a late try is told "expired" or "used"). */
  #prune(now: number) {
    for (const [code, r] of this.#codes) if (r.expiresAt < now - 3_600_000) this.#codes.delete(code);
  }
}
