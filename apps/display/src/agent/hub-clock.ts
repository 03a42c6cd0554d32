import type { HubLink } from '@nextup/agent-kit';
import { healthResponse } from '@nextup/protocol';

/** The hub's clock as sampled: the hub's time at one local instant. */
export interface ClockSample {
  hubTime: number;
  localTime: number;
}

/**
 * The branch clock on the screen and the boards: the hub's time, sampled over the link every
 * `sampleMs` (and when it comes online), running on locally between samples and while offline.
 */
export class HubClock {
  #sample: ClockSample | null = null;
  #timer: ReturnType<typeof setInterval> | null = null;
  readonly #sampleMs: number;
  readonly #onSample: () => void;

  constructor(options: { sampleMs: number; onSample: () => void }) {
    this.#sampleMs = options.sampleMs;
    this.#onSample = options.onSample;
  }

  get sample(): ClockSample | null {
    return this.#sample;
  }

  /** The hub's time now, or null before the first sample. */
  now(): number | null {
    const s = this.#sample;
    return s ? s.hubTime + (Date.now() - s.localTime) : null;
  }

  /** Samples `link()` every `sampleMs` from now on. */
  start(link: () => HubLink | null): void {
    this.stop();
    this.#timer = setInterval(() => void this.sampleFrom(link()), this.#sampleMs);
    this.#timer.unref();
  }

  stop(): void {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
  }

  /** Asks the hub its time (half the round trip added). */
  async sampleFrom(link: HubLink | null): Promise<void> {
    if (!link) return;
    const t0 = Date.now();
    try {
      const r = await link.http.getJson(healthResponse, '/api/v1/health');
      const t1 = Date.now();
      if (r.ok) {
        this.#sample = { hubTime: Math.round(r.value.time + (t1 - t0) / 2), localTime: t1 };
        this.#onSample();
      }
    } catch {
      /* offline: the clock runs on from the last sample */
    }
  }
}
