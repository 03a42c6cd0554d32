import { describe, expect, it } from 'vitest';
import {
  announcementPlan,
  DEFAULT_PAUSES,
  enNumberClips,
  sentenceClips,
  VOCABULARY,
  zhNumberClips,
} from './vocabulary.ts';

describe('what an announcement says', () => {
  it('says "请 A023 号到 3 号窗口办理" and then "Number A023, counter 3"', () => {
    expect(sentenceClips({ number: 'A023', counterNumber: 3 }, 'zh')).toEqual([
      'zh/qing',
      'zh/A',
      'zh/0',
      'zh/2',
      'zh/3',
      'zh/hao',
      'zh/dao',
      'zh/3',
      'zh/hao',
      'zh/chuangkou',
      'zh/banli',
    ]);
    expect(sentenceClips({ number: 'A023', counterNumber: 3 }, 'en')).toEqual([
      'en/number',
      'en/A',
      'en/0',
      'en/2',
      'en/3',
      'en/counter',
      'en/3',
    ]);
  });

  it('reads counter numbers as numbers in both languages', () => {
    expect(zhNumberClips(10)).toEqual(['zh/shi']);
    expect(zhNumberClips(12)).toEqual(['zh/shi', 'zh/2']);
    expect(zhNumberClips(20)).toEqual(['zh/2', 'zh/shi']);
    expect(zhNumberClips(25)).toEqual(['zh/2', 'zh/shi', 'zh/5']);
    expect(zhNumberClips(100)).toEqual(['zh/1', 'zh/bai']);
    expect(zhNumberClips(105)).toEqual(['zh/1', 'zh/bai', 'zh/0', 'zh/5']);
    expect(zhNumberClips(110)).toEqual(['zh/1', 'zh/bai', 'zh/1', 'zh/shi']);
    expect(zhNumberClips(999)).toEqual(['zh/9', 'zh/bai', 'zh/9', 'zh/shi', 'zh/9']);
    expect(enNumberClips(7)).toEqual(['en/7']);
    expect(enNumberClips(13)).toEqual(['en/13']);
    expect(enNumberClips(40)).toEqual(['en/40']);
    expect(enNumberClips(42)).toEqual(['en/40', 'en/2']);
    expect(enNumberClips(105)).toEqual(['en/1', 'en/hundred', 'en/5']);
    expect(enNumberClips(300)).toEqual(['en/3', 'en/hundred']);
    expect(() => zhNumberClips(1000)).toThrow(RangeError);
  });

  it('has a clip in the set for every word it can say', () => {
    const names = new Set(VOCABULARY.map((c) => c.name));
    for (let n = 1; n <= 999; n++)
      for (const lang of ['zh', 'en'] as const)
        for (const clip of sentenceClips({ number: `Z${n}`, counterNumber: n }, lang))
          expect(names).toContain(clip);
    for (const l of 'ABCDEFGHIJKLMNOPQRSTUVWXYZ') {
      expect(names).toContain(`zh/${l}`);
      expect(names).toContain(`en/${l}`);
    }
  });

  it('chimes, then speaks each language with pauses, as many times as set', () => {
    const plan = announcementPlan({ number: 'B7', counterNumber: 2 }, { languages: ['zh', 'en'], repeat: 2 });
    const clips = plan.flatMap((p) => ('clip' in p ? [p.clip] : []));
    const once = [
      ...sentenceClips({ number: 'B7', counterNumber: 2 }, 'zh'),
      ...sentenceClips({ number: 'B7', counterNumber: 2 }, 'en'),
    ];
    expect(clips).toEqual(['common/chime', ...once, ...once]);
    expect(plan.filter((p) => 'silenceMs' in p && p.silenceMs === DEFAULT_PAUSES.repeat)).toHaveLength(1);
    expect(plan.filter((p) => 'silenceMs' in p && p.silenceMs === DEFAULT_PAUSES.language)).toHaveLength(2);
    expect(announcementPlan({ number: 'B7', counterNumber: 2 }, { languages: [], repeat: 1 })).toEqual([]);
    const enOnly = announcementPlan({ number: 'B7', counterNumber: 2 }, { languages: ['en'], repeat: 1 });
    expect(enOnly.flatMap((p) => ('clip' in p ? [p.clip] : []))).toEqual([
      'common/chime',
      'en/number',
      'en/B',
      'en/7',
      'en/counter',
      'en/2',
    ]);
  });
});
