import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    name: 'hub',
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // What an `expect.poll` here waits for (a device's report, a hub round trip) takes seconds on a
    // loaded machine.
    expect: { poll: { timeout: 15_000, interval: 25 } },
  },
});
