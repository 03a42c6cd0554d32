import { ensureBuilt } from '../scripts/ensure-built.ts';
import { PLACEHOLDER_CLIPS_DIR } from '../src/agent/paths.ts';
import { makePlaceholderClips } from '../src/agent/voice/make-clips.ts';

/** The browser tests need the built screen, and the voice tests the placeholder clips: once per run. */
export default async function setup() {
  await ensureBuilt();
  await makePlaceholderClips(PLACEHOLDER_CLIPS_DIR);
}
