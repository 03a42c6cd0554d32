#!/usr/bin/env -S npx tsx
/**
 * The hub's process: `pnpm --filter @nextup/hub start [--port 8300] [--data-dir DIR] [--config FILE]`.
 * Logs JSON lines; on the first run it logs the one-time setup token for the IT admin.
 */
import { ConfigError, loadHubConfig, startHub } from './index.ts';

try {
  const config = loadHubConfig(process.argv.slice(2));
  const running = await startHub({
    port: config.port,
    host: config.host,
    dataDir: config.dataDir,
    publicUrl: config.publicUrl,
    timeOrigin: config.timeOrigin,
    timeRate: config.timeRate,
    logLevel: config.logLevel,
    setupTokenFile: config.setupTokenFile,
    sessionHours: config.sessionHours,
    pairingCodeMinutes: config.pairingCodeMinutes,
    snapshotEvery: config.snapshotEvery,
    secureCookies: config.secureCookies,
    centralUrl: config.centralUrl,
    branchId: config.branchId,
  });
  const stop = async (signal: string) => {
    running.app.log.info({ signal }, 'stopping');
    await running.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop('SIGINT'));
  process.once('SIGTERM', () => void stop('SIGTERM'));
} catch (e) {
  if (e instanceof ConfigError) {
    process.stderr.write(`nextup-hub: ${e.message}\n`);
    process.exit(2);
  }
  throw e;
}
