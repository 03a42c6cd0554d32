import {
  decide,
  fold,
  type QueueCommand,
  type QueueEvent,
  type QueueState,
  sampleBranchConfig,
} from '@nextup/core';
import { getDialect } from '@nextup/ledbus';
import { type DisplayCall, type DisplaySettings, defaultDeviceSettings } from '@nextup/protocol';
import { describe, expect, it } from 'vitest';
import { hasAreas, planBoards } from '../plan.ts';
import { counterBoardText, fitText, mainBoardAreas, mainBoardLine } from './texts.ts';

const T0 = Date.UTC(2026, 10, 23, 1, 0);

function branch(): { state: QueueState; run: (c: QueueCommand) => void } {
  const config = sampleBranchConfig();
  let state = fold([
    { type: 'BranchConfigured', data: { branch: config.branch, at: T0 } },
    ...Object.values(config.services).map((service) => ({
      type: 'ServiceUpserted' as const,
      data: { service, at: T0 },
    })),
    ...Object.values(config.counters).map((counter) => ({
      type: 'CounterUpserted' as const,
      data: { counter, at: T0 },
    })),
  ]);
  const run = (c: QueueCommand) => {
    const d = decide(c, state);
    if (!d.ok) throw new Error(d.error.code);
    state = fold(d.events as QueueEvent[], state);
  };
  run({ type: 'RollBusinessDay', data: { at: T0 } });
  return {
    get state() {
      return state;
    },
    run,
  };
}

const call = (number: string, n: number, zh = `${n}号窗口`): DisplayCall => ({
  key: `${number}:${n}`,
  ticketId: number,
  number,
  counterId: `c${n}`,
  counterNumber: n,
  counterName: { zh, en: `Counter ${n}` },
  at: T0,
  recall: false,
  newUntil: null,
});

