/**
 * `pnpm bench`: runs every suite in scripts/bench/*.bench.ts, prints one table (figure, median, p99,
 * baseline measured in the same run, ratio) and writes the same rows to bench-results.json.
 *
 * Usage: pnpm bench [--quick] [suite-name-filter…]
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { BenchRow, BenchSuite } from './lib/bench.ts';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2).filter((a) => a !== '--');
const quick = args.includes('--quick');
const filters = args.filter((a) => !a.startsWith('--'));
const outDir = join(root, 'bench-output');
mkdirSync(outDir, { recursive: true });

const files = readdirSync(join(root, 'scripts', 'bench'))
  .filter((f) => f.endsWith('.bench.ts'))
  .sort();

const rows: (BenchRow & { suite: string })[] = [];
const failures: string[] = [];
for (const file of files) {
  const suite = (await import(pathToFileURL(join(root, 'scripts', 'bench', file)).href))
    .default as BenchSuite;
  if (filters.length > 0 && !filters.some((f) => suite.name.includes(f) || file.includes(f))) continue;
  process.stdout.write(`▶ ${suite.name}\n`);
  const started = Date.now();
  try {
    const got = await suite.run({ quick, outDir, log: (line) => process.stdout.write(`  ${line}\n`) });
    for (const r of got) rows.push({ suite: suite.name, ...r });
    process.stdout.write(`  done in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
  } catch (e) {
    failures.push(`${suite.name}: ${(e as Error).stack ?? e}`);
    process.stdout.write(`  FAILED: ${(e as Error).message}\n`);
  }
}

const fmt = (v: number | null) => {
  if (v === null || Number.isNaN(v)) return '—';
  const a = Math.abs(v);
  if (a >= 1000) return v.toFixed(0);
  if (a >= 100) return v.toFixed(1);
  if (a >= 1) return v.toFixed(2);
  return v.toPrecision(3);
};
const table = [
  ['figure', 'unit', 'median', 'p99', 'baseline (same run)', 'ratio'],
  ...rows.map((r) => [
    r.name,
    r.unit,
    fmt(r.median),
    fmt(r.p99),
    r.baseline === null ? '—' : `${fmt(r.baseline)} (${r.baselineLabel})`,
    r.ratio === null ? '—' : `${fmt(r.ratio)}×`,
  ]),
];
const widths = table[0]!.map((_, i) => Math.max(...table.map((row) => [...row[i]!].length)));
process.stdout.write('\n');
for (const [i, row] of table.entries()) {
  process.stdout.write(`${row.map((c, j) => c.padEnd(widths[j]!)).join('  ')}\n`);
  if (i === 0) process.stdout.write(`${widths.map((w) => '─'.repeat(w)).join('  ')}\n`);
}
for (const r of rows) if (r.note) process.stdout.write(`  · ${r.name}: ${r.note}\n`);

// A filtered run replaces only its own suites' rows and keeps the others from the last full run.
const resultsFile = join(root, 'bench-results.json');
let kept: Record<string, unknown>[] = [];
if (filters.length > 0 && existsSync(resultsFile)) {
  try {
    const ran = new Set(rows.map((r) => r.suite));
    kept = (JSON.parse(readFileSync(resultsFile, 'utf8')) as { rows: { suite: string }[] }).rows.filter(
      (r) => !ran.has(r.suite),
    );
  } catch {
    kept = [];
  }
}
writeFileSync(
  resultsFile,
  `${JSON.stringify(
    {
      when: new Date().toISOString(),
      quick,
      machine: { node: process.version, cpus: (await import('node:os')).cpus().length },
      rows: [
        ...kept,
        ...rows.map((r) => ({
          suite: r.suite,
          name: r.name,
          unit: r.unit,
          median: r.median,
          p99: r.p99,
          baseline: r.baseline,
          baselineLabel: r.baselineLabel,
          ratio: r.ratio,
          note: r.note ?? null,
        })),
      ],
    },
    null,
    2,
  )}\n`,
);
process.stdout.write(`\nwrote bench-results.json (${rows.length} rows); artefacts in bench-output/\n`);
if (failures.length > 0) {
  process.stdout.write(`\n${failures.length} suite(s) failed:\n${failures.join('\n')}\n`);
  process.exit(1);
}
