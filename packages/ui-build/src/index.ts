/**
 * @nextup/ui-build — builds an app's Vite UI when `dist/index.html` is missing or older than any of
 * its sources, so that `start`, `test` and the browser tests' global setups never serve a stale UI
 * and never build twice at once. Concurrent callers (several Vitest projects, a bench and the demo)
 * take turns on a lock folder; whoever comes second finds the build fresh and returns.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** What a build reads and where it writes: enough to tell whether it is stale. */
export interface StalenessOptions {
  /** The folder Vite writes; the build counts from the mtime of its `index.html` (written last). */
  distDir: string;
  /**
   * Files and folders the build reads: the app's UI sources and the workspace packages it bundles.
   * Folders are walked; `node_modules`, `dist` and `*.test.ts` are skipped (they never reach the
   * bundle). A path that does not exist counts as never changed.
   */
  sources: readonly string[];
}

export interface EnsureViteBuiltOptions extends StalenessOptions {
  /** The app's folder: where Vite runs, where `node_modules/vite` is found, where the lock folder goes. */
  appRoot: string;
  /** Names the build in errors, e.g. `'console'` gives "console build failed (exit 1)". */
  label: string;
  /** Build even when fresh. Default false. */
  force?: boolean;
  /**
   * Runs the build; throws (or rejects) when it fails. Default: `node <appRoot>/node_modules/vite/bin/vite.js build`
   * in `appRoot` with `NODE_ENV=production`, its output on this process's stdout and stderr.
   */
  build?: () => void | Promise<void>;
  /** How long to wait for another caller's build before giving up, ms. Default 600000 (10 min). */
  lockWaitMs?: number;
  /** A lock folder older than this was left by a build that died and is taken over, ms. Default 300000 (5 min). */
  staleLockMs?: number;
  /** How often a waiting caller tries the lock again, ms. Default 500. */
  pollMs?: number;
}

/** Why a build did not happen: `BUILD_FAILED` (Vite exited non-zero) or `LOCK_TIMEOUT` (another build held the lock too long). */
export class UiBuildError extends Error {
  readonly code: 'BUILD_FAILED' | 'LOCK_TIMEOUT';
  constructor(code: UiBuildError['code'], message: string) {
    super(message);
    this.name = 'UiBuildError';
    this.code = code;
  }
}

/** The newest mtime below `path` (ms), or 0 when it does not exist. */
function newest(path: string): number {
  let st: ReturnType<typeof statSync>;
  try {
    st = statSync(path);
  } catch {
    return 0;
  }
  if (!st.isDirectory()) return st.mtimeMs;
  let m = 0;
  for (const name of readdirSync(path)) {
    if (name === 'node_modules' || name === 'dist' || name.endsWith('.test.ts')) continue;
    m = Math.max(m, newest(join(path, name)));
  }
  return m;
}

