import type { ClientCommand } from '@nextup/protocol';
import { BusMaster, type BusMasterOptions } from './master/master.ts';
import { closeBusPort, openBusPort } from './master/port.ts';
import { type RunningVirtualBus, type StartVirtualBusOptions, startVirtualBus } from './virtual/service.ts';

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

/**
 * Stands in for the hub, which cannot run here yet: records what the display agent would POST to
 * `/api/v1/commands` as `{ v: 1, requestId, command }`.
 */
export class FakeHubSender {
  readonly sent: { command: ClientCommand; requestId: string; keypadAddress: number }[] = [];
  fail = false;
  readonly send = async (command: ClientCommand, meta: { requestId: string; keypadAddress: number }) => {
    if (this.fail) throw new Error('hub unreachable');
    this.sent.push({ command, requestId: meta.requestId, keypadAddress: meta.keypadAddress });
  };
}
