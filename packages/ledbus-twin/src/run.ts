import { parseAddressList, startVirtualBus } from './service.ts';
import { renderBoards } from './view.ts';

export interface VirtualBusCommandArgs {
  boards?: string | undefined;
  main?: string | undefined;
  keypads?: string | undefined;
  http?: string | undefined;
  dialect?: string | undefined;
  pace?: boolean | undefined;
}

/**
 * Runs the twin in the foreground with the terminal view until SIGINT/SIGTERM; returns an exit code.
 * Shared by `main.ts` and `pnpm nextup led virtual`.
 */
export async function runVirtualBusCommand(
  args: VirtualBusCommandArgs,
  out = process.stdout,
): Promise<number> {
  let boards: number[];
  let mainBoards: number[];
  let keypads: number[];
  let httpPort: number | undefined;
  try {
    boards = parseAddressList(args.boards ?? '1-5');
    mainBoards = parseAddressList(args.main ?? '200');
    keypads = parseAddressList(args.keypads ?? '101-105');
    if (args.http !== undefined) {
      httpPort = Number(args.http);
      if (!Number.isInteger(httpPort) || httpPort < 0 || httpPort > 65535)
        throw new TypeError(`--http must be a port number 0–65535, got "${args.http}"`);
    }
  } catch (e) {
    process.stderr.write(`参数错误 / bad option: ${(e as Error).message}\n`);
    return 2;
  }
  const running = await startVirtualBus({
    boards,
    mainBoards,
    keypads,
    ...(args.dialect ? { dialect: args.dialect } : {}),
    ...(httpPort === undefined ? {} : { httpPort }),
    ...(args.pace ? { paceBaud: 9600 } : {}),
  });
  const header = [
    `主机端串口 / master port: ${running.masterPath}`,
    running.http ? `JSON: ${running.http.url}/boards` : null,
    `协议 / dialect: ${running.bus.dialect.id}${args.pace ? ' (paced at 9600 baud)' : ''}`,
    '按 Ctrl-C 退出 / Ctrl-C to stop',
  ]
    .filter(Boolean)
    .join('\n');
  const tty = out.isTTY === true;
  let last = '';
  const draw = () => {
    const text = `${header}\n\n${renderBoards(running.bus.snapshot())}`;
    if (text === last) return;
    last = text;
    // On a terminal redraw in place; into a file or pipe, append each new state.
    out.write(tty ? `\x1b[H\x1b[2J${text}` : `${text}\n`);
  };
  draw();
  const timer = setInterval(draw, 250);
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  clearInterval(timer);
  await running.close();
  return 0;
}
