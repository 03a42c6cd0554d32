import { readdirSync, readFileSync, statSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

/**
 * Every workspace package under `apps/` and `packages/` declares, as `dependencies` (plus
 * `peerDependencies`), exactly the packages its production code imports: nothing a test alone
 * needs ships as a production dependency, and nothing production code loads is missing.
 *
 * The rule, per package:
 * - **Test code** is a file named `*.test.ts(x)`, `testing.ts` or `test-support.ts`, a file under a
 *   `test/` or `test-support/` folder, or a tool's config (`*.config.ts`: Vite, Vitest).
 * - **Production code** is every other file reached, through relative imports that run (not
 *   `import type`), from a production root: the package's `exports` (except `./testing`) and `bin`,
 *   and every non-test file that no file of the package imports (an app's `main.ts`, a UI's
 *   `main.tsx` named in its index.html, an Electron main). A file only tests reach (a test rig, a
 *   device written from a protocol document for conformance tests) is test code, and production
 *   code importing a test file is itself a failure (test support goes behind a `./testing` export).
 * - **An import** is the package name of a bare specifier in a static `import`/`export … from`,
 *   a dynamic `import()` or a `require()`. `import type` / `export type` statements are erased by
 *   the compiler, so they count as dev; `import { type A }` stays as `import {} from` under
 *   `verbatimModuleSyntax` and counts as a runtime import.
 * - Node's builtins and `electron` (the Electron runtime provides it to the shell's main process;
 *   the npm package only brings its types and binary, a devDependency) are not dependencies.
 */

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const SOURCE = /\.(ts|tsx|mts|cts|js|mjs|cjs)$/;
const SKIP_DIRS = new Set(['node_modules', 'dist', 'data', '.artifacts', '.tmp']);
const RUNTIME_PROVIDED = new Set(['electron']);
const builtins = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));

interface PackageJson {
  name: string;
  exports?: string | Record<string, string>;
  bin?: string | Record<string, string>;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
}

interface SourceImports {
  /** Bare package names loaded at run time. */
  runtime: Set<string>;
  /** Relative imports that run, resolved to files. */
  relative: string[];
  /** Relative imports of any kind (type-only too), resolved to files. */
  anyRelative: string[];
}

export function isTestFile(pathInPackage: string): boolean {
  const parts = pathInPackage.split('/');
  const name = parts.at(-1) ?? '';
  return (
    /\.test\.(ts|tsx)$/.test(name) ||
    /\.config\.(ts|mts|js|mjs)$/.test(name) ||
    name === 'testing.ts' ||
    name === 'test-support.ts' ||
    parts.slice(0, -1).some((d) => d === 'test' || d === 'test-support')
  );
}

/** `@scope/name/sub` → `@scope/name`, `name/sub` → `name`; null for relative, absolute or URL-ish. */
export function packageOf(specifier: string): string | null {
  if (specifier.startsWith('.') || specifier.startsWith('/') || /^[a-z]+:/.test(specifier)) return null;
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : (parts[0] ?? null);
}

function listSources(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir)) {
    if (SKIP_DIRS.has(entry)) continue;
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) out.push(...listSources(path));
    else if (SOURCE.test(entry) && !entry.endsWith('.d.ts')) out.push(path);
  }
  return out;
}

function resolveRelative(from: string, specifier: string): string | null {
  const base = resolve(dirname(from), specifier.split('?')[0]!);
  const candidates = [
    base,
    `${base}.ts`,
    `${base}.tsx`,
    base.replace(/\.js$/, '.ts'),
    join(base, 'index.ts'),
  ];
  for (const c of candidates) {
    try {
      if (statSync(c).isFile()) return c;
    } catch {
      // not this one
    }
  }
  return null;
}

