import { parseArgs } from 'node:util';

/** One area of `pnpm nextup` (printer, led, hub, central…). */
export interface CliArea {
  name: string;
  /** One line for the top-level help. */
  summary: string;
  /** Runs a command; returns the process exit code. */
  run(args: string[]): Promise<number>;
}

export { parseArgs };

/** Prints an error that names what was wrong and how to fix it, and returns exit code 2. */
export function usageError(message: string, usage: string): number {
  process.stderr.write(`${message}\n\n${usage}\n`);
  return 2;
}