describe('LED board texts', () => {
  it('fit the board: the fullest text that fits, else a shorter one', () => {
    expect(fitText(['A023 请到3号窗口', 'A023'], 16)).toBe('A023 请到3号窗口');
    expect(fitText(['A023 请到12号窗口', 'A023 12号窗口'], 16)).toBe('A023 12号窗口');
    expect(fitText(['很长很长很长很长很长', '短'], 4)).toBe('短');
  });

  it("say on a counter's board whether it is closed, open, calling, or paused", () => {
    const b = branch();
    expect(counterBoardText(b.state, 'c3')).toBe('3号窗口 停止服务');
    b.run({ type: 'OpenCounter', data: { counterId: 'c3', at: T0 } });
    expect(counterBoardText(b.state, 'c3')).toBe('3号窗口 欢迎光临');
    b.run({
      type: 'IssueTicket',
      data: { ticketId: 't1', serviceId: 'cash', class: 'normal', source: 'kiosk', at: T0 },
    });
    b.run({ type: 'CallNext', data: { counterId: 'c3', at: T0 + 1000 } });
    expect(counterBoardText(b.state, 'c3')).toBe('A001 请到3号窗口');
    b.run({ type: 'StartServing', data: { counterId: 'c3', at: T0 + 2000 } });
    expect(counterBoardText(b.state, 'c3')).toBe('A001 请到3号窗口');
    b.run({ type: 'FinishTicket', data: { counterId: 'c3', at: T0 + 3000 } });
    b.run({ type: 'PauseCounter', data: { counterId: 'c3', reason: 'lunch', at: T0 + 4000 } });
    expect(counterBoardText(b.state, 'c3')).toBe('3号窗口 暂停服务');
    // A narrow board (8 columns) gets the short forms.
    expect(counterBoardText(b.state, 'c3', 8)).toBe('暂停服务');
  });

  it('call a counter by its configured name on every board: the VIP room is 5号贵宾室, never 5号窗口', () => {
    const b = branch();
    b.run({ type: 'OpenCounter', data: { counterId: 'c5', at: T0 } });
    b.run({
      type: 'IssueTicket',
      data: { ticketId: 'v1', serviceId: 'wealth', class: 'normal', source: 'kiosk', at: T0 },
    });
    b.run({ type: 'CallNext', data: { counterId: 'c5', at: T0 + 1000 } });
    // 16 columns: "V001 请到5号贵宾室" is 18 wide; the shorter form keeps the name, drops 请到.
    expect(counterBoardText(b.state, 'c5')).toBe('V001 5号贵宾室');
    expect(counterBoardText(b.state, 'c5', 20)).toBe('V001 请到5号贵宾室');
    const vip = call('V001', 5, '5号贵宾室');
    expect(mainBoardLine(vip, 64)).toBe('V001 请到5号贵宾室');
    expect(mainBoardLine(vip, 16)).toBe('V001 5号贵宾室');
    for (const columns of [8, 12, 16, 20, 64]) expect(mainBoardLine(vip, columns)).not.toContain('窗口');
    b.run({ type: 'PauseCounter', data: { counterId: 'c5', reason: 'lunch', at: T0 + 2000 } });
    expect(counterBoardText(b.state, 'c5', 20)).toBe('5号贵宾室 暂停服务');
  });

  it('put the latest calls on the main board, one per line, newest first', () => {
    const calls = [call('V001', 5, '5号贵宾室'), call('A002', 2), call('A001', 1)];
    expect(mainBoardAreas(calls, 4, 64)).toEqual([
      { area: 1, text: 'V001 请到5号贵宾室' },
      { area: 2, text: 'A002 请到2号窗口' },
      { area: 3, text: 'A001 请到1号窗口' },
      { area: 4, text: '' },
    ]);
    expect(mainBoardAreas(calls, 1, 16)).toEqual([{ area: 0, text: 'V001 5号贵宾室' }]);
    expect(mainBoardAreas([], 1, 16)).toEqual([{ area: 0, text: '欢迎光临' }]);
    expect(mainBoardLine(call('A002', 12), 12)).toBe('A002');
  });

  it('say why no call is shown when every counter is closed', () => {
    const calls = [call('A002', 2)];
    expect(mainBoardAreas(calls, 4, 64, { state: 'afterHours', opensAt: null })).toEqual([
      { area: 1, text: '今日营业已结束 谢谢光临' },
      { area: 2, text: '' },
      { area: 3, text: '' },
      { area: 4, text: '' },
    ]);
    expect(mainBoardAreas(calls, 1, 16, { state: 'afterHours', opensAt: null })).toEqual([
      { area: 0, text: '今日营业已结束' },
    ]);
    expect(mainBoardAreas([], 1, 64, { state: 'beforeHours', opensAt: '08:30' })).toEqual([
      { area: 0, text: '欢迎光临 08:30开始营业' },
    ]);
    expect(mainBoardAreas([], 1, 64, { state: 'noCounterOpen', opensAt: null })).toEqual([
      { area: 0, text: '暂无窗口办理 请稍候' },
    ]);
  });
});

