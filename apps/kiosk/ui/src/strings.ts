import { type Catalogue, fill, type Lang, say } from '@nextup/core';

export type { Lang };

/** Every word the kiosk shows, in zh-CN (default) and English (core's `Catalogue` format). */

const S = {
  chooseService: { zh: '请选择您要办理的业务', en: 'Please choose a service' },
  loadingServices: { zh: '正在读取业务……', en: 'Loading the services…' },
  switchLang: { zh: 'English', en: '中文' },
  waiting: { zh: '等候人数', en: 'Waiting' },
  aheadNow: { zh: '您前面', en: 'Ahead of you' },
  people: { zh: '人', en: '' },
  estimate: { zh: '预计等候', en: 'Expected wait' },
  minutes: { zh: '分钟', en: 'min' },
  noCounterOpen: { zh: '暂无窗口开放', en: 'No counter open yet' },
  selfService: { zh: '自助办理更快', en: 'Faster at a machine' },
  appointment: { zh: '预约签到', en: 'Appointment check-in' },
  appointmentHint: {
    zh: '输入预约码，或将预约二维码对准扫描口',
    en: 'Type your booking code, or hold its QR code to the scanner',
  },
  yourNumber: { zh: '您的号码', en: 'Your number' },
  ahead: { zh: '前面还有', en: 'Ahead of you' },
  aheadUnit: { zh: '人', en: 'people' },
  aheadOne: { zh: '人', en: 'person' },
  nobodyAhead: { zh: '前面没有人，请留意叫号', en: 'Nobody ahead: listen for your number' },
  scanToFollow: { zh: '手机扫码，随时查看排队进度', en: 'Scan to follow the queue on your phone' },
  printing: { zh: '正在打印号票……', en: 'Printing your ticket…' },
  printed: { zh: '请取走下方出票口的号票', en: 'Please take your ticket below' },
  printFailed: {
    zh: '号票未能打印。您的号码仍然有效：请记下号码，或用手机扫码。',
    en: 'Your ticket could not be printed. Your number is still valid: note it down or scan the code.',
  },
  voided: { zh: '此号已取消', en: 'This ticket was cancelled' },
  calledTo: { zh: '您的号已叫到，请到', en: 'Your number has been called: please go to' },
  servingAt: { zh: '正在办理：', en: 'Being served at' },
  ended: { zh: '此号已结束，无需重新打印', en: 'This ticket has ended: no reprint is needed' },
  reprint: { zh: '重新打印', en: 'Print again' },
  reprintWait: { zh: '打印机恢复后可重打', en: 'Reprint once fixed' },
  voidTicket: { zh: '不要这个号了', en: 'Cancel this ticket' },
  done: { zh: '完成', en: 'Done' },
  back: { zh: '返回', en: 'Back' },
  backIn: { zh: '秒后返回首页', en: 's to the start screen' },
  issuing: { zh: '正在出票，请稍候……', en: 'Issuing your ticket…' },
  checkingIn: { zh: '正在签到，请稍候……', en: 'Checking you in…' },
  ok: { zh: '知道了', en: 'OK' },
  clear: { zh: '删除', en: 'Delete' },
  confirm: { zh: '确定', en: 'OK' },
  codeLabel: { zh: '预约码', en: 'Booking code' },
  paused: { zh: '暂停取号', en: 'Tickets paused' },
  reconnecting: { zh: '正在自动重新连接', en: 'Reconnecting by itself' },
  connecting: { zh: '正在连接……', en: 'Connecting…' },
  agentLost: {
    zh: '取号机正在重新启动，请稍候',
    en: 'The kiosk is restarting, please wait',
  },
  appointmentSlot: { zh: '预约时段', en: 'Appointment' },
  pairTitle: { zh: '取号机配对', en: 'Pair this kiosk' },
  pairIntro: {
    zh: '请在管理后台「设备」中为本机取名并生成配对码，然后在此输入网点服务器地址和 6 位配对码。',
    en: 'Name this kiosk and create its pairing code under Devices in the admin console, then enter the hub address and the 6-digit code here.',
  },
  hubAddress: { zh: '网点服务器地址', en: 'Hub address' },
  pairingCode: { zh: '配对码（6 位数字）', en: 'Pairing code (6 digits)' },
  pair: { zh: '配对', en: 'Pair' },
  pairing: { zh: '正在配对……', en: 'Pairing…' },
  staffOnly: { zh: '本页面供网点技术人员使用', en: 'For branch IT staff' },
} as const satisfies Catalogue;

export type StringKey = keyof typeof S;

export function t(key: StringKey, lang: Lang): string {
  return say(S, key, lang);
}

/** The other language (the toggle, and the small second line under problems). */
export function other(lang: Lang): Lang {
  return lang === 'zh' ? 'en' : 'zh';
}

const WAIT_RANGE = { zh: '{range} 分钟', en: '{range} min' } as const;

/** "10–15 分钟" / "10–15 min". */
export function waitRange(e: { lowMinutes: number; highMinutes: number }, lang: Lang): string {
  const range = e.lowMinutes === e.highMinutes ? `${e.lowMinutes}` : `${e.lowMinutes}–${e.highMinutes}`;
  return fill(WAIT_RANGE[lang], { range });
}
