import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  realpathSync,
  rmSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ensureViteBuilt, fileSystemNow, isStale, UiBuildError } from './index.ts';

/** 2020-01-06 09:00 UTC, in seconds: sources' mtimes are set by hand, in the past (a real build writes now). */
const T0 = Date.UTC(2020, 0, 6, 9, 0) / 1000;

let app: string;
let distDir: string;
let sources: string[];

/** Writes a file with a chosen mtime (seconds). */
function touch(path: string, mtime: number, text = 'x') {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text);
  utimesSync(path, mtime, mtime);
}

/** A build that does what Vite does last: writes `dist/index.html`. */
function writeDist(mtime = T0 + 100) {
  touch(join(distDir, 'index.html'), mtime, '<div id="root"></div>');
}

beforeEach(() => {
  app = mkdtempSync(join(tmpdir(), 'nextup-ui-build-'));
  distDir = join(app, 'dist');
  sources = [join(app, 'src'), join(app, 'index.html'), join(app, 'missing-package', 'src')];
  touch(join(app, 'src', 'main.tsx'), T0);
  touch(join(app, 'src', 'pages', 'counter.tsx'), T0);
  touch(join(app, 'index.html'), T0);
});
afterEach(() => {
  rmSync(app, { recursive: true, force: true });
});

describe('isStale', () => {
  it('is stale when dist/index.html is missing', () => {
    expect(isStale({ distDir, sources })).toBe(true);
  });

  it('is fresh when dist/index.html is newer than every source, and stale once a nested source changes', () => {
    writeDist(T0 + 100);
    expect(isStale({ distDir, sources })).toBe(false);
    utimesSync(join(app, 'src', 'pages', 'counter.tsx'), T0 + 200, T0 + 200);
    expect(isStale({ distDir, sources })).toBe(true);
  });

  it('is stale when a single-file source is newer', () => {
    writeDist(T0 + 100);
    utimesSync(join(app, 'index.html'), T0 + 200, T0 + 200);
    expect(isStale({ distDir, sources })).toBe(true);
  });

  it('ignores tests, node_modules and dist folders inside the sources', () => {
    writeDist(T0 + 100);
    touch(join(app, 'src', 'pages', 'counter.test.ts'), T0 + 200);
    touch(join(app, 'src', 'node_modules', 'dep', 'index.js'), T0 + 200);
    touch(join(app, 'src', 'dist', 'index.html'), T0 + 200);
    expect(isStale({ distDir, sources })).toBe(false);
  });
});

describe('ensureViteBuilt', () => {
  it('builds when stale, then not again until a source changes; force always builds', async () => {
    let builds = 0;
    const build = () => {
      builds++;
      writeDist(T0 + 100 * (builds + 1));
    };
    const options = { appRoot: app, distDir, sources, label: 'test', build };
    expect(await ensureViteBuilt(options)).toBe(true);
    expect(await ensureViteBuilt(options)).toBe(false);
    expect(await ensureViteBuilt({ ...options, force: true })).toBe(true);
    utimesSync(join(app, 'src', 'main.tsx'), T0 + 1000, T0 + 1000);
    expect(await ensureViteBuilt(options)).toBe(true);
    expect(builds).toBe(3);
    expect(existsSync(join(app, '.build-lock'))).toBe(false);
  });

  it('lets concurrent callers wait for one build instead of building twice', async () => {
    let builds = 0;
    let running = 0;
    let overlapped = false;
    const build = async () => {
      builds++;
      running++;
      if (running > 1) overlapped = true;
      await new Promise((r) => setTimeout(r, 200));
      writeDist();
      running--;
    };
    const options = { appRoot: app, distDir, sources, label: 'test', build, pollMs: 20 };
    const results = await Promise.all([
      ensureViteBuilt(options),
      ensureViteBuilt(options),
      ensureViteBuilt(options),
    ]);
    expect(builds).toBe(1);
    expect(overlapped).toBe(false);
    expect(results.filter(Boolean)).toHaveLength(1);
    expect(existsSync(join(app, '.build-lock'))).toBe(false);
  });

  it('takes over a lock left by a build that died, but waits for a live one and then gives up', async () => {
    const lock = join(app, '.build-lock');
    mkdirSync(lock);
    const build = () => writeDist();
    const options = { appRoot: app, distDir, sources, label: 'test', build, pollMs: 20 };
    // A fresh lock (someone is building): wait, then time out with a code.
    const err = await ensureViteBuilt({ ...options, lockWaitMs: 150 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UiBuildError);
    expect((err as UiBuildError).code).toBe('LOCK_TIMEOUT');
    expect((err as UiBuildError).message).toBe(`timed out waiting for the test build lock ${lock}`);
    // The same lock, ten minutes old: its build died; take it over and build.
    const old = fileSystemNow(app) / 1000 - 600;
    utimesSync(lock, old, old);
    expect(await ensureViteBuilt({ ...options, lockWaitMs: 5_000, staleLockMs: 60_000 })).toBe(true);
    expect(existsSync(lock)).toBe(false);
  });

  it('frees the lock when the build throws', async () => {
    const build = () => {
      throw new Error('boom');
    };
    await expect(ensureViteBuilt({ appRoot: app, distDir, sources, label: 'test', build })).rejects.toThrow(
      'boom',
    );
    expect(existsSync(join(app, '.build-lock'))).toBe(false);
  });

  it("runs the app's own vite build in the app folder as a production build by default", async () => {
    // A stand-in for node_modules/vite/bin/vite.js: records how it was run and writes dist/index.html.
    touch(
      join(app, 'node_modules', 'vite', 'bin', 'vite.js'),
      T0,
      [
        "import { mkdirSync, writeFileSync } from 'node:fs';",
        "mkdirSync('dist', { recursive: true });",
        "writeFileSync('dist/ran.json', JSON.stringify({ args: process.argv.slice(2), cwd: process.cwd(), env: process.env.NODE_ENV }));",
        "writeFileSync('dist/index.html', 'built');",
      ].join('\n'),
    );
    writeFileSync(join(app, 'package.json'), '{"type":"module"}');
    expect(await ensureViteBuilt({ appRoot: app, distDir, sources, label: 'test' })).toBe(true);
    const ran = JSON.parse(readFileSync(join(distDir, 'ran.json'), 'utf8'));
    expect(ran).toEqual({ args: ['build'], cwd: realpathSync(app), env: 'production' });
    expect(await ensureViteBuilt({ appRoot: app, distDir, sources, label: 'test' })).toBe(false);
  });

  it('reports a failed vite build with its exit code', async () => {
    touch(join(app, 'node_modules', 'vite', 'bin', 'vite.js'), T0, 'process.exit(3);');
    const err = await ensureViteBuilt({ appRoot: app, distDir, sources, label: 'test' }).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(UiBuildError);
    expect((err as UiBuildError).code).toBe('BUILD_FAILED');
    expect((err as UiBuildError).message).toBe('test build failed (exit 3)');
    expect(existsSync(join(app, '.build-lock'))).toBe(false);
  });
});
