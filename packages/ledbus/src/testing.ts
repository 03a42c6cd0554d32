/**
 * Test support (`@nextup/ledbus/testing`): for this package's tests and the twin's (the driver against
 * the twin, the twin against the protocol document). Never production code.
 */
import type { ClientCommand } from '@nextup/protocol';

export {
  DocBoard,
  type DocBoardSpec,
  DocBus,
  type DocDevice,
  type DocFrame,
  DocKeypad,
  type DocLogEntry,
  DocReceiver,
  docCrc,
  docFrame,
} from './conformance/doc-device.ts';

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
