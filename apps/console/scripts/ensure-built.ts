/**
 * Builds the console when `dist/` is missing or older than its sources (the console's own and the
 * workspace packages it bundles). Used by the root `start` and `test` flows and by the browser tests'
 * global setup. `--force` always builds. Concurrent callers wait for one build (@nextup/ui-build).
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundledWorkspaceSources, ensureViteBuilt, isStale as isBuildStale } from '@nextup/ui-build';

export const CONSOLE_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const root = join(CONSOLE_ROOT, '..', '..');
const BUILD = {
  appRoot: CONSOLE_ROOT,
  distDir: join(CONSOLE_ROOT, 'dist'),
  sources: [
    join(CONSOLE_ROOT, 'src'),
    join(CONSOLE_ROOT, 'index.html'),
    join(CONSOLE_ROOT, 'vite.config.ts'),
    join(CONSOLE_ROOT, 'package.json'),
    // The workspace packages the UI bundles, read from its imports.
    ...bundledWorkspaceSources(root, [join(CONSOLE_ROOT, 'src')]),
  ],
  label: 'console',
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
  process.stdout.write(built ? 'console: built\n' : 'console: up to date\n');
}
