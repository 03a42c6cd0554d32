/** `pnpm --filter @nextup/kiosk build:if-stale`: builds the UI when missing or stale (`--force`: always). */
import { ensureBuiltCommand } from '@nextup/ui-build';
import { kioskUi } from '../src/build.ts';

await ensureBuiltCommand(kioskUi);
