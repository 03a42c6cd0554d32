/**
 * @nextup/display — the display box: its agent (pairing, hub link, LED boards and caller keypads on
 * the RS-485 bus, the announcement queue) and what the lead's demo, the tests and the bench need to
 * start it in-process. The TV screen (ui/) and the Electron shell (electron/) are built separately.
 */

export type { CallBoardOptions, FreshCall } from './agent/calls.ts';
export { buildScreen, CallBoard } from './agent/calls.ts';
export type { DisplayAgent, DisplayAgentOptions } from './agent/display-agent.ts';
export { DISPLAY_VERSION, startDisplayAgent } from './agent/display-agent.ts';
export { hallState, isBeingCalled } from './agent/hall.ts';
export type { AreaTarget, BoardTarget, ShownRecord } from './agent/led/boards.ts';
export { BoardSync } from './agent/led/boards.ts';
export type { BusConfig, LedBusOptions, MasterTuning } from './agent/led/bus.ts';
export { LedBus } from './agent/led/bus.ts';
export {
  counterBoardText,
  fitText,
  mainBoardAreas,
  mainBoardIdleText,
  mainBoardLine,
} from './agent/led/texts.ts';
export { APP_ROOT, DEFAULT_DATA_DIR, PLACEHOLDER_CLIPS_DIR, UI_DIST_DIR } from './agent/paths.ts';
export type { BusOverride } from './agent/plan.ts';
export { busConfigFor, hasAreas, planBoards, shownCounters } from './agent/plan.ts';
export type { ClipLibraryOptions, Composed } from './agent/voice/clips.ts';
export { ClipLibrary } from './agent/voice/clips.ts';
export type { MakeClipsOptions, MakeClipsResult } from './agent/voice/make-clips.ts';
export { makePlaceholderClips, missingClips, PLACEHOLDER_VERSION } from './agent/voice/make-clips.ts';
export type {
  AnnouncementPolicy,
  AnnouncementQueueOptions,
  AnnouncementRecord,
  AnnouncementRequest,
  CallOutcome,
} from './agent/voice/queue.ts';
export { AnnouncementQueue } from './agent/voice/queue.ts';
export type { SimulatedCall } from './agent/voice/simulated-player.ts';
export { SimulatedPlayer, simulateCalls } from './agent/voice/simulated-player.ts';
export type {
  AudioErrorCode,
  AudioItem,
  AudioSink,
  CommandSinkOptions,
  Playback,
} from './agent/voice/sink.ts';
export { AudioError, CommandAudioSink } from './agent/voice/sink.ts';
export type { UiAudioSinkOptions } from './agent/voice/ui-sink.ts';
export { UiAudioSink } from './agent/voice/ui-sink.ts';
export type {
  ClipSpec,
  CounterName,
  Pauses,
  PlanItem,
  SpokenCall,
  VoiceLang,
} from './agent/voice/vocabulary.ts';
export {
  announcementPlan,
  clipSpec,
  counterNameClips,
  DEFAULT_PAUSES,
  enNumberClips,
  placeClipSpec,
  placeClipsOf,
  sentenceClips,
  sentencePlan,
  VOCABULARY,
  zhNumberClips,
} from './agent/voice/vocabulary.ts';
export type { ClipErrorCode, Wav, WavInfo } from './agent/voice/wav.ts';
export {
  ClipFormatError,
  checkVoiceFormat,
  concatSamples,
  durationMs,
  encodeWav,
  parseWav,
  readClip,
  silence,
  VOICE_FORMAT,
} from './agent/voice/wav.ts';
export { ensureUiBuilt, isUiStale } from './build.ts';
