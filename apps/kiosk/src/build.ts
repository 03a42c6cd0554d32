/**
 * Builds the UI (`vite build` → `ui/dist`) when it is missing or older than its sources (the UI's own
 * and the workspace packages it bundles). Used by the browser tests' global setup, the bench and
 * `pnpm --filter @nextup/kiosk build:if-stale` (the demo). Concurrent callers wait for one build (a
 * lock folder).
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, rmdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const KIOSK_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const ROOT = join(KIOSK_ROOT, '..', '..');
const SOURCES = [
  join(KIOSK_ROOT, 'ui', 'src'),
  join(KIOSK_ROOT, 'ui', 'index.html'),
  join(KIOSK_ROOT, 'vite.config.ts'),
  join(KIOSK_ROOT, 'package.json'),
  join(ROOT, 'packages', 'core', 'src'),
  join(ROOT, 'packages', 'protocol', 'src'),
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
    if (name === 'node_modules' || name === 'dist' || name.endsWith('.test.ts')) continue;
    m = Math.max(m, newest(join(path, name)));
  }
  return m;
}

/** Whether `ui/dist/index.html` is missing or older than any source. */
export function isUiStale(): boolean {
  let built: number;
  try {
    built = statSync(join(KIOSK_ROOT, 'ui', 'dist', 'index.html')).mtimeMs;
  } catch {
    return true;
  }
  return SOURCES.some((s) => newest(s) > built);
}

/** Builds the UI if stale (or `force`); resolves to whether it built. Throws when the build fails. */
export async function ensureUiBuilt(force = false): Promise<boolean> {
  const lock = join(KIOSK_ROOT, '.build-lock');
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
      if (Date.now() > deadline) throw new Error(`timed out waiting for the kiosk UI build lock ${lock}`);
      await new Promise((r) => setTimeout(r, 500));
    }
  }
  try {
    if (!force && !isUiStale()) return false;
    const r = spawnSync(
      process.execPath,
      [join(KIOSK_ROOT, 'node_modules', 'vite', 'bin', 'vite.js'), 'build'],
      {
        cwd: KIOSK_ROOT,
        stdio: ['ignore', 'inherit', 'inherit'],
        env: { ...process.env, NODE_ENV: 'production' },
      },
    );
    if (r.status !== 0) throw new Error(`kiosk UI build failed (exit ${r.status ?? r.signal})`);
    return true;
  } finally {
    rmdirSync(lock);
  }
}
