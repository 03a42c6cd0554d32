import { describe, expect, it } from 'vitest';
import { type WedgeAction, WedgeDetector } from './scanner.ts';

/** Types `text` then Enter with `gap` ms between keys, starting at t; returns every action. */
function type(d: WedgeDetector, text: string, gap: number, t0 = 1000, enter = true): WedgeAction[] {
  const out: WedgeAction[] = [];
  let t = t0;
  for (const ch of text) {
    out.push(...d.tick(t));
    out.push(...d.key(ch, t));
    t += gap;
  }
  if (enter) {
    out.push(...d.tick(t));
    out.push(...d.key('Enter', t));
  }
  return out;
}

describe('keyboard-wedge scanner detection', () => {
  it('takes a fast burst ended by Enter as one scan', () => {
    const d = new WedgeDetector();
    expect(type(d, '48213377', 8)).toEqual([{ type: 'scan', code: '48213377' }]);
    expect(d.pending).toBe(false);
  });

  it('accepts a slow Bluetooth scanner at 40 ms a key', () => {
    expect(type(new WedgeDetector(), 'AB-1234', 40)).toEqual([{ type: 'scan', code: 'AB-1234' }]);
  });

  it('takes a person typing at 150 ms a key as typed keys and an Enter', () => {
    const out = type(new WedgeDetector(), '4821', 150);
    expect(out).toEqual([
      { type: 'typed', text: '4' },
      { type: 'typed', text: '8' },
      { type: 'typed', text: '2' },
      { type: 'typed', text: '1' },
      { type: 'enter' },
    ]);
  });

  it('hands on a lone typed key once the gap has passed', () => {
    const d = new WedgeDetector();
    expect(d.key('7', 0)).toEqual([]);
    expect(d.tick(30)).toEqual([]);
    expect(d.tick(51)).toEqual([{ type: 'typed', text: '7' }]);
  });

  it('does not take a short fast burst (two keys rolled together) for a scan', () => {
    expect(type(new WedgeDetector(), '12', 10)).toEqual([{ type: 'typed', text: '12' }, { type: 'enter' }]);
  });

  it('does not take a burst whose Enter came late for a scan', () => {
    const d = new WedgeDetector();
    const out = type(d, '12345678', 5, 0, false);
    out.push(...d.key('Enter', 35 + 200));
    expect(out).toEqual([{ type: 'typed', text: '12345678' }, { type: 'enter' }]);
  });

  it('splits a scan from keys typed just before it', () => {
    const d = new WedgeDetector();
    const out = [...d.key('9', 0), ...type(d, '55554444', 5, 500)];
    expect(out).toEqual([
      { type: 'typed', text: '9' },
      { type: 'scan', code: '55554444' },
    ]);
  });

  it('keeps a scan whole when the page received its keys late', () => {
    const d = new WedgeDetector();
    // Pressed 5 ms apart, but the page was busy and got them 100 ms later, with a timer in between.
    const out: WedgeAction[] = [];
    [...'20261123'].forEach((ch, i) => {
      out.push(...d.key(ch, i * 5, 100 + i));
      out.push(...d.tick(100 + i + 0.5));
    });
    out.push(...d.key('Enter', 40, 108));
    expect(out).toEqual([{ type: 'scan', code: '20261123' }]);
  });

  it('passes Backspace through and ignores modifier keys', () => {
    const d = new WedgeDetector();
    expect(d.key('Shift', 0)).toEqual([]);
    expect(d.key('Backspace', 10)).toEqual([{ type: 'backspace' }]);
  });

  it('names a bad threshold', () => {
    expect(() => new WedgeDetector({ maxGapMs: 0 })).toThrow(/maxGapMs/);
    expect(() => new WedgeDetector({ minLength: 1 })).toThrow(/minLength/);
  });
});
