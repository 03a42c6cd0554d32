/** `pnpm --filter @nextup/kiosk build:if-stale`: builds the UI when missing or stale (`--force`: always). */
import { ensureUiBuilt } from '../src/build.ts';

const built = await ensureUiBuilt(process.argv.includes('--force'));
process.stdout.write(built ? 'kiosk UI: built\n' : 'kiosk UI: up to date\n');
