import type { DeviceHealth } from '@nextup/protocol';

/**
 * A device's health report with every `since` on the hub's clock. A device stamps `since` with its
 * own clock, which need not be the hub's (a box without NTP, the demo's fast clock): a component
 * whose level and code are what the hub already knew keeps the hub's `since`; a changed or new one
 * gets `now`. So the consoles compare every health time with the hub's clock, and a heartbeat that
 * only re-stamps a component changes nothing.
 */
export function healthOnHubClock(
  known: DeviceHealth | null,
  reported: DeviceHealth,
  now: number,
): DeviceHealth {
  const before = new Map(known?.components.map((c) => [`${c.component}:${c.address ?? ''}`, c]) ?? []);
  return {
    ...reported,
    components: reported.components.map((c) => {
      const prev = before.get(`${c.component}:${c.address ?? ''}`);
      const same = prev && prev.level === c.level && prev.code === c.code;
      return { ...c, since: same ? prev.since : now };
    }),
  };
}
