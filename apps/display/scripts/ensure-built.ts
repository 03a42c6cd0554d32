/** `pnpm --filter @nextup/display build:if-stale`: builds the screen when missing or stale (`--force`: always). */
import { ensureUiBuilt } from '../src/build.ts';

const built = await ensureUiBuilt(process.argv.includes('--force'));
process.stdout.write(built ? 'display: built\n' : 'display: up to date\n');
