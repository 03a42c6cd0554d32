import { describe, expect, it } from 'vitest';
import {
  announcementPlan,
  clipSpec,
  counterNameClips,
  DEFAULT_PAUSES,
  enNumberClips,
  type PlanItem,
  placeClipsOf,
  sentenceClips,
  VOCABULARY,
  zhNumberClips,
} from './vocabulary.ts';

const counter = (n: number) => ({ zh: `${n}号窗口`, en: `Counter ${n}` });
const clipsOf = (plan: readonly PlanItem[]) => plan.flatMap((p) => ('clip' in p ? [p.clip] : []));

describe('what an announcement says', () => {
  it('says "请 A023 号到 3 号窗口" and then "A023, counter 3": no 办理, no "Number"', () => {
    const call = { number: 'A023', counterName: counter(3) };
    expect(sentenceClips(call, 'zh')).toEqual([
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
    ]);
    expect(sentenceClips(call, 'en')).toEqual(['en/A', 'en/0', 'en/2', 'en/3', 'en/counter', 'en/3']);
    // The comma of "A023, counter 3" is a pause, longer than the gap between two words.
    const en = announcementPlan([call], ['en']);
    const counterAt = en.findIndex((p) => 'clip' in p && p.clip === 'en/counter');
    expect(en[counterAt - 1]).toEqual({ silenceMs: DEFAULT_PAUSES.comma });
  });

  it('says the counter by its configured name: 5号贵宾室 / VIP room 5, never "5号窗口"', () => {
    const vip = { zh: '5号贵宾室', en: 'VIP room 5' };
    expect(counterNameClips(vip, 'zh')).toEqual(['zh/5', 'zh/hao', 'zh/place/贵宾室']);
    expect(counterNameClips(vip, 'en')).toEqual(['en/place/VIP-room', 'en/5']);
    expect(sentenceClips({ number: 'V001', counterName: vip }, 'zh')).not.toContain('zh/chuangkou');
    expect(counterNameClips({ zh: '12号窗口', en: 'Counter 12' }, 'zh')).toEqual([
      'zh/shi',
      'zh/2',
      'zh/hao',
      'zh/chuangkou',
    ]);
    expect(counterNameClips({ zh: '对公3号窗口', en: 'Business counter 3' }, 'zh')).toEqual([
      'zh/place/对公',
      'zh/3',
      'zh/hao',
      'zh/chuangkou',
    ]);
    expect(counterNameClips({ zh: 'VIP室', en: 'VIP lounge' }, 'zh')).toEqual([
      'zh/V',
      'zh/I',
      'zh/P',
      'zh/place/室',
    ]);
    expect(counterNameClips({ zh: '大堂经理', en: 'Lobby manager' }, 'en')).toEqual([
      'en/place/Lobby-manager',
    ]);
  });

  it('knows how to say a place clip: Mandarin from its pinyin, English as written', () => {
    expect(clipSpec('zh/place/贵宾室')).toEqual({
      name: 'zh/place/贵宾室',
      voice: 'cmn-latn-pinyin',
      text: 'gui4 bin1 shi4',
    });
    expect(clipSpec('zh/place/理财室')?.text).toBe('li3 cai2 shi4');
    expect(clipSpec('en/place/VIP-room')).toEqual({
      name: 'en/place/VIP-room',
      voice: 'en-us',
      text: 'VIP room',
    });
    expect(clipSpec('zh/banli')).toBeUndefined();
    expect(placeClipsOf([counter(1), { zh: '5号贵宾室', en: 'VIP room 5' }]).map((c) => c.name)).toEqual([
      'zh/place/贵宾室',
      'en/place/VIP-room',
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

  it('has a clip in the fixed set for every word of a call to "N号窗口 / Counter N"', () => {
    const names = new Set(VOCABULARY.map((c) => c.name));
    for (let n = 1; n <= 999; n++)
      for (const lang of ['zh', 'en'] as const)
        for (const clip of sentenceClips({ number: `Z${n}`, counterName: counter(n) }, lang))
          expect(names).toContain(clip);
    for (const l of 'ABCDEFGHIJKLMNOPQRSTUVWXYZ') {
      expect(names).toContain(`zh/${l}`);
      expect(names).toContain(`en/${l}`);
    }
  });

  it('chimes once, then says every call in Chinese, then every call in English, marking where each is first heard', () => {
    const a = { key: 'a', number: 'B7', counterName: counter(2) };
    const b = { key: 'b', number: 'A1', counterName: counter(4) };
    const plan = announcementPlan([a, b], ['zh', 'en']);
    expect(clipsOf(plan)).toEqual([
      'common/chime',
      ...sentenceClips(a, 'zh'),
      // A list: 请 once, before the first.
      ...sentenceClips(b, 'zh', { please: false }),
      ...sentenceClips(a, 'en'),
      ...sentenceClips(b, 'en'),
    ]);
    expect(plan.filter((p) => 'mark' in p)).toEqual([{ mark: 'a' }, { mark: 'b' }]);
    const markB = plan.findIndex((p) => 'mark' in p && p.mark === 'b');
    // B's mark stands right before its number (no 请 of its own in the list).
    expect(plan[markB + 1]).toEqual({ clip: 'zh/A' });
    expect(plan.filter((p) => 'silenceMs' in p && p.silenceMs === DEFAULT_PAUSES.language)).toHaveLength(1);
    expect(announcementPlan([a], [])).toEqual([]);
    expect(clipsOf(announcementPlan([a], ['en'], { chime: false }))).toEqual(sentenceClips(a, 'en'));
  });
});
