import { bandReport, evaluationBranches, formatBandReport, simulateForEvaluation, TUNING_SHAPES, type SimDay, errorStats, printed } from '@nextup/sim';
const reps = Number(process.argv[2] ?? 1);
const seeds = (process.argv[3] ?? '1').split(',').map(Number);
const layouts = process.argv[4] ? (process.argv[4].split(',') as any) : undefined;
const days = seeds.flatMap((seed) => evaluationBranches(seed, reps, '2026-03-02', TUNING_SHAPES, layouts));
const sim = simulateForEvaluation(days);
console.log(formatBandReport(bandReport(sim)));
type Row = { key: string; p: number; a: number; lo: number; hi: number; hol: number };
const rows: Row[] = [];
for (const d of sim) {
  const recs = d.records;
  const byId = new Map(recs.map((r) => [r.ticketId, r]));
  // waiting intervals
  for (const r of recs) {
    if (r.waitMinutes === null) continue;
    // leavers ahead: same service, issued before, called after r.issuedAt or never, outcome noShow/cancelled after
    let leavers = 0;
    for (const o of recs) {
      if (o === r || o.serviceId !== r.serviceId || o.issuedAt >= r.issuedAt) continue;
      const endAt = o.firstCalledAt;
      if (o.outcome === 'noShow' && endAt !== null && endAt > r.issuedAt) leavers++;
    }
    const lb = leavers === 0 ? '0' : leavers <= 2 ? '1-2' : leavers <= 9 ? '3-9' : '10+';
    const hour = Math.floor(r.issueMinute / 60);
    const e = r.estimate;
    const base = { p: e.minutes, a: r.waitMinutes, lo: e.lowMinutes, hi: e.highMinutes, hol: r.predictions.HOL?.minutes ?? NaN };
    rows.push({ key: `leavers ${lb}`, ...base });
    rows.push({ key: `hour ${String(hour).padStart(2, '0')}`, ...base });
    rows.push({ key: `svc ${d.spec.layout}/${r.serviceId}`, ...base });
    rows.push({ key: `class ${r.class}`, ...base });
    if (e.noCounterOpen) rows.push({ key: `nco ${d.spec.layout}/${r.serviceId}`, ...base });
    rows.push({ key: `printed ${e.minutes >= 60 ? '>=60' : e.minutes >= 30 ? '30-60' : '<30'}`, ...base });
  }
}
const groups = new Map<string, Row[]>();
for (const r of rows) (groups.get(r.key) ?? groups.set(r.key, []).get(r.key)!).push(r);
console.log('key                          n     MAE   HOL   bias  cover');
for (const [k, rs] of [...groups].sort()) {
  const s = errorStats(rs.map((r) => ({ predicted: { minutes: r.p, low: r.lo, high: r.hi }, actual: r.a })));
  const h = errorStats(rs.map((r) => ({ predicted: { minutes: r.hol, low: 0, high: 0 }, actual: r.a })));
  console.log(`${k.padEnd(26)} ${String(s.n).padStart(5)} ${s.mae.toFixed(1).padStart(6)} ${h.mae.toFixed(1).padStart(5)} ${s.bias.toFixed(1).padStart(6)} ${(s.coverage * 100).toFixed(0).padStart(5)}%`);
}
