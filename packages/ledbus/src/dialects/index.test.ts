import { LED_DIALECTS } from '@nextup/protocol';
import { describe, expect, it } from 'vitest';
import { dialectIds, getDialect } from './index.ts';

describe('the dialect registry', () => {
  it('holds every dialect the admin form offers (LED_DIALECTS in @nextup/protocol), and only those built in', () => {
    expect(dialectIds()).toEqual([...LED_DIALECTS]);
    for (const id of LED_DIALECTS) expect(getDialect(id).id).toBe(id);
  });
});
