/**
 * `pnpm nextup <area> <command> [options]`: the commands branch IT uses. Each area lives in
 * scripts/cli/<area>.ts and exports `{ name, summary, run(args) }`; this file only finds them.
 */
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { CliArea } from './lib/cli.ts';

const here = dirname(fileURLToPath(import.meta.url));
const areas: CliArea[] = [];
for (const f of readdirSync(join(here, 'cli'))
  .filter((x) => x.endsWith('.ts') && !x.endsWith('.test.ts'))
  .sort()) {
  areas.push((await import(pathToFileURL(join(here, 'cli', f)).href)).default as CliArea);
}

const [areaName, ...rest] = process.argv.slice(2).filter((a, i) => !(i === 0 && a === '--'));
const area = areas.find((a) => a.name === areaName);
if (!area) {
  const lines = [
    'usage: pnpm nextup <area> <command> [options]',
    '',
    ...areas.map((a) => `  ${a.name.padEnd(10)} ${a.summary}`),
    '',
    'pnpm nextup <area> --help for its commands',
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
  process.exit(areaName && areaName !== '--help' && areaName !== 'help' ? 2 : 0);
}
try {
  process.exitCode = await area.run(rest);
} catch (e) {
  process.stderr.write(`nextup ${area.name}: ${(e as Error).message}\n`);
  process.exitCode = 1;
}
