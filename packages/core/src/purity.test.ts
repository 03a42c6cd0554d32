import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * The domain is pure: time and ids come in on the command. Its tsconfig has no @types/node and no DOM,
 * so it cannot reach a file or a timer; this test catches what the ES library alone still allows.
 */
describe('packages/core is pure', () => {
  const dir = import.meta.dirname;
  const sources = readdirSync(dir).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'));

  it.each(sources)('%s reads no clock and makes no random ids', (file) => {
    const text = readFileSync(join(dir, file), 'utf8');
    expect(text).not.toMatch(/Date\.now\(|new Date\(|performance\.now|Math\.random|crypto\./);
    expect(text).not.toMatch(/from 'node:|from "node:|process\./);
  });
});