const WORKSPACE_IMPORT = /from\s+['"]@nextup\/([a-z0-9-]+)/g;

/** The `@nextup/*` packages the files under `path` import (tests excluded, as `newest` skips them). */
function workspaceImports(path: string, into: Set<string>): void {
  const st = statSync(path, { throwIfNoEntry: false });
  if (!st) return;
  if (st.isDirectory()) {
    for (const name of readdirSync(path))
      if (name !== 'node_modules' && name !== 'dist' && !name.endsWith('.test.ts'))
        workspaceImports(join(path, name), into);
    return;
  }
  if (!/\.(ts|tsx)$/.test(path)) return;
  for (const m of readFileSync(path, 'utf8').matchAll(WORKSPACE_IMPORT)) into.add(m[1]!);
}

/**
 * The source folders of the workspace packages a UI bundles: those its sources import, and their
 * production dependencies in turn (`packages/<name>/src`). Read from the code, so a package the UI
 * starts to import is watched without anyone listing it.
 */
export function bundledWorkspaceSources(workspaceRoot: string, uiSources: readonly string[]): string[] {
  const pending = new Set<string>();
  for (const s of uiSources) workspaceImports(s, pending);
  const seen = new Set<string>();
  for (const name of pending) {
    if (seen.has(name)) continue;
    seen.add(name);
    const dir = join(workspaceRoot, 'packages', name);
    try {
      const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as {
        dependencies?: Record<string, string>;
      };
      for (const dep of Object.keys(pkg.dependencies ?? {}))
        if (dep.startsWith('@nextup/')) pending.add(dep.slice('@nextup/'.length));
    } catch {
      /* not a package folder (an app): nothing more to follow */
    }
  }
  return [...seen].sort().map((name) => join(workspaceRoot, 'packages', name, 'src'));
}

/** Whether `<distDir>/index.html` is missing or older than any source. */
export function isStale(options: StalenessOptions): boolean {
  let built: number;
  try {
    built = statSync(join(options.distDir, 'index.html')).mtimeMs;
  } catch {
    return true;
  }
  return options.sources.some((s) => newest(s) > built);
}

/** `vite build` with the app's own Vite, synchronously, as a production build. */
function viteBuild(appRoot: string, label: string): void {
  const r = spawnSync(process.execPath, [join(appRoot, 'node_modules', 'vite', 'bin', 'vite.js'), 'build'], {
    cwd: appRoot,
    stdio: ['ignore', 'inherit', 'inherit'],
    env: { ...process.env, NODE_ENV: 'production' },
  });
  if (r.status !== 0)
    throw new UiBuildError('BUILD_FAILED', `${label} build failed (exit ${r.status ?? r.signal})`);
}

/**
 * "Now" on the clock that stamps files in `dir`: the mtime of a file written just now. A lock's age is
 * measured on the same clock that stamped it, so a process whose own clock differs from the file
 * system's (a moved date in a test run, a network file system on another host) judges it right.
 */
export function fileSystemNow(dir: string): number {
  const probe = join(dir, `.clock-probe-${process.pid}`);
  writeFileSync(probe, '');
  try {
    return statSync(probe).mtimeMs;
  } finally {
    rmSync(probe, { force: true });
  }
}

/**
 * Builds if stale (or forced); resolves to whether it built. Throws a {@link UiBuildError} when the
 * build fails or the lock stays taken, and whatever an injected `build` throws.
 */
export async function ensureViteBuilt(options: EnsureViteBuiltOptions): Promise<boolean> {
  const { appRoot, label } = options;
  const lockWaitMs = options.lockWaitMs ?? 10 * 60_000;
  const staleLockMs = options.staleLockMs ?? 5 * 60_000;
  const pollMs = options.pollMs ?? 500;
  // mkdir is atomic: whoever creates the folder holds the lock, on any file system.
  const lock = join(appRoot, '.build-lock');
  const deadline = Date.now() + lockWaitMs;
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      // A lock left by a build that died long ago is stale.
      try {
        if (fileSystemNow(appRoot) - statSync(lock).mtimeMs > staleLockMs) rmdirSync(lock);
      } catch {
        /* gone meanwhile */
      }
      if (Date.now() > deadline)
        throw new UiBuildError('LOCK_TIMEOUT', `timed out waiting for the ${label} build lock ${lock}`);
      await new Promise((r) => setTimeout(r, pollMs));
    }
  }
  try {
    if (!options.force && !isStale(options)) return false;
    if (options.build) await options.build();
    else viteBuild(appRoot, label);
    return true;
  } finally {
    rmdirSync(lock);
  }
}

/** One app's Vite UI, as the app knows it: where it is, where Vite writes, what to call it. */
export interface ViteUiOptions {
  /** The app's folder: `vite.config.ts`, `package.json` and `node_modules/vite` are here; the build runs here. */
  appRoot: string;
  /** The UI's own folder, holding `index.html` and `src/` (vite.config.ts's `root`). */
  uiRoot: string;
  /** The folder Vite writes (vite.config.ts's `build.outDir`). */
  distDir: string;
  /** Names the build in what it prints and in errors, e.g. `'kiosk UI'`. */
  label: string;
  /** The workspace's root, where `packages/<name>` are. Default: two folders above `appRoot` (`apps/<name>`). */
  workspaceRoot?: string;
}

/** An app's UI build: whether it is stale, and building it when it is. */
export interface ViteUi {
  /** What the build reads and writes (the staleness rule's input). */
  readonly options: Readonly<EnsureViteBuiltOptions>;
  /** Whether `<distDir>/index.html` is missing or older than any source. */
  isStale(): boolean;
  /** Builds if stale (or `force`); resolves to whether it built. Throws a {@link UiBuildError} when the build fails. */
  ensureBuilt(force?: boolean): Promise<boolean>;
}

/**
 * The one description of an app's UI build. Its sources are the UI's `src/` and `index.html`, the
 * app's `vite.config.ts` and `package.json`, and the workspace packages the UI bundles (read from its
 * imports by {@link bundledWorkspaceSources}).
 */
export function viteUi(ui: ViteUiOptions): ViteUi {
  const src = join(ui.uiRoot, 'src');
  const options: EnsureViteBuiltOptions = {
    appRoot: ui.appRoot,
    distDir: ui.distDir,
    label: ui.label,
    sources: [
      src,
      join(ui.uiRoot, 'index.html'),
      join(ui.appRoot, 'vite.config.ts'),
      join(ui.appRoot, 'package.json'),
      ...bundledWorkspaceSources(ui.workspaceRoot ?? join(ui.appRoot, '..', '..'), [src]),
    ],
  };
  return {
    options,
    isStale: () => isStale(options),
    ensureBuilt: (force = false) => ensureViteBuilt({ ...options, force }),
  };
}

/** An app's `build:if-stale` command: builds when stale (`--force` in `argv`: always) and says which. */
export async function ensureBuiltCommand(ui: ViteUi, argv: readonly string[] = process.argv): Promise<void> {
  const built = await ui.ensureBuilt(argv.includes('--force'));
  process.stdout.write(`${ui.options.label}: ${built ? 'built' : 'up to date'}\n`);
}