/** The imports of one file, read with the TypeScript parser (no type checking). */
export function importsOf(file: string, text = readFileSync(file, 'utf8')): SourceImports {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const found: SourceImports = { runtime: new Set(), relative: [], anyRelative: [] };
  const add = (specifier: string, typeOnly: boolean) => {
    const pkg = packageOf(specifier);
    if (pkg !== null) {
      if (!typeOnly) found.runtime.add(pkg);
      return;
    }
    if (!specifier.startsWith('.')) return;
    const target = resolveRelative(file, specifier);
    if (target === null) return;
    found.anyRelative.push(target);
    if (!typeOnly) found.relative.push(target);
  };
  const visit = (node: ts.Node) => {
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
      add(node.moduleSpecifier.text, node.importClause?.isTypeOnly === true);
    } else if (
      ts.isExportDeclaration(node) &&
      node.moduleSpecifier !== undefined &&
      ts.isStringLiteral(node.moduleSpecifier)
    ) {
      add(node.moduleSpecifier.text, node.isTypeOnly);
    } else if (
      ts.isImportEqualsDeclaration(node) &&
      ts.isExternalModuleReference(node.moduleReference) &&
      ts.isStringLiteral(node.moduleReference.expression)
    ) {
      add(node.moduleReference.expression.text, node.isTypeOnly);
    } else if (ts.isCallExpression(node) && node.arguments.length >= 1) {
      const [arg] = node.arguments;
      const isImport = node.expression.kind === ts.SyntaxKind.ImportKeyword;
      const isRequire = ts.isIdentifier(node.expression) && node.expression.text === 'require';
      if ((isImport || isRequire) && arg !== undefined && ts.isStringLiteralLike(arg)) add(arg.text, false);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

function entryTargets(dir: string, pkg: PackageJson): string[] {
  const targets: string[] = [];
  const exportsField = typeof pkg.exports === 'string' ? { '.': pkg.exports } : (pkg.exports ?? {});
  for (const [key, target] of Object.entries(exportsField)) if (key !== './testing') targets.push(target);
  const bin = typeof pkg.bin === 'string' ? { bin: pkg.bin } : (pkg.bin ?? {});
  targets.push(...Object.values(bin));
  return targets.map((t) => resolve(dir, t));
}

/**
 * What a package's production code imports, the files counted as production, and the test files
 * that production code imports (which should be none: test support behind a `./testing` export).
 */
export function productionImports(dir: string): {
  imports: Set<string>;
  files: string[];
  testFilesImported: string[];
} {
  const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as PackageJson;
  const files = listSources(dir);
  const parsed = new Map(files.map((f) => [f, importsOf(f)]));
  const importedByAnyone = new Set([...parsed.values()].flatMap((p) => p.anyRelative));
  const isTest = (f: string) => isTestFile(relative(dir, f).split('\\').join('/'));
  const roots = [
    ...entryTargets(dir, pkg),
    ...files.filter((f) => !isTest(f) && !importedByAnyone.has(f)),
  ].filter((f) => parsed.has(f) && !isTest(f));
  const production = new Set<string>();
  const testFilesImported = new Set<string>();
  const queue = [...roots];
  while (queue.length > 0) {
    const f = queue.pop()!;
    if (production.has(f) || !parsed.has(f)) continue;
    production.add(f);
    for (const target of parsed.get(f)!.relative) {
      if (isTest(target)) testFilesImported.add(relative(dir, target));
      else queue.push(target);
    }
  }
  const imports = new Set<string>();
  for (const f of production)
    for (const name of parsed.get(f)!.runtime)
      if (!builtins.has(name) && !RUNTIME_PROVIDED.has(name) && name !== pkg.name) imports.add(name);
  return {
    imports,
    files: [...production].map((f) => relative(dir, f)).sort(),
    testFilesImported: [...testFilesImported].sort(),
  };
}

function workspacePackages(): string[] {
  return ['apps', 'packages'].flatMap((group) =>
    readdirSync(join(root, group))
      .map((name) => join(root, group, name))
      .filter((dir) => {
        try {
          return statSync(join(dir, 'package.json')).isFile();
        } catch {
          return false;
        }
      }),
  );
}

describe("each workspace package's production dependencies", () => {
  it('are exactly what its production code imports, and production code imports no test code', () => {
    const problems: Record<
      string,
      { missing?: string[]; notImported?: string[]; testFilesImported?: string[] }
    > = {};
    const packages = workspacePackages();
    expect(packages.length).toBeGreaterThan(10);
    for (const dir of packages) {
      const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as PackageJson;
      const declared = new Set([
        ...Object.keys(pkg.dependencies ?? {}),
        ...Object.keys(pkg.peerDependencies ?? {}),
      ]);
      const { imports, testFilesImported } = productionImports(dir);
      const missing = [...imports].filter((d) => !declared.has(d)).sort();
      const notImported = [...declared].filter((d) => !imports.has(d)).sort();
      if (missing.length > 0 || notImported.length > 0 || testFilesImported.length > 0)
        problems[relative(root, dir)] = {
          ...(missing.length > 0 ? { missing } : {}),
          ...(notImported.length > 0 ? { notImported } : {}),
          ...(testFilesImported.length > 0 ? { testFilesImported } : {}),
        };
    }
    expect(problems).toEqual({});
  });
});

/**
 * Each workspace package (the `scripts` folder too) → the workspace packages it depends on, dev and
 * peer dependencies included: a driver whose tests need its twin is a cycle as much as one at run time.
 */
function workspaceGraph(): Map<string, string[]> {
  const pkgs = [...workspacePackages(), join(root, 'scripts')].map(
    (dir) => JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as PackageJson,
  );
  const names = new Set(pkgs.map((p) => p.name));
  return new Map(
    pkgs.map((p) => [
      p.name,
      Object.keys({ ...p.dependencies, ...p.devDependencies, ...p.peerDependencies })
        .filter((d) => names.has(d))
        .sort(),
    ]),
  );
}

/** A cycle in `graph` as the path round it (`[a, b, a]`), or null when there is none (depth-first). */
export function findCycle(graph: ReadonlyMap<string, readonly string[]>): string[] | null {
  const done = new Set<string>();
  const path: string[] = [];
  const visit = (node: string): string[] | null => {
    const at = path.indexOf(node);
    if (at >= 0) return [...path.slice(at), node];
    if (done.has(node)) return null;
    path.push(node);
    for (const next of graph.get(node) ?? []) {
      const cycle = visit(next);
      if (cycle) return cycle;
    }
    path.pop();
    done.add(node);
    return null;
  };
  for (const node of [...graph.keys()].sort()) {
    const cycle = visit(node);
    if (cycle) return cycle;
  }
  return null;
}

describe('the workspace dependency graph', () => {
  it('has no cycle, dev dependencies included (a driver tested against its twin: the tests live in the twin)', () => {
    const graph = workspaceGraph();
    expect(graph.size).toBeGreaterThan(10);
    expect(findCycle(graph)).toBeNull();
  });
});

describe('the rule itself', () => {
  it('tells test code from production code by name and folder', () => {
    expect(isTestFile('src/printer.int.test.ts')).toBe(true);
    expect(isTestFile('ui/src/app.test.tsx')).toBe(true);
    expect(isTestFile('test/support.ts')).toBe(true);
    expect(isTestFile('src/test-support/postgres.ts')).toBe(true);
    expect(isTestFile('src/testing.ts')).toBe(true);
    expect(isTestFile('vite.config.ts')).toBe(true);
    expect(isTestFile('src/agent/main.ts')).toBe(false);
    expect(isTestFile('src/contest.ts')).toBe(false);
  });

  it('names the package of a bare specifier, and nothing for a relative one', () => {
    expect(packageOf('@nextup/hub/testing')).toBe('@nextup/hub');
    expect(packageOf('react-dom/client')).toBe('react-dom');
    expect(packageOf('node:fs')).toBeNull();
    expect(packageOf('./x.ts')).toBeNull();
  });

  it('counts `import type` as dev and an inline `type` specifier as a runtime import', () => {
    const file = join(root, 'scripts', 'example.ts');
    const found = importsOf(
      file,
      [
        "import type { A } from 'only-types';",
        "export type { B } from 'only-types-too';",
        "import { type C } from 'kept-by-verbatim-module-syntax';",
        "import d from 'default-import';",
        "export { e } from 'reexported';",
        "const f = await import('dynamic');",
        "const g = require('required');",
        "type H = typeof import('type-query');",
      ].join('\n'),
    );
    expect([...found.runtime].sort()).toEqual([
      'default-import',
      'dynamic',
      'kept-by-verbatim-module-syntax',
      'reexported',
      'required',
    ]);
  });

  it('finds a cycle through dev dependencies, and none in a tree that shares a leaf', () => {
    const shared = new Map([
      ['a', ['b', 'c']],
      ['b', ['d']],
      ['c', ['d']],
      ['d', []],
    ]);
    expect(findCycle(shared)).toBeNull();
    expect(findCycle(new Map([...shared, ['d', ['a']]]))).toEqual(['a', 'b', 'd', 'a']);
    expect(findCycle(new Map([['x', ['x']]]))).toEqual(['x', 'x']);
  });
});
