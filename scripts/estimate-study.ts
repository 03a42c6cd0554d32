/**
 * The wait estimate's study set: the days the estimator may be tuned on (seeds 1–3 from 2026-03-02,
 * every layout, every shape but the reporting-only ones). `pnpm bench sim` reports on other days.
 *
 * Usage: npx tsx scripts/estimate-study.ts [reps=1] [seed=1]
 */
import {
  bandReport,
  evaluationBranches,
  formatBandReport,
  simulateForEvaluation,
  TUNING_SHAPES,
} from '@nextup/sim';

const reps = Number(process.argv[2] ?? 1);
const seeds = (process.argv[3] ?? '1').split(',').map(Number);
const days = seeds.flatMap((seed) => evaluationBranches(seed, reps, '2026-03-02', TUNING_SHAPES));
const t = performance.now();
const simulated = simulateForEvaluation(days);
console.log(formatBandReport(bandReport(simulated)));
console.log(`${days.length} days in ${((performance.now() - t) / 1000).toFixed(1)} s`);
