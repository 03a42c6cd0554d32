import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** apps/display */
export const APP_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
/** The built TV screen: `apps/display/ui/dist` (Vite: root `ui`, out `ui/dist`). */
export const UI_DIST_DIR = join(APP_ROOT, 'ui', 'dist');
/** The box's own folder: credentials and the branch's studio clips. Git-ignored. */
export const DEFAULT_DATA_DIR = join(APP_ROOT, 'data');
/** The generated placeholder clip set (shared by every agent of this checkout, and by the tests). */
export const PLACEHOLDER_CLIPS_DIR = join(APP_ROOT, 'data', 'voice-placeholder');
