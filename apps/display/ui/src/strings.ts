import type { Bilingual, Catalogue } from '@nextup/core';

/** A text in both languages (the TV shows both). */
export type Bi = Bilingual;

/**
 * Every word the TV screen says, in both languages (core's `Catalogue` format); `{name}` marks a
 * value filled in with core's `fillBoth`.
 */

export const S = {
  nowCalling: { zh: '正在叫号', en: 'Now calling' },
  recall: { zh: '重呼', en: 'Recall' },
  recent: { zh: '最近叫号', en: 'Recent calls' },
  /** The hall is open, and nobody is being called right now. */
  noCallNow: { zh: '请留意叫号', en: 'Please watch for your number' },
  /** Every counter closed, within the opening hours (or the hours unknown). */
  noCounterOpen: { zh: '暂无窗口办理业务，请稍候', en: 'No counter is open at the moment. Please wait.' },
  beforeHours: { zh: '{at} 开始营业', en: 'We open at {at}' },
  afterHours: { zh: '今日营业已结束，谢谢光临', en: 'We are closed for today. Thank you for visiting.' },
  waitingLabel: { zh: '人等候', en: 'waiting' },
  welcome: {
    zh: '欢迎光临{branch}，请留意屏幕和广播叫号',
    en: 'Welcome to {branch}. Please watch the screen and listen for your number',
  },
  offline: { zh: '与网点服务器断开，正在重新连接…', en: 'Reconnecting to the branch server…' },
  connecting: { zh: '正在连接网点服务器…', en: 'Connecting to the branch server…' },
  agentDown: {
    zh: '叫号屏程序未响应，正在重新连接…',
    en: 'The display service is not answering; reconnecting…',
  },
  enableSound: { zh: '点击屏幕启用叫号声音', en: 'Tap the screen to turn on the call sound' },
  paused: { zh: '暂停', en: 'Paused' },
  closed: { zh: '关闭', en: 'Closed' },
  pairTitle: { zh: '叫号屏配对', en: 'Pair this display' },
  pairIntro: {
    zh: '请网点管理员在「管理 → 设备」中为叫号屏生成 6 位配对码，然后在此输入。',
    en: 'Ask branch IT for a display pairing code (Admin → Devices) and enter it here.',
  },
  hubUrl: { zh: '网点服务器地址', en: 'Branch server address' },
  code: { zh: '配对码（6 位数字）', en: 'Pairing code (6 digits)' },
  deviceName: { zh: '设备名称', en: 'Device name' },
  pair: { zh: '配对', en: 'Pair' },
  pairing: { zh: '正在配对…', en: 'Pairing…' },
} as const satisfies Catalogue;
