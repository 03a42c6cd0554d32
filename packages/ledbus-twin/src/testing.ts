/**
 * Test support (`@nextup/ledbus-twin/testing`): a whole bus without hardware for this package's tests
 * (the driver against the twin among them). Never production code.
 */
import { BusMaster, type BusMasterOptions, closeBusPort, openBusPort } from '@nextup/ledbus';
import { type RunningVirtualBus, type StartVirtualBusOptions, startVirtualBus } from './service.ts';

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
