/**
 * Builds the UI (`vite build` → `ui/dist`) when it is missing or older than its sources (the UI's own
 * and the workspace packages it bundles). Used by the browser tests' global setup, the bench and
 * `pnpm --filter @nextup/kiosk build:if-stale` (the demo). Concurrent callers wait for one build
 * (@nextup/ui-build).
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundledWorkspaceSources, ensureViteBuilt, isStale } from '@nextup/ui-build';

const KIOSK_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const ROOT = join(KIOSK_ROOT, '..', '..');
const BUILD = {
  appRoot: KIOSK_ROOT,
  // vite.config.ts: root 'ui', outDir 'ui/dist'.
  distDir: join(KIOSK_ROOT, 'ui', 'dist'),
  sources: [
    join(KIOSK_ROOT, 'ui', 'src'),
    join(KIOSK_ROOT, 'ui', 'index.html'),
    join(KIOSK_ROOT, 'vite.config.ts'),
    join(KIOSK_ROOT, 'package.json'),
    // The workspace packages the UI bundles, read from its imports.
    ...bundledWorkspaceSources(ROOT, [join(KIOSK_ROOT, 'ui', 'src')]),
  ],
  label: 'kiosk UI',
};

/** Whether `ui/dist/index.html` is missing or older than any source. */
export function isUiStale(): boolean {
  return isStale(BUILD);
}

/** Builds the UI if stale (or `force`); resolves to whether it built. Throws when the build fails. */
export function ensureUiBuilt(force = false): Promise<boolean> {
  return ensureViteBuilt({ ...BUILD, force });
}
