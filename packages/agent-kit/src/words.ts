import type { Bilingual } from '@nextup/core';
import { type DeviceKind, DEVICE_KIND_NAMES as KIND_NAMES } from '@nextup/protocol';

/** The device lifecycle's own words (pairing, revocation), in both languages. */
export const LIFECYCLE_WORDS = {
  alreadyPaired: (kind: DeviceKind): Bilingual => ({
    zh: '本机已加入网点',
    en: `This ${KIND_NAMES[kind].en} is already paired`,
  }),
  revoked: (kind: DeviceKind): Bilingual => ({
    zh: `本${KIND_NAMES[kind].zh}已被网点移除，请重新配对。`,
    en: `This ${KIND_NAMES[kind].en} was removed from the branch: pair it again.`,
  }),
  badPairRequest: {
    zh: '请填写网点服务器地址和 6 位配对码',
    en: 'Enter the hub address and the 6-digit code',
  },
  badHubAddress: {
    zh: '服务器地址格式不对，例如 192.168.1.10:8300',
    en: 'Bad hub address, e.g. 192.168.1.10:8300',
  },
  closed: { zh: '本机正在关闭', en: 'This device is shutting down' },
} as const;
