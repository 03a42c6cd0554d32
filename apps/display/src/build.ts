/**
 * Builds the TV screen (`vite build` → `ui/dist`) when it is missing or older than its sources (its
 * own and the workspace packages it bundles). Used by the browser tests' global setup, the bench and
 * `pnpm --filter @nextup/display build:if-stale` (the root `start` and `test` flows). Concurrent
 * callers wait for one build (@nextup/ui-build).
 */
import { join } from 'node:path';
import { bundledWorkspaceSources, ensureViteBuilt, isStale } from '@nextup/ui-build';
import { APP_ROOT, UI_DIST_DIR } from './agent/paths.ts';

const ROOT = join(APP_ROOT, '..', '..');
const BUILD = {
  appRoot: APP_ROOT,
  // vite.config.ts: root 'ui', outDir 'ui/dist'.
  distDir: UI_DIST_DIR,
  sources: [
    join(APP_ROOT, 'ui', 'src'),
    join(APP_ROOT, 'ui', 'index.html'),
    join(APP_ROOT, 'vite.config.ts'),
    join(APP_ROOT, 'package.json'),
    // The workspace packages the UI bundles, read from its imports.
    ...bundledWorkspaceSources(ROOT, [join(APP_ROOT, 'ui', 'src')]),
  ],
  label: 'display',
};

/** Whether `ui/dist/index.html` is missing or older than any source. */
export function isUiStale(): boolean {
  return isStale(BUILD);
}

/** Builds the screen if stale (or `force`); resolves to whether it built. Throws when the build fails. */
export function ensureUiBuilt(force = false): Promise<boolean> {
  return ensureViteBuilt({ ...BUILD, force });
}
