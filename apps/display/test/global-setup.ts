import { PLACEHOLDER_CLIPS_DIR } from '../src/agent/paths.ts';
import { makePlaceholderClips } from '../src/agent/voice/make-clips.ts';
import { ensureUiBuilt } from '../src/build.ts';

/** The browser tests need the built screen, and the voice tests the placeholder clips: once per run. */
export default async function setup() {
  await ensureUiBuilt();
  await makePlaceholderClips(PLACEHOLDER_CLIPS_DIR);
}