describe('board targets', () => {
  const settings = defaultDeviceSettings('display') as DisplaySettings;
  it("light the called counter's board first and blink only a live call", () => {
    const b = branch();
    for (const counterId of ['c1', 'c2']) b.run({ type: 'OpenCounter', data: { counterId, at: T0 } });
    b.run({
      type: 'IssueTicket',
      data: { ticketId: 't1', serviceId: 'cash', class: 'normal', source: 'kiosk', at: T0 },
    });
    b.run({ type: 'CallNext', data: { counterId: 'c2', at: T0 + 1000 } });
    const live = { ...call('A001', 2), ticketId: 't1', newUntil: T0 + 10_000 };
    const status = (a: number) =>
      a === 200 ? { type: 'mainBoard' as const, firmware: '1.0', columns: 64, rows: 4 } : null;
    const targets = planBoards(b.state, settings, [live], status);
    expect(targets.map((t) => t.address)).toEqual([2, 1, 3, 4, 5, 200]);
    expect(targets[0]!.areas).toEqual([{ area: 0, text: 'A001 请到2号窗口', flash: live.key }]);
    expect(targets[1]!.areas).toEqual([{ area: 0, text: '1号窗口 欢迎光临', flash: null }]);
    expect(targets.at(-1)!.areas[0]).toEqual({ area: 1, text: 'A001 请到2号窗口', flash: live.key });
    expect(targets.at(-1)!.areas[1]).toEqual({ area: 2, text: '', flash: null });
    // The same call found in a snapshot: same texts, no blinking.
    const old = planBoards(b.state, settings, [{ ...live, newUntil: null }], status);
    expect(old.flatMap((t) => t.areas).every((a) => a.flash === null)).toBe(true);
  });

  it('take a call off the main board once its customer came, and clear a closed counter', () => {
    const b = branch();
    b.run({ type: 'OpenCounter', data: { counterId: 'c2', at: T0 } });
    b.run({
      type: 'IssueTicket',
      data: { ticketId: 't1', serviceId: 'cash', class: 'normal', source: 'kiosk', at: T0 },
    });
    b.run({ type: 'CallNext', data: { counterId: 'c2', at: T0 + 1000 } });
    const made = { ...call('A001', 2), ticketId: 't1' };
    const status = (a: number) =>
      a === 200 ? { type: 'mainBoard' as const, firmware: '1.0', columns: 64, rows: 4 } : null;
    const main = (targets: ReturnType<typeof planBoards>) => targets.at(-1)!.areas.map((a) => a.text);
    expect(main(planBoards(b.state, settings, [made], status))).toEqual(['A001 请到2号窗口', '', '', '']);
    b.run({ type: 'StartServing', data: { counterId: 'c2', at: T0 + 2000 } });
    // The customer came: the call is over for the hall; the counter's own board keeps the number.
    expect(main(planBoards(b.state, settings, [made], status))).toEqual(['欢迎光临 请留意叫号', '', '', '']);
    expect(planBoards(b.state, settings, [made], status)[0]!.areas[0]!.text).toBe('A001 请到2号窗口');
    b.run({ type: 'FinishTicket', data: { counterId: 'c2', at: T0 + 3000 } });
    expect(main(planBoards(b.state, settings, [made], status))).toEqual(['欢迎光临 请留意叫号', '', '', '']);
    b.run({ type: 'CloseCounter', data: { counterId: 'c2', at: T0 + 4000 } });
    const closed = planBoards(b.state, settings, [made], status, {
      hall: { state: 'afterHours', opensAt: null },
    });
    expect(closed.find((t) => t.address === 2)!.areas[0]!.text).toBe('2号窗口 停止服务');
    expect(main(closed)).toEqual(['今日营业已结束 谢谢光临', '', '', '']);
  });

  it('give a main board on a dialect without lines (the line dialect) the latest call on its whole area', () => {
    expect(hasAreas(getDialect('v1'))).toBe(true);
    expect(hasAreas(getDialect('line'))).toBe(false);
    const b = branch();
    const status = () => ({ type: 'mainBoard' as const, firmware: '1.0', columns: 64, rows: 4 });
    b.run({ type: 'OpenCounter', data: { counterId: 'c2', at: T0 } });
    b.run({
      type: 'IssueTicket',
      data: { ticketId: 't1', serviceId: 'cash', class: 'normal', source: 'kiosk', at: T0 },
    });
    b.run({ type: 'CallNext', data: { counterId: 'c2', at: T0 + 1000 } });
    const targets = planBoards(b.state, settings, [{ ...call('A001', 2), ticketId: 't1' }], status, {
      areas: false,
    });
    expect(targets.at(-1)).toEqual({
      address: 200,
      areas: [{ area: 0, text: 'A001 请到2号窗口', flash: null }],
    });
  });
});
