import { ensureUiBuilt } from '../src/build.ts';

/** The browser tests need the built UI: build it once per run when missing or stale. */
export default async function setup() {
  await ensureUiBuilt();
}
