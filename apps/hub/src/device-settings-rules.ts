import { type BranchConfig, has } from '@nextup/core';
import { type DeviceKind, type DeviceSettings, mainBoardClash } from '@nextup/protocol';
import type { HubRefusal } from './hub-decide.ts';

/**
 * Whether `settings` may be given to a device of `kind` in a branch configured as `config`: the
 * settings are that kind's, every counter and service they name exists, and a display's main board
 * is not on an address a counter's board or keypad uses. Null when they may.
 */
export function deviceSettingsRefusal(
  kind: DeviceKind,
  settings: DeviceSettings,
  config: BranchConfig,
): HubRefusal | null {
  const refuse = (code: string, zh: string, en: string): HubRefusal => ({
    kind: 'input',
    code,
    message: { zh, en },
  });
  if (kind !== settings.kind)
    return refuse(
      'WRONG_DEVICE_KIND',
      '设置与设备类型不符',
      `These are ${settings.kind} settings; the device is a ${kind}`,
    );
  const counterIds =
    settings.kind === 'counterTablet'
      ? settings.counterId
        ? [settings.counterId]
        : []
      : settings.kind === 'display'
        ? settings.counters
        : [];
  const unknownCounter = counterIds.find((id) => !has(config.counters, id));
  if (unknownCounter)
    return refuse('UNKNOWN_COUNTER', `没有此窗口：${unknownCounter}`, `No such counter: ${unknownCounter}`);
  const unknownService =
    settings.kind === 'kiosk' ? settings.services.find((id) => !has(config.services, id)) : undefined;
  if (unknownService)
    return refuse('UNKNOWN_SERVICE', `没有此业务：${unknownService}`, `No such service: ${unknownService}`);
  if (settings.kind === 'display') {
    const clash = mainBoardClash(settings, config);
    if (clash)
      return refuse(
        'ADDRESS_CLASH',
        `主屏地址与${clash.counter.number}号窗口的设备冲突`,
        `A main board address is counter ${clash.counter.number}'s board or keypad address`,
      );
  }
  return null;
}
