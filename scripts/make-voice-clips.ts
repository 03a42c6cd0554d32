/**
 * Makes the display's placeholder voice clips offline (espeak-ng + sox from Debian), 22 050 Hz mono
 * 16-bit PCM WAV, trimmed of silence: `zh/qing.wav`, `en/7.wav`, `common/chime.wav` … The list and
 * the pinyin are in apps/display/src/agent/voice/vocabulary.ts; apps/display/README.md says how a
 * branch replaces them with studio recordings.
 *
 *   tsx scripts/make-voice-clips.ts [--force] [--out DIR]
 *
 * Default DIR: apps/display/data/voice-placeholder (git-ignored: generated clips are not committed).
 * Only missing clips are made unless --force (or the folder's VERSION is another set's). The display
 * agent runs the same code at start when clips are missing, and makes the place clips of its
 * counters' names (zh/place/贵宾室, en/place/VIP-room) when it sees the configuration.
 */
import { parseArgs } from 'node:util';
import { makePlaceholderClips, PLACEHOLDER_CLIPS_DIR } from '@nextup/display';

const { values } = parseArgs({
  options: { force: { type: 'boolean', default: false }, out: { type: 'string' } },
});
const dir = values.out ?? PLACEHOLDER_CLIPS_DIR;
const t0 = Date.now();
const r = await makePlaceholderClips(dir, { force: values.force ?? false });
process.stdout.write(
  `voice clips in ${dir}: ${r.made.length} made, ${r.kept} already there (${Date.now() - t0} ms)\n`,
);
