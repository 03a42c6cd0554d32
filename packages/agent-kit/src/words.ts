import type { Catalogue } from '@nextup/core';
import { DEVICE_KIND_NAMES } from '@nextup/protocol';

/** What each kind of box is called on its own screen (protocol's table, which the hub's refusals use too). */
export const KIND_NAMES = DEVICE_KIND_NAMES;

/**
 * The device lifecycle's own words (pairing, revocation), in both languages (core's `Catalogue`
 * format). `{kind}` is filled with a `KIND_NAMES` entry by core's `fillBoth`.
 */
export const LIFECYCLE_WORDS = {
  alreadyPaired: { zh: '本机已加入网点', en: 'This {kind} is already paired' },
  revoked: {
    zh: '本{kind}已被网点移除，请重新配对。',
    en: 'This {kind} was removed from the branch: pair it again.',
  },
  badPairRequest: {
    zh: '请填写网点服务器地址和 6 位配对码',
    en: 'Enter the hub address and the 6-digit code',
  },
  badHubAddress: {
    zh: '服务器地址格式不对，例如 192.168.1.10:8300',
    en: 'Bad hub address, e.g. 192.168.1.10:8300',
  },
  closed: { zh: '本机正在关闭', en: 'This device is shutting down' },
  hubUnreachable: { zh: '无法连接网点服务器 {hub}', en: 'Cannot reach the hub at {hub}: {problem}' },
  pairFailed: { zh: '配对失败（{status}）', en: 'Pairing failed ({status})' },
  badAnswer: { zh: '网点服务器应答无效', en: 'Unexpected answer: {problem}' },
} as const satisfies Catalogue;
