import type { StringKey } from './i18n.tsx';

/**
 * Why a counter is paused. The console stores one of these codes, not words, so that every screen
 * shows it in its own language; the wait estimator reads "lunch" as a long pause. A reason typed
 * under "other" is kept as typed.
 */
export const PAUSE_REASONS = ['lunch', 'break', 'meeting'] as const;
export type PauseReason = (typeof PAUSE_REASONS)[number];

const WORDS: Record<string, StringKey> = {
  lunch: 'pause.lunch',
  break: 'pause.break',
  meeting: 'pause.meeting',
  // The caller keypad's pause key.
  keypad: 'pause.keypad',
  // Stored before the codes, in both languages at once.
  '午休 lunch': 'pause.lunch',
  '暂离 short break': 'pause.break',
  '会议培训 meeting': 'pause.meeting',
};

/** A stored pause reason in the reader's language: a known code in words, anything else as typed. */
export function pauseReasonText(reason: string, t: (key: StringKey) => string): string {
  const key = WORDS[reason.trim()];
  return key ? t(key) : reason;
}
