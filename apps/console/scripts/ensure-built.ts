/**
 * Builds the console when `dist/` is missing or older than its sources (the console's own and the
 * workspace packages it bundles). Used by the root `start` and `test` flows and by the browser tests'
 * global setup. `--force` always builds. Concurrent callers wait for one build (@nextup/ui-build).
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureBuiltCommand, viteUi } from '@nextup/ui-build';

export const CONSOLE_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
// vite.config.ts: root is the app's folder, outDir 'dist'.
const consoleUi = viteUi({
  appRoot: CONSOLE_ROOT,
  uiRoot: CONSOLE_ROOT,
  distDir: join(CONSOLE_ROOT, 'dist'),
  label: 'console',
});

/** Whether dist/index.html is missing or older than any source. */
export function isStale(): boolean {
  return consoleUi.isStale();
}

/** Builds if stale (or forced); returns whether it built. Throws when the build fails. */
export function ensureBuilt(force = false): Promise<boolean> {
  return consoleUi.ensureBuilt(force);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1])
  await ensureBuiltCommand(consoleUi);
