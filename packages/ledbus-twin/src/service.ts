import { closeBusPort, type Dialect, type Logger, MAX_ADDRESS, openBusPort } from '@nextup/ledbus';
import { openPtyPair, type PtyPair } from '@nextup/ptypair';
import { type BoardSpec, VirtualBus } from './bus.ts';
import { serveVirtualBus, type VirtualBusHttp } from './http.ts';

export interface StartVirtualBusOptions {
  /** Counter boards' addresses. Default 1–5 (the sample branch's counters). */
  boards?: readonly number[];
  /** Main boards' addresses. Default [200]. */
  mainBoards?: readonly number[];
  /** Keypads' addresses. Default 101–105 (the sample branch: 100 + counter number). */
  keypads?: readonly number[];
  /** Default 'v1'. */
  dialect?: Dialect | string;
  /** Serve the JSON view on this port (0 = any free port). Default: no HTTP. */
  httpPort?: number;
  /** Baud rate of the device end. Default 9600. */
  baudRate?: number;
  /** See VirtualBusOptions.paceBaud. Default: no pacing. */
  paceBaud?: number;
  /** An existing pty pair to use (end b); default a fresh one. */
  pair?: PtyPair;
  logger?: Logger;
}

export interface RunningVirtualBus {
  /** The path the master opens (end a of the pty pair). */
  masterPath: string;
  bus: VirtualBus;
  http: VirtualBusHttp | null;
  close(): Promise<void>;
}

/** A pty pair, the twin on one end, and optionally its HTTP view: a whole bus without hardware. */
export async function startVirtualBus(options: StartVirtualBusOptions = {}): Promise<RunningVirtualBus> {
  const ownPair = options.pair === undefined;
  const pair = options.pair ?? (await openPtyPair());
  let port: Awaited<ReturnType<typeof openBusPort>> | undefined;
  try {
    port = await openBusPort({ path: pair.b, baudRate: options.baudRate ?? 9600 });
    const boards: BoardSpec[] = [
      ...(options.mainBoards ?? [200]).map((address) => ({ address, type: 'mainBoard' as const })),
      ...(options.boards ?? [1, 2, 3, 4, 5]).map((address) => ({ address, type: 'counterBoard' as const })),
    ];
    const bus = new VirtualBus({
      port,
      boards,
      keypads: options.keypads ?? [101, 102, 103, 104, 105],
      ...(options.dialect === undefined ? {} : { dialect: options.dialect }),
      ...(options.paceBaud === undefined ? {} : { paceBaud: options.paceBaud }),
      ...(options.logger ? { logger: options.logger } : {}),
    });
    const http =
      options.httpPort === undefined ? null : await serveVirtualBus(bus, { port: options.httpPort });
    const p = port;
    let closing: Promise<void> | null = null;
    return {
      masterPath: pair.a,
      bus,
      http,
      close() {
        closing ??= (async () => {
          bus.close();
          await http?.close();
          await closeBusPort(p);
          if (ownPair) await pair.close();
        })();
        return closing;
      },
    };
  } catch (e) {
    if (port) await closeBusPort(port);
    if (ownPair) await pair.close();
    throw e;
  }
}

/** "1-5,200" → [1,2,3,4,5,200]. Throws a TypeError naming the bad part. "" → []. */
export function parseAddressList(text: string, { allowBroadcast = false } = {}): number[] {
  const out: number[] = [];
  for (const part of text.split(',').map((p) => p.trim())) {
    if (part === '') continue;
    const m = /^(\d{1,3})(?:-(\d{1,3}))?$/.exec(part);
    if (!m) throw new TypeError(`"${part}" is not an address or a range like 1-5`);
    const from = Number(m[1]);
    const to = m[2] === undefined ? from : Number(m[2]);
    const min = allowBroadcast ? 0 : 1;
    if (from < min || to > MAX_ADDRESS || from > to)
      throw new TypeError(
        `"${part}": addresses are ${min}–${MAX_ADDRESS}${allowBroadcast ? '' : ' (0 is the broadcast address)'}`,
      );
    for (let a = from; a <= to; a++) if (!out.includes(a)) out.push(a);
  }
  return out;
}
