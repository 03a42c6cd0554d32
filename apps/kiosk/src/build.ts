/**
 * Builds the UI (`vite build` → `ui/dist`) when it is missing or older than its sources (the UI's own
 * and the workspace packages it bundles). Used by the browser tests' global setup, the bench and
 * `pnpm --filter @nextup/kiosk build:if-stale` (the demo). Concurrent callers wait for one build
 * (@nextup/ui-build).
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { viteUi } from '@nextup/ui-build';

const KIOSK_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
// vite.config.ts: root 'ui', outDir 'ui/dist'.
export const kioskUi = viteUi({
  appRoot: KIOSK_ROOT,
  uiRoot: join(KIOSK_ROOT, 'ui'),
  distDir: join(KIOSK_ROOT, 'ui', 'dist'),
  label: 'kiosk UI',
});

/** Whether `ui/dist/index.html` is missing or older than any source. */
export function isUiStale(): boolean {
  return kioskUi.isStale();
}

/** Builds the UI if stale (or `force`); resolves to whether it built. Throws when the build fails. */
export function ensureUiBuilt(force = false): Promise<boolean> {
  return kioskUi.ensureBuilt(force);
}
