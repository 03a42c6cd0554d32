/**
 * Builds the TV screen when `dist/` is missing or older than its sources (its own and the workspace
 * packages it bundles). For the root `start` and `test` flows and the browser tests' global setup.
 * `--force` always builds. Concurrent callers wait for one build (a lock folder).
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, rmdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
export const DISPLAY_ROOT = join(here, '..');
const root = join(DISPLAY_ROOT, '..', '..');
const SOURCES = [
  join(DISPLAY_ROOT, 'ui'),
  join(DISPLAY_ROOT, 'vite.config.ts'),
  join(DISPLAY_ROOT, 'package.json'),
  join(root, 'packages', 'core', 'src'),
  join(root, 'packages', 'protocol', 'src'),
];

function newest(path: string): number {
  let st: ReturnType<typeof statSync>;
  try {
    st = statSync(path);
  } catch {
    return 0;
  }
  if (!st.isDirectory()) return st.mtimeMs;
  let m = 0;
  for (const name of readdirSync(path)) {
    if (name === 'node_modules' || name.endsWith('.test.ts')) continue;
    m = Math.max(m, newest(join(path, name)));
  }
  return m;
}

/** Whether dist/index.html is missing or older than any source. */
export function isStale(): boolean {
  let built: number;
  try {
    built = statSync(join(DISPLAY_ROOT, 'dist', 'index.html')).mtimeMs;
  } catch {
    return true;
  }
  return SOURCES.some((s) => newest(s) > built);
}

/** Builds if stale (or forced); returns whether it built. Throws when the build fails. */
export async function ensureBuilt(force = false): Promise<boolean> {
  const lock = join(DISPLAY_ROOT, '.build-lock');
  const deadline = Date.now() + 10 * 60_000;
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      // A lock left by a build that died more than 5 minutes ago is stale.
      try {
        if (Date.now() - statSync(lock).mtimeMs > 5 * 60_000) rmdirSync(lock);
      } catch {
        /* gone meanwhile */
      }
      if (Date.now() > deadline) throw new Error(`timed out waiting for the display build lock ${lock}`);
      await new Promise((r) => setTimeout(r, 500));
    }
  }
  try {
    if (!force && !isStale()) return false;
    const r = spawnSync(
      process.execPath,
      [join(DISPLAY_ROOT, 'node_modules', 'vite', 'bin', 'vite.js'), 'build'],
      {
        cwd: DISPLAY_ROOT,
        stdio: ['ignore', 'inherit', 'inherit'],
        env: { ...process.env, NODE_ENV: 'production' },
      },
    );
    if (r.status !== 0) throw new Error(`display build failed (exit ${r.status ?? r.signal})`);
    return true;
  } finally {
    rmdirSync(lock);
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const built = await ensureBuilt(process.argv.includes('--force'));
  process.stdout.write(built ? 'display: built\n' : 'display: up to date\n');
}
