/**
 * Test support (`@nextup/ledbus-twin/testing`): a whole bus without hardware for the LED bus tests,
 * this package's and the driver's. Never production code.
 */
import { BusMaster, type BusMasterOptions, closeBusPort, openBusPort } from '@nextup/ledbus';
import { type RunningVirtualBus, type StartVirtualBusOptions, startVirtualBus } from './service.ts';

/** Waits until `check` returns a truthy value (polling), or fails naming what it waited for. */
export async function waitFor<T>(check: () => T, what: string, timeoutMs = 8000): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = check();
    if (v) return v as NonNullable<T>;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

export interface Rig {
  vb: RunningVirtualBus;
  master: BusMaster;
  close(): Promise<void>;
}

/**
 * A real bus without hardware: a socat pty pair, the virtual bus on one end, a BusMaster on a
 * serialport opened on the other. Timeouts are generous: these tests run on a loaded machine.
 */
export async function openRig(
  bus: StartVirtualBusOptions = {},
  master: Omit<BusMasterOptions, 'port'> = {},
): Promise<Rig> {
  const vb = await startVirtualBus(bus);
  const port = await openBusPort({ path: vb.masterPath });
  const m = new BusMaster({ timeoutMs: 500, retries: 2, dialect: bus.dialect ?? 'v1', ...master, port });
  return {
    vb,
    master: m,
    async close() {
      await m.close();
      await closeBusPort(port);
      await vb.close();
    },
  };
}
