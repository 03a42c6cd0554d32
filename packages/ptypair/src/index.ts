import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Two pseudo-terminals joined back to back by socat: what one side writes, the other reads, like the
 * two ends of a null-modem cable. Both ends are opened raw with echo off (`raw,echo=0`): without
 * that, the line discipline echoes and rewrites bytes and a binary protocol breaks.
 *
 * A pty has no modem lines, so RTS/DTR control (`port.set()` in serialport) fails on it; drivers must
 * treat that as optional. A second open of the same end fails on serialport's lock.
 */
export interface PtyPair {
  /** Path of one end (a symlink to /dev/pts/N), e.g. for the master/driver. */
  a: string;
  /** Path of the other end, e.g. for the virtual device. */
  b: string;
  /** Stops socat and removes the links. Idempotent. */
  close(): Promise<void>;
}

export class PtyPairError extends Error {
  readonly code: 'SOCAT_MISSING' | 'SOCAT_FAILED' | 'TIMEOUT';
  constructor(code: PtyPairError['code'], message: string) {
    super(message);
    this.name = 'PtyPairError';
    this.code = code;
  }
}

export interface PtyPairOptions {
  /** Folder for the two links; default a fresh temporary folder. */
  dir?: string;
  /** Names of the links inside `dir`; default 'a' and 'b'. */
  names?: [string, string];
  /** How long to wait for socat to create both ends, ms. Default 5000. */
  timeoutMs?: number;
  /** The socat executable. Default 'socat' on PATH. */
  socat?: string;
}

export async function openPtyPair(options: PtyPairOptions = {}): Promise<PtyPair> {
  const ownDir = options.dir === undefined;
  const dir = options.dir ?? mkdtempSync(join(tmpdir(), 'nextup-pty-'));
  const [na, nb] = options.names ?? ['a', 'b'];
  const a = join(dir, na);
  const b = join(dir, nb);
  const timeoutMs = options.timeoutMs ?? 5000;
  let child: ChildProcess;
  try {
    child = spawn(
      options.socat ?? 'socat',
      ['-d', '-d', `pty,raw,echo=0,link=${a}`, `pty,raw,echo=0,link=${b}`],
      {
        stdio: ['ignore', 'ignore', 'pipe'],
      },
    );
  } catch (e) {
    throw new PtyPairError('SOCAT_MISSING', `cannot start socat: ${(e as Error).message}`);
  }
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => {
    stderr += d.toString();
    if (stderr.length > 10_000) stderr = stderr.slice(-5000);
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const spawnError = new Promise<Error>((resolve) => child.once('error', resolve));

  // socat logs "starting data transfer loop" once both ends exist.
  const ready = new Promise<void>((resolve) => {
    const check = () => {
      if (stderr.includes('starting data transfer loop') && existsSync(a) && existsSync(b)) resolve();
      else timer = setTimeout(check, 10);
    };
    let timer = setTimeout(check, 0);
    void exited.then(() => clearTimeout(timer));
  });
  const outcome = await Promise.race([
    ready.then(() => 'ready' as const),
    exited.then(() => 'exited' as const),
    spawnError.then((e) => e),
    new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), timeoutMs).unref()),
  ]);
  if (outcome !== 'ready') {
    child.kill('SIGKILL');
    if (ownDir) rmSync(dir, { recursive: true, force: true });
    if (outcome instanceof Error)
      throw new PtyPairError(
        (outcome as NodeJS.ErrnoException).code === 'ENOENT' ? 'SOCAT_MISSING' : 'SOCAT_FAILED',
        `socat: ${outcome.message} (install it with scripts/setup-system.sh)`,
      );
    if (outcome === 'timeout')
      throw new PtyPairError('TIMEOUT', `socat did not create the pty pair in ${timeoutMs} ms`);
    throw new PtyPairError('SOCAT_FAILED', `socat exited: ${stderr.trim().split('\n').slice(-2).join(' ')}`);
  }

  let closed: Promise<void> | null = null;
  return {
    a,
    b,
    close() {
      closed ??= (async () => {
        if (child.exitCode === null && child.signalCode === null) {
          child.kill('SIGTERM');
          await Promise.race([exited, new Promise((r) => setTimeout(r, 2000).unref())]);
          if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
        }
        if (ownDir) rmSync(dir, { recursive: true, force: true });
      })();
      return closed;
    },
  };
}
