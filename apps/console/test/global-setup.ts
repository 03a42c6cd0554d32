import { ensureBuilt } from '../scripts/ensure-built.ts';

/** The browser tests need the built console: build it once per run when missing or stale. */
export default async function setup() {
  await ensureBuilt();
}
