import { own, type QueueState } from '@nextup/core';
import { displayWidth } from '@nextup/ledbus';
import type { DisplayCall, DisplayHall } from '@nextup/protocol';

/**
 * What each LED board says, from the branch state. Pure. Boards are Chinese only (GB18030 fonts,
 * half-width columns, a hanzi takes two): texts are chosen to fit the board's width, from the
 * fullest to the shortest, never cut in the middle of a word. A counter is always called by its
 * configured name, as on the TV and in the voice ("5号贵宾室", never "5号窗口" for it); a shorter
 * form drops words around the name, never swaps the name.
 *
 *   counter board (16 columns):  "A023 请到3号窗口"   "3号窗口 暂停服务"   "3号窗口 停止服务"   "3号窗口 欢迎光临"
 *   main board (64 × 4):         the calls still being made (their customer not come yet), newest first:
 *                                "A023 请到3号窗口" / "V001 请到5号贵宾室"; when none, a welcome; when every
 *                                counter is closed, why ("今日营业已结束")
 */

/** Half-width columns of a counter board and a main board whose STATUS we have not read yet. */
export const DEFAULT_COUNTER_COLUMNS = 16;
export const DEFAULT_MAIN_COLUMNS = 64;

/** The first candidate that fits `columns`; the last one (the shortest) when none does. */
export function fitText(candidates: readonly string[], columns: number): string {
  for (const c of candidates) if (displayWidth(c) <= columns) return c;
  return candidates.at(-1) ?? '';
}

/** A counter's name on a board: its configured Chinese name, else "N号窗口". */
function boardName(name: { zh: string } | undefined, number: number): string {
  return name?.zh.trim() || `${number}号窗口`;
}

/** The counter board's text for the counter's state now. */
export function counterBoardText(
  state: QueueState,
  counterId: string,
  columns = DEFAULT_COUNTER_COLUMNS,
): string {
  const c = own(state.config.counters, counterId);
  if (!c) return '';
  const cs = own(state.counters, counterId);
  const name = boardName(c.name, c.number);
  switch (cs?.status ?? 'closed') {
    case 'paused':
      return fitText([`${name} 暂停服务`, '暂停服务'], columns);
    case 'closed':
      return fitText([`${name} 停止服务`, '停止服务'], columns);
    case 'open': {
      const t = cs?.ticketId ? own(state.tickets, cs.ticketId) : undefined;
      if (t && (t.status === 'called' || t.status === 'serving'))
        return fitText(
          [`${t.number} 请到${name}`, `${t.number} ${name}`, `请${t.number}号`, t.number],
          columns,
        );
      return fitText([`${name} 欢迎光临`, '欢迎光临'], columns);
    }
  }
}

/** One line of the main board for a call. */
export function mainBoardLine(
  call: Pick<DisplayCall, 'number' | 'counterNumber' | 'counterName'>,
  columns: number,
): string {
  const name = boardName(call.counterName, call.counterNumber);
  return fitText([`${call.number} 请到${name}`, `${call.number} ${name}`, call.number], columns);
}

/** What a main board says when no call is in effect: a welcome while the hall is open, else why not. */
export function mainBoardIdleText(hall: DisplayHall, columns: number = DEFAULT_MAIN_COLUMNS): string {
  switch (hall.state) {
    case 'open':
      return fitText(['欢迎光临 请留意叫号', '欢迎光临'], columns);
    case 'noCounterOpen':
      return fitText(['暂无窗口办理 请稍候', '请稍候'], columns);
    case 'beforeHours':
      return fitText([`欢迎光临 ${hall.opensAt}开始营业`, `${hall.opensAt}开始营业`, '欢迎光临'], columns);
    case 'afterHours':
      return fitText(['今日营业已结束 谢谢光临', '今日营业已结束', '营业结束'], columns);
  }
}

const OPEN: DisplayHall = { state: 'open', opensAt: null };

/**
 * The main board's lines (area 1…rows), newest call first; a one-line board (or one whose size we
 * do not know yet) gets the latest call on its whole area. `calls` are the calls being made; with
 * none, line 1 says `mainBoardIdleText`. `''` = a dark line.
 */
export function mainBoardAreas(
  calls: readonly Pick<DisplayCall, 'number' | 'counterNumber' | 'counterName'>[],
  rows: number,
  columns: number = DEFAULT_MAIN_COLUMNS,
  hall: DisplayHall = OPEN,
): { area: number; text: string }[] {
  const shown = hall.state === 'open' ? calls : [];
  const idle = mainBoardIdleText(hall, columns);
  if (rows <= 1) {
    const first = shown[0];
    return [{ area: 0, text: first ? mainBoardLine(first, columns) : idle }];
  }
  const out: { area: number; text: string }[] = [];
  for (let line = 1; line <= rows; line++) {
    const call = shown[line - 1];
    out.push({ area: line, text: call ? mainBoardLine(call, columns) : line === 1 ? idle : '' });
  }
  return out;
}
