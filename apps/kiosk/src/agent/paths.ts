import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** This package's version, reported to the hub with the device health. */
export const KIOSK_VERSION = 'nextup-kiosk 0.1.0';

/** apps/kiosk */
export const APP_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Where the built UI is: `apps/kiosk/ui/dist` (Vite: root `ui`, out `ui/dist`). */
export const UI_DIST_DIR = join(APP_ROOT, 'ui', 'dist');

/** The kiosk's own data folder by default (credentials only): `apps/kiosk/data`. Git-ignored. */
export const DEFAULT_DATA_DIR = join(APP_ROOT, 'data');

/** The CLI's local port for the UI; `startKioskAgent` defaults to a free port. */
export const DEFAULT_UI_PORT = 8310;
