/**
 * Builds the TV screen when `dist/` is missing or older than its sources (its own and the workspace
 * packages it bundles). For the root `start` and `test` flows and the browser tests' global setup.
 * `--force` always builds. Concurrent callers wait for one build (@nextup/ui-build).
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureViteBuilt, isStale as isBuildStale } from '@nextup/ui-build';

export const DISPLAY_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const root = join(DISPLAY_ROOT, '..', '..');
const BUILD = {
  appRoot: DISPLAY_ROOT,
  // vite.config.ts: root 'ui', outDir '../dist'.
  distDir: join(DISPLAY_ROOT, 'dist'),
  sources: [
    join(DISPLAY_ROOT, 'ui'),
    join(DISPLAY_ROOT, 'vite.config.ts'),
    join(DISPLAY_ROOT, 'package.json'),
    join(root, 'packages', 'core', 'src'),
    join(root, 'packages', 'protocol', 'src'),
  ],
  label: 'display',
};

/** Whether dist/index.html is missing or older than any source. */
export function isStale(): boolean {
  return isBuildStale(BUILD);
}

/** Builds if stale (or forced); returns whether it built. Throws when the build fails. */
export function ensureBuilt(force = false): Promise<boolean> {
  return ensureViteBuilt({ ...BUILD, force });
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const built = await ensureBuilt(process.argv.includes('--force'));
  process.stdout.write(built ? 'display: built\n' : 'display: up to date\n');
}
