import { own, type QueueState } from '@nextup/core';
import { displayWidth } from '@nextup/ledbus';
import type { DisplayCall } from '@nextup/protocol';

/**
 * What each LED board says, from the branch state. Pure. Boards are Chinese only (GB18030 fonts,
 * half-width columns, a hanzi takes two): texts are chosen to fit the board's width, from the
 * fullest to the shortest, never cut in the middle of a word.
 *
 *   counter board (16 columns):  "A023 请到3号窗口"   "3号窗口 暂停服务"   "3号窗口 停止服务"   "3号窗口 欢迎光临"
 *   main board (64 × 4):         line 1 the latest call "A023 请到3号窗口", lines 2–4 the calls before it
 */

/** Half-width columns of a counter board and a main board whose STATUS we have not read yet. */
export const DEFAULT_COUNTER_COLUMNS = 16;
export const DEFAULT_MAIN_COLUMNS = 64;

/** The first candidate that fits `columns`; the last one (the shortest) when none does. */
export function fitText(candidates: readonly string[], columns: number): string {
  for (const c of candidates) if (displayWidth(c) <= columns) return c;
  return candidates.at(-1) ?? '';
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
  const n = c.number;
  switch (cs?.status ?? 'closed') {
    case 'paused':
      return fitText([`${n}号窗口 暂停服务`, '暂停服务'], columns);
    case 'closed':
      return fitText([`${n}号窗口 停止服务`, '停止服务'], columns);
    case 'open': {
      const t = cs?.ticketId ? own(state.tickets, cs.ticketId) : undefined;
      if (t && (t.status === 'called' || t.status === 'serving'))
        return fitText(
          [`${t.number} 请到${n}号窗口`, `${t.number} 请到本窗口`, `请${t.number}号`, t.number],
          columns,
        );
      return fitText([`${n}号窗口 欢迎光临`, '欢迎光临'], columns);
    }
  }
}

/** One line of the main board for a call. */
export function mainBoardLine(
  call: Pick<DisplayCall, 'number' | 'counterNumber' | 'counterName'>,
  columns: number,
): string {
  return fitText(
    [
      `${call.number} 请到${call.counterName.zh}`,
      `${call.number} 请到${call.counterNumber}号窗口`,
      `${call.number}→${call.counterNumber}`,
    ],
    columns,
  );
}

/**
 * The main board's lines (area 1…rows), newest call first; a one-line board (or one whose size we
 * do not know yet) gets the latest call on its whole area. `''` = a dark line.
 */
export function mainBoardAreas(
  calls: readonly Pick<DisplayCall, 'number' | 'counterNumber' | 'counterName'>[],
  rows: number,
  columns: number = DEFAULT_MAIN_COLUMNS,
): { area: number; text: string }[] {
  const welcome = fitText(['欢迎光临 请留意叫号', '欢迎光临'], columns);
  if (rows <= 1) {
    const first = calls[0];
    return [{ area: 0, text: first ? mainBoardLine(first, columns) : welcome }];
  }
  const out: { area: number; text: string }[] = [];
  for (let line = 1; line <= rows; line++) {
    const call = calls[line - 1];
    out.push({ area: line, text: call ? mainBoardLine(call, columns) : line === 1 ? welcome : '' });
  }
  return out;
}
