import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { EventLog, ManualClock, openDatabase, startHub } from '@nextup/hub';
import { calendar, DAY_SHAPE_IDS, simulateDays } from '@nextup/sim';
import pino from 'pino';
import { type BenchSuite, nowMs } from '../lib/bench.ts';

const hubDir = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'apps', 'hub');

/** Starts the real hub process on a data folder; resolves once it listens, with its start time. */
function startHubProcess(
  dataDir: string,
  timeOrigin: string,
): Promise<{ child: ChildProcess; startMs: number }> {
  const t = nowMs();
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      'src/main.ts',
      '--port',
      '0',
      '--host',
      '127.0.0.1',
      '--data-dir',
      dataDir,
      '--time-origin',
      timeOrigin,
      '--log-level',
      'info',
    ],
    { cwd: hubDir, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('hub listening')) resolve({ child, startMs: nowMs() - t });
    });
    child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
    child.once('exit', (code) => reject(new Error(`hub exited ${code}: ${out.slice(-2000)}`)));
  });
}

/** Resident memory of a process, MiB (Linux /proc). */
function rssMiB(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? Number.NaN);
  return kb / 1024;
}

async function settle(pid: number): Promise<number> {
  // Let start-up garbage be collected; take the lowest of a few readings.
  const readings: number[] = [];
  for (let i = 0; i < 6; i++) {
    await new Promise((r) => setTimeout(r, 500));
    readings.push(rssMiB(pid));
  }
  return Math.min(...readings);
}

export default {
  name: 'hub: memory and start-up after 30 simulated days',
  async run({ quick, log }) {
    const days = quick ? 5 : 30;
    const dir = mkdtempSync(join(tmpdir(), 'nextup-bench-mem-'));
    const empty = mkdtempSync(join(tmpdir(), 'nextup-bench-mem0-'));
    try {
      // A hub that has just written its configuration, the day before the simulated month.
      const boot = await startHub({
        port: 0,
        host: '127.0.0.1',
        dataDir: dir,
        publicUrl: 'http://hub',
        logger: pino({ level: 'silent' }),
        clock: new ManualClock(Date.UTC(2026, 2, 1, 1, 0)),
      });
      const start = boot.hub.view.state;
      await boot.close();

      const shapes = Array.from({ length: days }, (_, i) => DAY_SHAPE_IDS[i % DAY_SHAPE_IDS.length]!);
      const simDays = simulateDays(calendar(7, shapes), { startState: start });
      const events = simDays.flatMap((d) => d.events);
      const tickets = simDays.reduce((n, d) => n + d.records.length, 0);
      const db = openDatabase(join(dir, 'hub.sqlite'));
      const logStore = new EventLog(db);
      db.transaction(() => logStore.append(logStore.head(), { kind: 'system' }, events))();
      db.close();
      const lastDay = simDays.at(-1)!.spec.date;
      log(`${days} days, ${tickets} tickets, ${events.length} events`);

      const origin = `${lastDay}T17:30:00+08:00`;
      const baseline = await startHubProcess(empty, origin);
      const baseRss = await settle(baseline.child.pid!);
      baseline.child.kill('SIGTERM');
      const loaded = await startHubProcess(dir, origin);
      const rss = await settle(loaded.child.pid!);
      loaded.child.kill('SIGTERM');
      // The second start replays from the snapshot the first one wrote on shutdown.
      await new Promise((r) => loaded.child.once('exit', r));
      const again = await startHubProcess(dir, origin);
      again.child.kill('SIGTERM');
      await new Promise((r) => again.child.once('exit', r));
      return [
        {
          name: `hub: resident memory with ${days} simulated days loaded`,
          unit: 'MiB',
          median: rss,
          p99: null,
          baseline: baseRss,
          baselineLabel: 'the same hub, empty log',
          ratio: rss / baseRss,
          note: `${events.length} events, ${tickets} tickets; VmRSS after start-up settles (lowest of 6 readings)`,
        },
        {
          name: `hub: start-up with ${days} days in the log, no snapshot (full replay)`,
          unit: 'ms',
          median: loaded.startMs,
          p99: null,
          baseline: again.startMs,
          baselineLabel: 'restart from its snapshot',
          ratio: loaded.startMs / again.startMs,
          note: 'process spawn to listening, including tsx start-up; one run each',
        },
      ];
    } finally {
      rmSync(dir, { recursive: true, force: true });
      rmSync(empty, { recursive: true, force: true });
    }
  },
} satisfies BenchSuite;
