#!/usr/bin/env -S npx tsx
/**
 * The kiosk agent from the command line (`pnpm --filter @nextup/kiosk start -- --hub … --pairing-code …`).
 * Logs structured JSON; stops cleanly on SIGINT/SIGTERM.
 */
import pino from 'pino';
import { parseKioskArgs, USAGE } from './args.ts';
import { startKioskAgent } from './kiosk-agent.ts';

let options: ReturnType<typeof parseKioskArgs>;
try {
  options = parseKioskArgs(process.argv.slice(2));
} catch (e) {
  process.stderr.write(`${(e as Error).message}\n\n${USAGE}\n`);
  process.exit(2);
}
if (options === 'help') {
  process.stdout.write(`${USAGE}\n`);
  process.exit(0);
}

const logger = pino({ level: options.logLevel, base: { app: 'kiosk' } });
const agent = await startKioskAgent({
  dataDir: options.dataDir,
  port: options.port,
  host: options.host,
  logger,
  ...(options.hubUrl && options.pairingCode
    ? { hubUrl: options.hubUrl, pairingCode: options.pairingCode }
    : {}),
  ...(options.name ? { name: options.name } : {}),
});
logger.info({ url: agent.url }, `kiosk UI at ${agent.url}`);

let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const)
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'stopping');
    void agent.close().then(() => process.exit(0));
  });
