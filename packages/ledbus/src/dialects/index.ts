import { lineDialect } from './line.ts';
import type { Dialect } from './types.ts';
import { v1Dialect } from './v1.ts';

/**
 * Every dialect the bus master and the virtual bus know, in one place. A vendor dialect is one file
 * beside this one and one line below (hardware/README.md, "Adding a dialect"), or a
 * `registerDialect()` call at run time.
 */
const registry = new Map<string, Dialect>([
  [v1Dialect.id, v1Dialect],
  [lineDialect.id, lineDialect],
]);

export function registerDialect(dialect: Dialect): void {
  if (!/^[a-z0-9][a-z0-9-]{0,31}$/.test(dialect.id))
    throw new TypeError(`dialect id must be lower-case letters, digits and -, got "${dialect.id}"`);
  if (registry.has(dialect.id)) throw new TypeError(`dialect "${dialect.id}" is already registered`);
  registry.set(dialect.id, dialect);
}

/** The dialect with this id; a TypeError naming the known ones otherwise. */
export function getDialect(id: string): Dialect {
  const d = registry.get(id);
  if (!d) throw new TypeError(`unknown dialect "${id}"; known: ${[...registry.keys()].join(', ')}`);
  return d;
}

export function dialectIds(): string[] {
  return [...registry.keys()];
}

export { lineDialect, v1Dialect };
