import { describe, expect, it } from 'vitest';
import type { WaitEstimate } from './types.ts';
import { waitBrief, waitLine, waitWords } from './words.ts';

const base: WaitEstimate = {
  minutes: 12,
  lowMinutes: 10,
  highMinutes: 15,
  ahead: 3,
  countersOpen: 2,
  serviceMinutes: 4,
  basis: 'history',
  historyCount: 60,
  noCounterOpen: false,
};

describe('the customer’s words for a wait', () => {
  it('say the range and the people ahead, in both languages', () => {
    expect(waitWords(base)).toEqual({
      ahead: { zh: '您前面还有 3 人', en: '3 people ahead of you' },
      wait: { zh: '预计等候 10–15 分钟', en: 'Estimated wait 10–15 min' },
      note: null,
    });
    expect(waitWords({ ...base, ahead: 1 }).ahead.en).toBe('1 person ahead of you');
    expect(waitWords({ ...base, ahead: 0 }).ahead).toEqual({ zh: '您前面没有人', en: 'Nobody ahead of you' });
  });

  it('say "more than" when the range would be too wide to help', () => {
    expect(waitWords({ ...base, lowMinutes: 45, highMinutes: 120, moreThan: true }).wait).toEqual({
      zh: '预计等候 45 分钟以上',
      en: 'Estimated wait more than 45 min',
    });
  });

  it('say a call is a moment away rather than "0–2 min"', () => {
    expect(waitWords({ ...base, lowMinutes: 0, highMinutes: 2 }).wait.en).toBe(
      'You will be called in a moment',
    );
  });

  it('with no counter open, say which counter is expected back and when', () => {
    const w = waitWords({
      ...base,
      noCounterOpen: true,
      lowMinutes: 40,
      highMinutes: 60,
      reopen: {
        counterId: 'c3',
        name: { zh: '3号窗口', en: 'Counter 3' },
        at: 0,
        hhmm: '13:00',
        basis: 'learned',
      },
    });
    expect(w.wait).toEqual({
      zh: '暂无窗口开放，3号窗口预计约 13:00 恢复；预计等候 40–60 分钟',
      en: 'No counter open; Counter 3 expected back about 13:00; estimated wait 40–60 min',
    });
  });

  it('say the wait is unknown when nothing says when a counter opens, and give no figure', () => {
    const w = waitWords({ ...base, noCounterOpen: true, unknown: true });
    expect(w.wait.en).toMatch(/wait is unknown/);
    expect(w.wait.zh).toMatch(/等候时间未知/);
    expect(`${w.wait.zh}${w.wait.en}`).not.toMatch(/\d/);
  });

  it('say why some of those ahead go first', () => {
    const w = waitWords({
      ...base,
      aheadReasons: { vip: 0, priority: 2, transfer: 0, appointment: 1, waitedLong: 0 },
    });
    expect(w.note).toEqual({
      zh: '其中 2 位优先客户（老幼病残孕）、1 位预约客户按规定优先办理',
      en: "including 2 priority customers and 1 customer with an appointment, served first by the branch's rules",
    });
    expect(waitLine({ ...base, ahead: 0 }, 'en')).toBe('Nobody ahead of you · Estimated wait 10–15 min');
  });
});

describe('the wait in brief, for the TV', () => {
  const reopen = {
    counterId: 'c3',
    name: { zh: '3号窗口', en: 'Counter 3' },
    at: 0,
    hhmm: '13:00',
    basis: 'planned' as const,
  };
  it('gives the same figure as the customer’s words, in fewer of them', () => {
    for (const e of [
      base,
      { ...base, lowMinutes: 45, highMinutes: 120, moreThan: true },
      { ...base, noCounterOpen: true, lowMinutes: 40, highMinutes: 60, reopen },
    ]) {
      const figures = (s: string) => s.match(/\d+(:\d+)?/g) ?? [];
      const brief = waitBrief(e);
      for (const n of figures(brief.zh)) expect(figures(waitWords(e).wait.zh)).toContain(n);
      for (const n of figures(brief.en)) expect(figures(waitWords(e).wait.en)).toContain(n);
    }
    expect(waitBrief(base)).toEqual({ zh: '约 10–15 分钟', en: '10–15 min' });
    expect(waitBrief({ ...base, lowMinutes: 45, highMinutes: 120, moreThan: true })).toEqual({
      zh: '45 分钟以上',
      en: 'Over 45 min',
    });
    expect(waitBrief({ ...base, lowMinutes: 0, highMinutes: 2 }).zh).toBe('即将叫号');
    expect(waitBrief({ ...base, noCounterOpen: true, reopen })).toEqual({
      zh: '约 13:00 恢复',
      en: 'Back about 13:00',
    });
  });

  it('says unknown with no figure when nothing says when a counter opens', () => {
    const b = waitBrief({ ...base, noCounterOpen: true, unknown: true });
    expect(b).toEqual({ zh: '等候时间未知', en: 'Wait unknown' });
  });
});
