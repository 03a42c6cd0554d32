import { execFile, execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/**
 * A throw-away PostgreSQL server for tests and benchmarks: `initdb` into a temp folder, `pg_ctl start`
 * on a free loopback port, trust authentication, nothing outside the folder. It can be stopped and
 * started again on the same port and data (the WAN outage), and `destroy()` removes everything.
 */
export interface LocalPostgres {
  /** `postgres://nextup@127.0.0.1:<port>/<database>` */
  readonly url: string;
  readonly port: number;
  readonly dataDir: string;
  /** The URL of another database on the same server (created by `createDatabase`). */
  urlFor(database: string): string;
  createDatabase(name: string): Promise<string>;
  /** `pg_ctl stop -m fast`: clients see their connections cut, new ones refused. */
  stop(): Promise<void>;
  start(): Promise<void>;
  readonly running: boolean;
  /** Stops the server (immediately) and removes its folder. */
  destroy(): Promise<void>;
  /** The server's log so far (for failure messages). */
  log(): string;
}

export interface LocalPostgresOptions {
  /** Database created at start and named in `url`. Default `nextup`. */
  database?: string;
  /**
   * `fsync` setting. Default false: the tests check behaviour, not durability, and a loaded machine
   * fsyncing every commit slows them for nothing. Benchmarks pass true to measure a real server.
   */
  fsync?: boolean;
  /** Extra `-c name=value` settings. */
  settings?: Record<string, string | number>;
  /** Parent of the temp folder. Default the OS temp folder. */
  parentDir?: string;
}

/** Where Debian puts the server binaries: the newest `/usr/lib/postgresql/<major>/bin`. */
export function findPostgresBin(): string {
  const fromEnv = process.env.NEXTUP_PG_BIN;
  if (fromEnv) {
    if (!existsSync(join(fromEnv, 'pg_ctl'))) throw new Error(`NEXTUP_PG_BIN=${fromEnv} has no pg_ctl`);
    return fromEnv;
  }
  const root = '/usr/lib/postgresql';
  const majors = existsSync(root)
    ? readdirSync(root)
        .filter((v) => /^\d+$/.test(v) && existsSync(join(root, v, 'bin', 'postgres')))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  if (majors.length === 0)
    throw new Error(
      'no PostgreSQL server binaries in /usr/lib/postgresql/*/bin: run `bash scripts/setup-system.sh` (installs Debian’s postgresql package)',
    );
  return join(root, majors[0]!, 'bin');
}

/**
 * PostgreSQL refuses to run as root. As root we run its binaries as an unprivileged account that owns
 * the data folder: `postgres` (created by Debian's package) or else `nobody`. As anyone else, as
 * ourselves.
 */
async function serverAccount(): Promise<{ user: string; uid: number; gid: number } | null> {
  if (process.getuid?.() !== 0) return null;
  const passwd = readFileSync('/etc/passwd', 'utf8').split('\n');
  for (const user of ['postgres', 'nobody']) {
    const line = passwd.find((l) => l.startsWith(`${user}:`));
    if (!line) continue;
    const [, , uid, gid] = line.split(':');
    return { user, uid: Number(uid), gid: Number(gid) };
  }
  throw new Error('running as root, and neither a postgres nor a nobody account exists to run PostgreSQL');
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.unref();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const address = s.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      s.close(() => resolve(port));
    });
  });
}

