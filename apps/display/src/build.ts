/**
 * Builds the TV screen (`vite build` → `ui/dist`) when it is missing or older than its sources (its
 * own and the workspace packages it bundles). Used by the browser tests' global setup, the bench and
 * `pnpm --filter @nextup/display build:if-stale` (the root `start` and `test` flows). Concurrent
 * callers wait for one build (@nextup/ui-build).
 */
import { join } from 'node:path';
import { viteUi } from '@nextup/ui-build';
import { APP_ROOT, UI_DIST_DIR } from './agent/paths.ts';

// vite.config.ts: root 'ui', outDir 'ui/dist'.
export const displayUi = viteUi({
  appRoot: APP_ROOT,
  uiRoot: join(APP_ROOT, 'ui'),
  distDir: UI_DIST_DIR,
  label: 'display',
});

/** Whether `ui/dist/index.html` is missing or older than any source. */
export function isUiStale(): boolean {
  return displayUi.isStale();
}

/** Builds the screen if stale (or `force`); resolves to whether it built. Throws when the build fails. */
export function ensureUiBuilt(force = false): Promise<boolean> {
  return displayUi.ensureBuilt(force);
}
