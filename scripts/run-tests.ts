/**
 * Runs every check the project has and ends with one line: `Tests: N passed, M failed`.
 *
 *   1. typecheck (every package, strict)        counts as one test
 *   2. lint (Biome)                             counts as one test
 *   3. every Vitest project: unit, integration (real SQLite, sockets, ptys, PostgreSQL) and browser
 *      tests (real Chromium), each test counted
 *   4. the same Vitest run again with the date moved a year ahead (faketime), each test counted again
 *
 * A suite that fails to load counts as a failure. Exit code 0 only when nothing failed.
 * Usage: pnpm test [-- vitest filters…]
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const filters = process.argv.slice(2).filter((a) => a !== '--');
const bin = (name: string) => join(root, 'node_modules', '.bin', name);

let passed = 0;
let failed = 0;
const failures: string[] = [];

function check(name: string, command: string, args: string[]) {
  const started = Date.now();
  process.stdout.write(`\n── ${name} ──\n`);
  const r = spawnSync(command, args, { cwd: root, stdio: 'inherit' });
  const ok = r.status === 0;
  process.stdout.write(
    `── ${name}: ${ok ? 'ok' : 'FAILED'} (${((Date.now() - started) / 1000).toFixed(1)} s)\n`,
  );
  if (ok) passed += 1;
  else {
    failed += 1;
    failures.push(name);
  }
}

// pnpm itself, however it was started (npx pnpm@10, corepack or a global install).
const pnpm: [string, string[]] = process.env.npm_execpath?.includes('pnpm')
  ? [process.execPath, [process.env.npm_execpath]]
  : ['npx', ['--yes', 'pnpm@10']];

if (filters.length === 0) {
  check('typecheck', pnpm[0], [...pnpm[1], '-r', '--workspace-concurrency=1', 'run', 'typecheck']);
  check('lint', bin('biome'), ['check', '.']);
}

const outDir = join(root, '.artifacts');
mkdirSync(outDir, { recursive: true });

interface JsonReport {
  numPassedTests: number;
  numFailedTests: number;
  numFailedTestSuites: number;
  testResults: {
    name: string;
    status: string;
    message?: string;
    assertionResults: { status: string; fullName: string }[];
  }[];
}

/**
 * One Vitest run over every project, its tests added to the totals. `wrap` runs Vitest under another
 * command (faketime); `label` prefixes the names of its failures.
 */
function vitest(label: string, reportName: string, wrap: string[] = []) {
  const report = join(outDir, reportName);
  rmSync(report, { force: true });
  process.stdout.write(`\n── vitest${label ? ` ${label}` : ''}: unit, integration and browser tests ──\n`);
  const started = Date.now();
  const args = ['run', '--reporter=default', '--reporter=json', `--outputFile.json=${report}`, ...filters];
  const [command, ...rest] = [...wrap, bin('vitest'), ...args];
  const r = spawnSync(command!, rest, {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, FORCE_COLOR: process.env.FORCE_COLOR ?? '0' },
  });
  process.stdout.write(
    `── vitest${label ? ` ${label}` : ''} exited ${r.status ?? r.signal} after ${((Date.now() - started) / 1000).toFixed(1)} s\n`,
  );
  const name = (n: string) => (label ? `${label} ${n}` : n);
  let failedHere = 0;
  try {
    const json = JSON.parse(readFileSync(report, 'utf8')) as JsonReport;
    passed += json.numPassedTests;
    failed += json.numFailedTests;
    failedHere += json.numFailedTests;
    // A file that failed to load has no test results of its own but must not pass silently.
    for (const file of json.testResults) {
      const ran = file.assertionResults.length;
      if (file.status === 'failed' && ran === 0) {
        failed += 1;
        failedHere += 1;
        failures.push(name(`${file.name}: ${file.message?.split('\n')[0] ?? 'failed to load'}`));
      }
      for (const t of file.assertionResults) if (t.status === 'failed') failures.push(name(t.fullName));
    }
  } catch (e) {
    failed += 1;
    failedHere += 1;
    failures.push(name(`vitest report unreadable: ${(e as Error).message}`));
  }
  if (r.status !== 0 && failedHere === 0) {
    failed += 1;
    failures.push(name(`vitest exited with ${r.status ?? r.signal}`));
  }
}

vitest('', 'vitest-report.json');

// The whole suite again with the date a year ahead, for Node, Chromium and PostgreSQL alike (Debian's
// libfaketime): a test that passes only near one calendar date, or a hub time that reaches something
// judged by a real clock (a cookie's Expires), fails here. Skipped when filters select a few tests.
if (filters.length === 0) {
  const faketime = spawnSync('faketime', ['-f', '+365d', 'true']);
  if (faketime.status === 0)
    vitest('[date +1 year]', 'vitest-report-date-ahead.json', ['faketime', '-f', '+365d']);
  else {
    failed += 1;
    failures.push('[date +1 year] faketime is not installed (scripts/setup-system.sh installs it)');
  }
}

if (failures.length > 0) {
  process.stdout.write('\nFailed:\n');
  for (const f of failures.slice(0, 50)) process.stdout.write(`  ✗ ${f}\n`);
}
process.stdout.write(`\nTests: ${passed} passed, ${failed} failed\n`);
process.exit(failed === 0 ? 0 : 1);
