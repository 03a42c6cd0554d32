/** `pnpm --filter @nextup/display build:if-stale`: builds the screen when missing or stale (`--force`: always). */
import { ensureBuiltCommand } from '@nextup/ui-build';
import { displayUi } from '../src/build.ts';

await ensureBuiltCommand(displayUi);
