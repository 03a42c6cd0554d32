import { type Availability, type Bilingual, type Catalogue, fillBoth } from '@nextup/core';
import type { PrinterErrorCode } from '@nextup/printer';
import type { KioskProblem, KioskProblemCode } from '@nextup/protocol';

/**
 * What the customer reads when something is wrong, in both languages (the kiosk shows both at once
 * for problems, whatever language is selected: an elderly customer may have tapped English by
 * mistake). Short, what happened, then what to do.
 */
const PROBLEMS: Record<KioskProblemCode, Bilingual> = {
  HUB_OFFLINE: {
    zh: '暂停取号：与网点服务器的连接中断，正在自动重连。请联系工作人员。',
    en: 'Tickets paused: the connection to the branch server is down and reconnecting. Please ask staff.',
  },
  CONNECTING: {
    zh: '正在连接网点服务器，请稍候……',
    en: 'Connecting to the branch server, please wait…',
  },
  NOT_PAIRED: {
    zh: '本取号机尚未加入网点，请联系工作人员。',
    en: 'This kiosk has not joined the branch yet. Please ask staff.',
  },
  NO_PRINTER: {
    zh: '暂停取号：本机未设置打印机。请联系工作人员。',
    en: 'Tickets paused: no printer is set up for this kiosk. Please ask staff.',
  },
  PAPER_OUT: {
    zh: '暂停取号：打印机缺纸。请联系工作人员。',
    en: 'Tickets paused: the printer is out of paper. Please ask staff.',
  },
  COVER_OPEN: {
    zh: '暂停取号：打印机盖未关好。请联系工作人员。',
    en: 'Tickets paused: the printer cover is open. Please ask staff.',
  },
  PRINTER_OFFLINE: {
    zh: '暂停取号：打印机未连接。请联系工作人员。',
    en: 'Tickets paused: the printer is not responding. Please ask staff.',
  },
  PRINTER_ERROR: {
    zh: '暂停取号：打印机故障。请联系工作人员。',
    en: 'Tickets paused: the printer has a fault. Please ask staff.',
  },
};

export function problem(code: KioskProblemCode): KioskProblem {
  return { code, message: PROBLEMS[code] };
}

/** A printer failure as the customer's problem. */
export function printerProblem(e: { code: PrinterErrorCode }): KioskProblem {
  switch (e.code) {
    case 'PAPER_OUT':
      return problem('PAPER_OUT');
    case 'COVER_OPEN':
      return problem('COVER_OPEN');
    case 'PRINTER_ERROR':
    case 'PERMISSION_DENIED':
    case 'BAD_URL':
      return problem('PRINTER_ERROR');
    case 'OFFLINE':
    case 'TIMEOUT':
    case 'CONNECT_FAILED':
    case 'BUSY':
    case 'DISCONNECTED':
    case 'NO_STATUS':
      return problem('PRINTER_OFFLINE');
    default: {
      const _: never = e.code;
      return _;
    }
  }
}

/** Why a service button, or appointment check-in, is not available. */
export const UNAVAILABLE = {
  disabled: { zh: '暂停办理', en: 'Not available today' },
  opensAt: { zh: '{at} 开始办理', en: 'Opens at {at}' },
  closedToday: { zh: '今日已停止办理', en: 'Closed for today' },
  soldOut: { zh: '今日号已取完', en: 'No tickets left today' },
  checkInOver: { zh: '今日预约签到已结束', en: 'Check-in has closed for today' },
  checkInOff: { zh: '暂停预约签到', en: 'Check-in is not available now' },
} as const satisfies Catalogue;

/** Why a service button is disabled, in words. */
export function unavailableReason(a: Availability): Bilingual | null {
  if (a.available) return null;
  switch (a.reason) {
    case 'disabled':
      return UNAVAILABLE.disabled;
    case 'outsideHours':
      return a.opensAt ? fillBoth(UNAVAILABLE.opensAt, { at: a.opensAt }) : UNAVAILABLE.closedToday;
    case 'soldOut':
      return UNAVAILABLE.soldOut;
    default: {
      const _: never = a;
      return _;
    }
  }
}

/** The agent's own refusals (not the hub's). */
export const AGENT_WORDS = {
  hubUnreachable: {
    zh: '无法连接网点服务器，未出票。请稍后再试或联系工作人员。',
    en: 'Cannot reach the branch server; no ticket was issued. Please try again or ask staff.',
  },
  unknownService: { zh: '此业务不在本机办理', en: 'This service is not offered at this kiosk' },
  notFailed: { zh: '这张票不需要重新打印', en: 'This ticket does not need reprinting' },
  internal: { zh: '取号机内部错误，请联系工作人员', en: 'Kiosk error: please ask staff' },
} as const satisfies Catalogue;
