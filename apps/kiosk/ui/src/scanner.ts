/**
 * Tells a keyboard-wedge barcode/QR scanner from a person typing. A wedge scanner is a USB keyboard as
 * far as the computer knows: it "types" the code it read, then Enter. The difference is speed: a
 * scanner sends a key every 1–15 ms (USB HID polls every 1–8 ms; Bluetooth models up to ~30 ms),
 * while even a fast typist leaves 80–200 ms between keys and almost never keeps four keys in a row
 * under 50 ms.
 *
 * The rule (the thresholds are `WedgeOptions`):
 * - a burst is keys that each follow the one before within `maxGapMs` (default 50 ms);
 * - a burst of at least `minLength` (default 4) characters ended by Enter within `maxGapMs` of its
 *   last key is a scan;
 * - anything else is a person: each character is handed on once `maxGapMs` passed with no next key
 *   (so typed keys show up at most 50 ms late, which nobody notices), and Enter after slow keys is
 *   the person pressing Enter.
 */
export interface WedgeOptions {
  /** Longest gap between two keys of one scan, ms. Default 50. */
  maxGapMs?: number;
  /** Fewest characters a scan has (shorter bursts are a person). Default 4. */
  minLength?: number;
  /** Longest code accepted; longer bursts are dropped as noise. Default 32. */
  maxLength?: number;
}

export type WedgeAction =
  /** A scanned code (without the Enter). */
  | { type: 'scan'; code: string }
  /** Characters a person typed. */
  | { type: 'typed'; text: string }
  /** A person pressed Enter. */
  | { type: 'enter' }
  /** A person pressed Backspace. */
  | { type: 'backspace' };

export const DEFAULT_WEDGE: Required<WedgeOptions> = { maxGapMs: 50, minLength: 4, maxLength: 32 };

/**
 * Feed it every key (`KeyboardEvent.key` and `timeStamp`); it answers with what the keys meant. Call
 * `tick(now)` from a timer (every ~`maxGapMs`) so that a lone typed key is handed on.
 */
export class WedgeDetector {
  readonly options: Required<WedgeOptions>;
  #buf = '';
  #last = Number.NEGATIVE_INFINITY;
  #arrived = Number.NEGATIVE_INFINITY;

  constructor(options: WedgeOptions = {}) {
    this.options = { ...DEFAULT_WEDGE, ...options };
    const { maxGapMs, minLength, maxLength } = this.options;
    if (!(maxGapMs > 0)) throw new TypeError(`maxGapMs must be > 0; got ${maxGapMs}`);
    if (!(Number.isInteger(minLength) && minLength >= 2))
      throw new TypeError(`minLength must be a whole number ≥ 2; got ${minLength}`);
    if (!(Number.isInteger(maxLength) && maxLength >= minLength))
      throw new TypeError(`maxLength must be ≥ minLength; got ${maxLength}`);
  }

  /** Whether keys are being held back (a burst in progress). */
  get pending(): boolean {
    return this.#buf.length > 0;
  }

  /**
   * One key: `t` is when it was pressed (`KeyboardEvent.timeStamp`), `arrivedAt` when the page got it
   * (default `t`); they differ when the page was busy and keys queued up.
   */
  key(key: string, t: number, arrivedAt = t): WedgeAction[] {
    this.#arrived = arrivedAt;
    const out: WedgeAction[] = [];
    const gap = t - this.#last;
    if (key === 'Enter') {
      if (this.#buf.length >= this.options.minLength && gap <= this.options.maxGapMs) {
        out.push({ type: 'scan', code: this.#buf });
        this.#buf = '';
      } else {
        this.#release(out);
        out.push({ type: 'enter' });
      }
      this.#last = Number.NEGATIVE_INFINITY;
      return out;
    }
    if (key === 'Backspace') {
      this.#release(out);
      out.push({ type: 'backspace' });
      this.#last = Number.NEGATIVE_INFINITY;
      return out;
    }
    // Shift, Tab, arrows…: not part of a code; a scanner never sends them mid-code.
    if ([...key].length !== 1) return out;
    if (this.#buf.length > 0 && gap > this.options.maxGapMs) this.#release(out);
    if (this.#buf.length >= this.options.maxLength) this.#buf = '';
    this.#buf += key;
    this.#last = t;
    return out;
  }

  /**
   * Hands on held-back keys once no key came for longer than `maxGapMs`: a person typing. Measured
   * from the later of the last key's press and arrival, so that a scan whose keys the page received
   * late (a busy moment) is not cut in two.
   */
  tick(now: number): WedgeAction[] {
    const out: WedgeAction[] = [];
    const last = Math.max(this.#last, this.#arrived);
    if (this.#buf.length > 0 && now - last > this.options.maxGapMs) this.#release(out);
    return out;
  }

  #release(out: WedgeAction[]) {
    if (this.#buf.length > 0) out.push({ type: 'typed', text: this.#buf });
    this.#buf = '';
  }
}
