import { describe, expect, it } from 'vitest';
import { atCall, fitPatience, type Observation, priorPatience, stillThere, survives } from './survival.ts';

/** A small deterministic generator (the tests must give the same answer every run). */
function lcg(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/**
 * Customers with exponential patience (mean `patience` min) called after a uniform 0–`maxWait` min
 * wait; a share `pi` of those who give up cancel, the rest walk out and are no-shows when called; a
 * share `q` of those still there do not hear their call. Some are still waiting at the end.
 */
function branchOf(n: number, patience: number, pi: number, q: number, maxWait = 90, seed = 1): Observation[] {
  const rnd = lcg(seed);
  const out: Observation[] = [];
  for (let i = 0; i < n; i++) {
    const T = -Math.log(1 - rnd()) * patience;
    const call = rnd() * maxWait;
    const cancels = rnd() < pi;
    const deaf = rnd() < q;
    if (i % 10 === 0) {
      // Still waiting now (seen without a cancellation) after `call` minutes.
      if (T < call && cancels) out.push({ kind: 'cancelled', waited: T });
      else out.push({ kind: 'waiting', waited: call });
    } else if (T < call)
      out.push(cancels ? { kind: 'cancelled', waited: T } : { kind: 'noShow', waited: call });
    else out.push(deaf ? { kind: 'noShow', waited: call } : { kind: 'served', waited: call });
  }
  return out;
}

describe('who is still in the branch', () => {
  it('recovers patience from no-shows and cancellations, counting silent walk-outs', () => {
    const obs = branchOf(3000, 50, 0.3, 0.03);
    const fit = fitPatience(obs);
    for (const w of [10, 30, 60]) expect(survives(fit, w)).toBeCloseTo(Math.exp(-w / 50), 1);
    expect(fit.pi).toBeGreaterThan(0.22);
    expect(fit.pi).toBeLessThan(0.38);
    expect(fit.q).toBeLessThan(0.06);
  });

  it('sees what counting cancellations alone would miss', () => {
    const obs = branchOf(3000, 50, 0.3, 0.03);
    // Cancellations alone: every no-show taken as someone who was there.
    const naive = fitPatience(
      obs.map((o) => (o.kind === 'noShow' ? { ...o, kind: 'served' as const } : o)),
      priorPatience(),
    );
    const fit = fitPatience(obs);
    expect(survives(naive, 60)).toBeGreaterThan(0.65);
    expect(survives(fit, 60)).toBeLessThan(0.4);
  });

  it('knows a ticket seen waiting may already be empty, and how its call will go', () => {
    const fit = fitPatience(branchOf(3000, 40, 0.2, 0.03, 90, 7));
    // Waited 40 minutes without cancelling: some have walked out unseen already.
    expect(stillThere(fit, 40, 40)).toBeLessThan(0.9);
    expect(stillThere(fit, 40, 70)).toBeLessThan(stillThere(fit, 40, 40));
    const call = atCall(fit, 40, 60);
    expect(call.answers + call.noShow).toBeLessThanOrEqual(1 + 1e-9);
    expect(call.noShow).toBeGreaterThan(0.3);
    // A fresh ticket called at once is almost always answered.
    expect(atCall(fit, 0, 1).answers).toBeGreaterThan(0.9);
  });

  it('starts from the prior and stays near it with little data', () => {
    const prior = priorPatience();
    const fit = fitPatience([{ kind: 'served', waited: 12 }], prior);
    expect(survives(fit, 30)).toBeCloseTo(survives(prior, 30), 1);
    expect(fitPatience([], prior)).toEqual(prior);
  });

  it('counts grouped observations like the same ones one by one', () => {
    const one = fitPatience([
      { kind: 'noShow', waited: 30 },
      { kind: 'noShow', waited: 30 },
      { kind: 'served', waited: 20 },
      { kind: 'served', waited: 20 },
      { kind: 'served', waited: 20 },
    ]);
    const grouped = fitPatience([
      { kind: 'noShow', waited: 30, count: 2 },
      { kind: 'served', waited: 20, count: 3 },
    ]);
    expect(grouped.hazard.map((h) => h.toFixed(12))).toEqual(one.hazard.map((h) => h.toFixed(12)));
  });
});
