import { describe, expect, it } from 'vitest';
import { type Catalogue, fill, fillBoth, placeholderNames, say } from './catalogue.ts';

const WORDS = {
  save: { zh: '保存', en: 'Save' },
  waiting: { zh: '等候 {n} 人', en: '{n} waiting' },
  welcome: { zh: '欢迎光临{branch}', en: 'Welcome to {branch}' },
  busy: { zh: '{counter}号窗口还有 {number} 号', en: 'Counter {counter} still has ticket {number}' },
} as const satisfies Catalogue;

describe('one filler for every bilingual catalogue', () => {
  it('fills each {name} placeholder with its value, numbers as digits', () => {
    expect(fill('等候 {n} 人', { n: 3 })).toBe('等候 3 人');
    expect(fill(WORDS.busy.en, { counter: '2', number: 'A012' })).toBe('Counter 2 still has ticket A012');
  });

  it('fills the same placeholder every time it appears', () => {
    expect(fill('{a}-{a}', { a: 'x' })).toBe('x-x');
  });

  it('takes a bilingual value in the language filled', () => {
    const branch = { zh: '中山路支行', en: 'Zhongshan Road' };
    expect(fill(WORDS.welcome.en, { branch }, 'en')).toBe('Welcome to Zhongshan Road');
    expect(fill(WORDS.welcome.zh, { branch })).toBe('欢迎光临中山路支行');
    expect(fillBoth(WORDS.welcome, { branch })).toEqual({
      zh: '欢迎光临中山路支行',
      en: 'Welcome to Zhongshan Road',
    });
  });

  it('says an entry of a catalogue in the language asked', () => {
    expect(say(WORDS, 'save', 'zh')).toBe('保存');
    expect(say(WORDS, 'save', 'en')).toBe('Save');
    expect(say(WORDS, 'waiting', 'en', { n: 12 })).toBe('12 waiting');
  });

  it('leaves a placeholder with no value empty rather than showing it raw (a template known only at run time)', () => {
    const fromTheWire: string = 'outside its opening hours{opens}';
    expect(fill(fromTheWire, {})).toBe('outside its opening hours');
  });

  it('does not take a value from the object prototype', () => {
    const fromTheWire: string = 'a {constructor} b';
    expect(fill(fromTheWire, {})).toBe('a  b');
  });

  it('names the placeholders a template has, by the same grammar the filler fills', () => {
    expect(placeholderNames(WORDS.busy.en)).toEqual(['counter', 'number']);
    expect(placeholderNames('{ not one } {} {a-b} {ok}')).toEqual(['ok']);
  });

  it('leaves text that is not a placeholder alone', () => {
    expect(fill('{ not one } {} {a-b}' as string, { a: 1 })).toBe('{ not one } {} {a-b}');
  });

  it('makes a missing or misspelt value a type error for a literal template', () => {
    // The checks are the @ts-expect-error lines: `tsc -p tsconfig.test.json` fails if any of them
    // compiles. At run time the missing value is left empty.
    // @ts-expect-error — {n} has no value
    expect(say(WORDS, 'waiting', 'en')).toBe(' waiting');
    // @ts-expect-error — {n}, not {count}
    expect(say(WORDS, 'waiting', 'en', { count: 1 })).toBe(' waiting');
    // @ts-expect-error — {number} has no value
    expect(fillBoth(WORDS.busy, { counter: '2' }).en).toBe('Counter 2 still has ticket ');
    // @ts-expect-error — {n} has no value
    expect(fill(WORDS.waiting.zh)).toBe('等候  人');
    // @ts-expect-error — a plain entry takes no values
    expect(say(WORDS, 'save', 'en', { n: 1 })).toBe('Save');
    // @ts-expect-error — no such entry
    expect(() => say(WORDS, 'nope', 'en')).toThrow();
  });
});