/** Starts a fresh server. Takes a second or two (initdb). */
export async function startLocalPostgres(options: LocalPostgresOptions = {}): Promise<LocalPostgres> {
  const bin = findPostgresBin();
  const account = await serverAccount();
  const root = mkdtempSync(join(options.parentDir ?? tmpdir(), 'nextup-pg-'));
  const dataDir = join(root, 'data');
  const logFile = join(root, 'server.log');
  if (account) chownSync(root, account.uid, account.gid);

  // runuser keeps our environment but switches user, and needs no password (we are root).
  const exec = async (tool: string, args: string[]) => {
    const file = join(bin, tool);
    const [cmd, argv] = account
      ? (['runuser', ['-u', account.user, '--', file, ...args]] as const)
      : ([file, args] as const);
    try {
      return await run(cmd, [...argv], { cwd: root, env: { ...process.env, LC_ALL: 'C.UTF-8' } });
    } catch (e) {
      const err = e as Error & { stderr?: string; stdout?: string };
      const log = existsSync(logFile) ? readFileSync(logFile, 'utf8').slice(-2000) : '';
      throw new Error(
        `${tool} ${args.join(' ')} failed: ${err.stderr || err.stdout || err.message}${log ? `\nserver log:\n${log}` : ''}`,
      );
    }
  };

  // -N: no fsync during initdb (a test cluster); trust: loopback only, and the folder is private.
  await exec('initdb', [
    '-D',
    dataDir,
    '-U',
    'nextup',
    '--auth=trust',
    '-E',
    'UTF8',
    '--locale=C.UTF-8',
    '-N',
  ]);

  const settings: Record<string, string | number> = {
    listen_addresses: '127.0.0.1',
    unix_socket_directories: root,
    fsync: options.fsync ? 'on' : 'off',
    // A test server needs few connections and must not compete with the hubs under test.
    max_connections: 50,
    shared_buffers: '64MB',
    ...options.settings,
  };
  let port = 0;
  let running = false;

  const start = async () => {
    const opts = [`-p ${port}`, ...Object.entries(settings).map(([k, v]) => `-c ${k}=${v}`)].join(' ');
    await exec('pg_ctl', ['-D', dataDir, '-l', logFile, '-w', '-t', '60', '-o', opts, 'start']);
    running = true;
  };

  // A free port can be taken between our probe and the server's bind: try a few.
  for (let attempt = 0; ; attempt++) {
    port = await freePort();
    try {
      await start();
      break;
    } catch (e) {
      if (attempt >= 4) {
        rmSync(root, { recursive: true, force: true });
        throw e;
      }
    }
  }

  const database = options.database ?? 'nextup';
  const urlFor = (db: string) => `postgres://nextup@127.0.0.1:${port}/${db}`;
  const createDatabase = async (name: string) => {
    if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new TypeError(`bad database name ${JSON.stringify(name)}`);
    await exec('psql', [
      '-h',
      '127.0.0.1',
      '-p',
      String(port),
      '-U',
      'nextup',
      '-d',
      'postgres',
      '-qc',
      `CREATE DATABASE ${name}`,
    ]);
    return urlFor(name);
  };
  await createDatabase(database);

  // pg_ctl daemonises the server: if this process dies without destroy() (a crashed test worker),
  // stop it on the way out rather than leave a server behind. Synchronous: 'exit' cannot wait.
  const onExit = () => {
    if (!running) return;
    const file = join(bin, 'pg_ctl');
    const args = ['-D', dataDir, '-m', 'immediate', '-w', 'stop'];
    try {
      if (account) execFileSync('runuser', ['-u', account.user, '--', file, ...args], { stdio: 'ignore' });
      else execFileSync(file, args, { stdio: 'ignore' });
      rmSync(root, { recursive: true, force: true });
    } catch {
      /* nothing more to do on the way out */
    }
  };
  process.once('exit', onExit);

  const stop = async () => {
    if (!running) return;
    await exec('pg_ctl', ['-D', dataDir, '-m', 'fast', '-w', '-t', '60', 'stop']);
    running = false;
  };

  return {
    url: urlFor(database),
    port,
    dataDir,
    urlFor,
    createDatabase,
    stop,
    start: async () => {
      if (!running) await start();
    },
    get running() {
      return running;
    },
    async destroy() {
      process.removeListener('exit', onExit);
      if (running)
        await exec('pg_ctl', ['-D', dataDir, '-m', 'immediate', '-w', 'stop']).catch(() => undefined);
      running = false;
      rmSync(root, { recursive: true, force: true });
    },
    log: () => (existsSync(logFile) ? readFileSync(logFile, 'utf8') : ''),
  };
}
