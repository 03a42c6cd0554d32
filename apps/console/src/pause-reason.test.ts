import { describe, expect, it } from 'vitest';
import { translate } from './i18n.tsx';
import { pauseReasonText } from './pause-reason.ts';

describe('a pause reason', () => {
  it('is shown in the reader’s language, also one stored in both languages before', () => {
    const zh = (k: Parameters<typeof translate>[1]) => translate('zh', k);
    const en = (k: Parameters<typeof translate>[1]) => translate('en', k);
    expect(pauseReasonText('break', zh)).toBe('暂时离开');
    expect(pauseReasonText('break', en)).toBe('Short break');
    expect(pauseReasonText('暂离 short break', zh)).toBe('暂时离开');
    expect(pauseReasonText('lunch', en)).toBe('Lunch');
    expect(pauseReasonText('keypad', zh)).toBe('呼叫器暂停');
    expect(pauseReasonText('去金库取款', en)).toBe('去金库取款');
  });
});
