import type { HubLink } from '@nextup/agent-kit';
import type { Bilingual } from '@nextup/core';
import type { Logger } from '@nextup/hub-client';
import { hubOffersResponse, type KioskOffer, parseWith } from '@nextup/protocol';
import { checkInClosed, kioskOffers } from './offers.ts';

export interface OffersFeedOptions {
  /** The live hub link, or null while not paired. */
  link: () => HubLink | null;
  /** The services this kiosk shows (its settings; empty = the branch's order). */
  services: () => readonly string[];
  logger: Logger;
  /** Refresh when nothing happens (opening hours pass), ms. */
  refreshMs: number;
  onChange: () => void;
}

/**
 * The start screen's figures, asked of the hub (its clock decides opening hours): after every change
 * of the branch (debounced), when the link comes back, and every `refreshMs` while nothing happens.
 * One request at a time; a change meanwhile asks again once it is answered.
 */
export class OffersFeed {
  offers: KioskOffer[] = [];
  checkInClosed: Bilingual | null = null;
  serverTime: number | null = null;
  readonly #o: OffersFeedOptions;
  #timer: ReturnType<typeof setInterval> | null = null;
  #debounce: ReturnType<typeof setTimeout> | null = null;
  #inFlight = false;
  #again = false;
  #closed = false;

  constructor(options: OffersFeedOptions) {
    this.#o = options;
  }

  /** Starts the idle refresh (a link has started). */
  start(): void {
    this.stop();
    this.#timer = setInterval(() => void this.refresh(), this.#o.refreshMs);
    this.#timer.unref?.();
  }

  /** Stops the idle refresh and forgets the offers (the kiosk is blank again). */
  stop(): void {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
    this.offers = [];
  }

  /** Refreshes after `delayMs`, once however many times it is asked meanwhile. */
  schedule(delayMs: number): void {
    if (this.#debounce || this.#closed) return;
    this.#debounce = setTimeout(() => {
      this.#debounce = null;
      void this.refresh();
    }, delayMs);
  }

  async refresh(): Promise<void> {
    const link = this.#o.link();
    if (!link || this.#closed) return;
    if (this.#inFlight) {
      this.#again = true;
      return;
    }
    this.#inFlight = true;
    try {
      const r = await link.http.get('/api/v1/offers');
      if (r.status !== 200) {
        this.#o.logger.warn({ status: r.status }, 'offers refused');
        return;
      }
      const parsed = parseWith(hubOffersResponse, r.body);
      if (!parsed.ok) {
        this.#o.logger.warn({ error: parsed.error }, 'offers: unexpected answer');
        return;
      }
      if (link !== this.#o.link()) return;
      this.offers = kioskOffers(parsed.value.offers, this.#o.services());
      this.checkInClosed = checkInClosed(parsed.value.offers, this.#o.services());
      this.serverTime = parsed.value.serverTime;
      this.#o.onChange();
    } catch (e) {
      this.#o.logger.debug({ err: String(e) }, 'offers not refreshed (hub unreachable)');
    } finally {
      this.#inFlight = false;
      if (this.#again) {
        this.#again = false;
        void this.refresh();
      }
    }
  }

  close(): void {
    this.#closed = true;
    if (this.#timer) clearInterval(this.#timer);
    if (this.#debounce) clearTimeout(this.#debounce);
  }
}
