import {
  decide,
  evolve,
  fold,
  initialState,
  type QueueCommand,
  type QueueEvent,
  type QueueState,
  sampleBranchConfig,
} from '@nextup/core';
import { dailyReport, reportToCsv } from '@nextup/reports';
import { type BenchSuite, nowMs, rowFromSamples } from '../lib/bench.ts';

const OPEN = Date.UTC(2026, 10, 23, 0, 30); // Monday 08:30 Shanghai
const SERVICES = ['cash', 'cash', 'personal', 'business', 'wealth'];

/**
 * A whole branch day through the decider: `n` tickets over 8 hours, five counters calling, serving
 * and finishing, some no-shows and ratings, then the roll to the next day.
 */
function branchDay(n: number): QueueEvent[] {
  let state: QueueState = initialState(sampleBranchConfig());
  const events: QueueEvent[] = [];
  const run = (c: QueueCommand) => {
    const d = decide(c, state);
    if (!d.ok) return;
    for (const e of d.events) {
      state = evolve(state, e);
      events.push(e);
    }
  };
  for (const counterId of ['c1', 'c2', 'c3', 'c4', 'c5'])
    run({ type: 'OpenCounter', data: { counterId, at: OPEN } });
  const step = (8 * 3600_000) / n;
  for (let i = 0; i < n; i++) {
    const at = OPEN + Math.round(i * step);
    run({
      type: 'IssueTicket',
      data: {
        ticketId: `t${i}`,
        serviceId: SERVICES[i % 5]!,
        class: i % 9 === 0 ? 'vip' : 'normal',
        source: 'kiosk',
        at,
      },
    });
    const counterId = `c${1 + (i % 5)}`;
    if (i % 13 === 0) run({ type: 'MarkNoShow', data: { counterId, at: at + 500 } });
    run({ type: 'CallNext', data: { counterId, at: at + 1000 } });
    run({ type: 'StartServing', data: { counterId, at: at + 30_000 } });
    const current = state.counters[counterId]?.ticketId;
    if (current && i % 3 === 0) {
      run({ type: 'FinishTicket', data: { counterId, at: at + 60_000 } });
      run({ type: 'RateTicket', data: { ticketId: current, score: 1 + (i % 5), at: at + 61_000 } });
    }
  }
  run({ type: 'RollBusinessDay', data: { at: OPEN + 24 * 3600_000 } });
  return events;
}

export default {
  name: 'reports: the daily report',
  async run({ quick }) {
    const n = quick ? 400 : 1500;
    const events = branchDay(n);
    const reportSamples: number[] = [];
    const foldSamples: number[] = [];
    const csvSamples: number[] = [];
    for (let r = 0; r < (quick ? 5 : 20); r++) {
      let t = nowMs();
      const report = dailyReport(events, { day: '2026-11-23', config: sampleBranchConfig() });
      reportSamples.push(nowMs() - t);
      t = nowMs();
      fold(events, initialState(sampleBranchConfig()));
      foldSamples.push(nowMs() - t);
      t = nowMs();
      reportToCsv(report, { lang: 'zh' });
      csvSamples.push(nowMs() - t);
    }
    return [
      rowFromSamples(
        `reports: daily report of a ${n}-ticket day`,
        'ms',
        reportSamples,
        { label: 'fold of the same events', samples: foldSamples },
        `${events.length} events; the hub reads only the day's slice of its log`,
      ),
      rowFromSamples(
        `reports: CSV of that report`,
        'ms',
        csvSamples,
        undefined,
        'both languages cost the same',
      ),
    ];
  },
} satisfies BenchSuite;
