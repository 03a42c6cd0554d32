import { describe, expect, it } from 'vitest';
import { has, isId, own, put } from './records.ts';
import { isPlainText } from './text.ts';

describe('keyed records', () => {
  it('never answer a lookup with a member of Object.prototype', () => {
    const rec: Record<string, number> = { a: 1 };
    for (const name of Object.getOwnPropertyNames(Object.prototype)) {
      expect(own(rec, name), name).toBeUndefined();
      expect(has(rec, name), name).toBe(false);
    }
    expect(own(rec, 'a')).toBe(1);
  });

  it('write every id as an own property, __proto__ included, without touching the prototype', () => {
    const rec: Record<string, { v: number }> = {};
    put(rec, '__proto__', { v: 1 });
    put(rec, 'constructor', { v: 2 });
    expect(Object.getPrototypeOf(rec)).toBe(Object.prototype);
    expect(Object.keys(rec).sort()).toEqual(['__proto__', 'constructor']);
    expect(own(rec, '__proto__')).toEqual({ v: 1 });
    expect(JSON.parse(JSON.stringify(rec))).toEqual(rec);
  });

  it('take constructor as an id and refuse __proto__, empty, too long and foreign characters', () => {
    expect(isId('constructor')).toBe(true);
    expect(isId('c1')).toBe(true);
    expect(isId('x'.repeat(64))).toBe(true);
    for (const bad of ['__proto__', '', 'x'.repeat(65), 'a b', 'a/b', 'é', 'a\u0000'])
      expect(isId(bad), JSON.stringify(bad)).toBe(false);
  });
});

describe('plain text', () => {
  it('refuses control characters and lone surrogates, and takes every other character', () => {
    for (const ok of ['', '王工', 'Counter 3', '😀 smile', 'tab-free — dash'])
      expect(isPlainText(ok), JSON.stringify(ok)).toBe(true);
    for (const bad of ['a\u0000b', 'line\nbreak', 'tab\t', '\u007f', '\ud83d', 'x\ude00', '\ud83d\ud83d'])
      expect(isPlainText(bad), JSON.stringify(bad)).toBe(false);
  });
});
