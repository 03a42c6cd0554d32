import type { DeviceHealth, HealthComponent } from '@nextup/protocol';
import { describe, expect, it } from 'vitest';
import { healthOnHubClock } from './device-health.ts';

const HUB_NOW = Date.UTC(2026, 10, 23, 1, 30);
const DEVICE_CLOCK = Date.UTC(2031, 0, 1);

const part = (p: Partial<HealthComponent>): HealthComponent => ({
  component: 'printer',
  address: null,
  level: 'ok',
  code: 'OK',
  detail: null,
  since: DEVICE_CLOCK,
  ...p,
});
const health = (...components: HealthComponent[]): DeviceHealth => ({ components, version: '0.1.0' });

describe('health times on the hub clock', () => {
  it("stamps a first report with the hub's time, whatever the device's clock says", () => {
    const out = healthOnHubClock(null, health(part({})), HUB_NOW);
    expect(out.components[0]?.since).toBe(HUB_NOW);
  });

  it('keeps the time a component entered its state while its level and code stay the same', () => {
    const known = health(
      part({ since: HUB_NOW - 60_000 }),
      part({ component: 'ledBoard', address: 3, since: HUB_NOW - 5_000 }),
    );
    const reported = health(part({ detail: 'x' }), part({ component: 'ledBoard', address: 3 }));
    const out = healthOnHubClock(known, reported, HUB_NOW);
    expect(out.components.map((c) => c.since)).toEqual([HUB_NOW - 60_000, HUB_NOW - 5_000]);
  });

  it('restamps a component whose code changed, and one at a new address', () => {
    const known = health(part({ since: 1 }), part({ component: 'ledBoard', address: 3, since: 2 }));
    const out = healthOnHubClock(
      known,
      health(part({ level: 'error', code: 'PAPER_OUT' }), part({ component: 'ledBoard', address: 4 })),
      HUB_NOW,
    );
    expect(out.components.map((c) => c.since)).toEqual([HUB_NOW, HUB_NOW]);
  });
});
