import { describe, expect, it } from 'vitest';
import { DAY, HOUR, MINUTE, SECOND } from './durations.ts';

describe('durations', () => {
  it('are milliseconds, each unit a whole multiple of the one below', () => {
    expect([SECOND, MINUTE, HOUR, DAY]).toEqual([1000, 60_000, 3_600_000, 86_400_000]);
  });
});
