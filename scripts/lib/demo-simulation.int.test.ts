import { type Client, setUpAdmin, startTestHub, type TestHub } from '@nextup/hub/testing';
import type { CustomerAdvice, LiveAction } from '@nextup/sim';
import { afterEach, describe, expect, it } from 'vitest';
import { runSimulation } from './demo-simulation.ts';
import type { StaffSession } from './hub-session.ts';

/** The test's script of the day: actions pushed one by one, consumed as the demo's live player. */
class Script implements AsyncIterable<{ action: LiveAction }> {
  #queue: LiveAction[] = [];
  #wake: (() => void) | null = null;
  #ended = false;
  push(action: LiveAction) {
    this.#queue.push(action);
    this.#wake?.();
  }
  end() {
    this.#ended = true;
    this.#wake?.();
  }
  async *[Symbol.asyncIterator]() {
    for (;;) {
      const next = this.#queue.shift();
      if (next) yield { action: next };
      else if (this.#ended) return;
      else await new Promise<void>((r) => (this.#wake = r));
    }
  }
}

const advice = (answers: CustomerAdvice['answers'], serveMinutes = 4): CustomerAdvice => ({
  walkMs: 20_000,
  answers,
  serveMs: serveMinutes * 60_000,
  transfer: null,
});

let hub: TestHub | null = null;
afterEach(async () => {
  await hub?.close();
  hub = null;
});

/** Lets hub time pass in steps while the bots (ticking every 250 ms of real time) act on it. */
async function passTime(h: TestHub, minutes: number) {
  for (let i = 0; i < minutes * 2; i++) {
    h.clock.advance(30_000);
    await new Promise((r) => setTimeout(r, 300));
  }
}

/**
 * A real hub and the demo's teller bots running a day on it, with what they do pushed by `script`:
 * the tickets they issued (ids, in order), the lines they logged, and `end()` to stop them.
 */
async function startBotsDay() {
  const h = await startTestHub();
  hub = h;
  const admin: Client = await setUpAdmin(h);
  const manager = {
    command: async (c: Parameters<StaffSession['command']>[0]) => (await admin.command(c)).body,
  } as StaffSession;
  const script = new Script();
  const stop = new AbortController();
  const log: string[] = [];
  const issued: string[] = [];
  const day = runSimulation(
    { speed: 1, seed: 1, shape: 'normal', date: '2026-11-23', signal: stop.signal, actions: script },
    {
      manager,
      issue: async (serviceId) => {
        const r = await admin.command({ type: 'IssueTicket', data: { serviceId, class: 'normal' } });
        const id = r.status === 200 ? (r.body.ticket.id as string) : null;
        if (id) issued.push(id);
        return id;
      },
      checkIn: async () => null,
      state: () => h.hub.view.state,
      now: () => h.clock.now(),
      log: (line) => log.push(line),
    },
  );
  return {
    h,
    script,
    issued,
    log,
    state: () => h.hub.view.state,
    async end() {
      script.end();
      stop.abort();
      await day;
    },
  };
}

describe("the demo's teller bots", () => {
  it('close a counter whose called customer never comes: recall, no-show, closed, and nobody else called to it', async () => {
    const { h, script, issued, log, state, end } = await startBotsDay();
    try {
      script.push({ kind: 'openCounter', counterId: 'c1', tellerSpeed: 1 });
      script.push({
        kind: 'arrive',
        customer: 'x',
        serviceId: 'cash',
        class: 'normal',
        advice: advice('never'),
      });
      script.push({
        kind: 'arrive',
        customer: 'y',
        serviceId: 'cash',
        class: 'normal',
        advice: advice('yes'),
      });
      await expect
        .poll(() => issued.length === 2 && state().tickets[issued[0]!]?.status === 'called', {
          timeout: 10_000,
          message: 'x called',
        })
        .toBeTruthy();
      const [x, y] = issued as [string, string];
      expect(state().counters.c1?.ticketId).toBe(x);

      // The teller's shift ends while x has been called and has not come.
      script.push({ kind: 'closeCounter', counterId: 'c1', early: false });
      await passTime(h, 3);
      await expect
        .poll(() => state().counters.c1?.status === 'closed', {
          timeout: 10_000,
          message: 'counter 1 closed',
        })
        .toBeTruthy();

      expect(state().counters.c1).toMatchObject({ status: 'closed', ticketId: null });
      expect(state().tickets[x]).toMatchObject({ status: 'noShow', recalls: 1 });
      // y was not called to a counter whose teller was leaving: still waiting for the next one.
      expect(state().tickets[y]?.status).toBe('waiting');
      expect(log.filter((l) => l.includes('('))).toEqual([]);
    } finally {
      await end();
    }
  });

  it('finish the customer at the counter before closing it', async () => {
    const { h, script, issued, state, end } = await startBotsDay();
    try {
      script.push({ kind: 'openCounter', counterId: 'c1', tellerSpeed: 1 });
      script.push({
        kind: 'arrive',
        customer: 'z',
        serviceId: 'cash',
        class: 'normal',
        advice: advice('yes', 3),
      });
      script.push({
        kind: 'arrive',
        customer: 'w',
        serviceId: 'cash',
        class: 'normal',
        advice: advice('yes'),
      });
      await expect
        .poll(() => issued.length === 2 && state().tickets[issued[0]!]?.status === 'called', {
          timeout: 10_000,
          message: 'z called',
        })
        .toBeTruthy();
      const [z, w] = issued as [string, string];
      script.push({ kind: 'closeCounter', counterId: 'c1', early: false });
      await passTime(h, 5);
      await expect
        .poll(() => state().counters.c1?.status === 'closed', {
          timeout: 10_000,
          message: 'counter 1 closed',
        })
        .toBeTruthy();
      expect(state().tickets[z]).toMatchObject({ status: 'done' });
      expect(state().tickets[w]?.status).toBe('waiting');
    } finally {
      await end();
    }
  });
});
