#!/usr/bin/env -S npx tsx
/**
 * The display box's agent as a service (systemd runs it and restarts it if it dies; the Electron
 * shell or Chromium in kiosk mode shows its screen at http://127.0.0.1:8400). See DISPLAY_USAGE.
 */
import pino from 'pino';
import { DISPLAY_USAGE, parseDisplayArgs } from './args.ts';
import { startDisplayAgent } from './display-agent.ts';

let args: ReturnType<typeof parseDisplayArgs>;
try {
  args = parseDisplayArgs(process.argv.slice(2));
} catch (e) {
  process.stderr.write(`${(e as Error).message}\n\n${DISPLAY_USAGE}\n`);
  process.exit(2);
}
if (args === 'help') {
  process.stdout.write(`${DISPLAY_USAGE}\n`);
  process.exit(0);
}

const logger = pino({ level: args.logLevel, base: { app: 'display' } });
const agent = await startDisplayAgent({ ...args.options, logger });
logger.info({ url: agent.url, status: agent.status }, `display: screen at ${agent.url}`);

for (const signal of ['SIGINT', 'SIGTERM'] as const)
  process.once(signal, () => {
    void agent.close().then(() => process.exit(0));
  });
