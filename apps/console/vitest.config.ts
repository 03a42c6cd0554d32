import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    name: 'console',
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    // Browser tests start a real hub and a real Chromium each; one file at a time keeps them reliable
    // on a 2-core machine shared with the rest of the suite.
    fileParallelism: false,
    globalSetup: ['test/global-setup.ts'],
    testTimeout: 120_000,
    hookTimeout: 180_000,
    // What an `expect.poll` here waits for (a device's report, a hub round trip) takes seconds on a
    // loaded machine.
    expect: { poll: { timeout: 15_000, interval: 25 } },
  },
});
