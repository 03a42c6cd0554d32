import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    name: 'display',
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    // Integration tests start a real hub, a socat pty and (some) a real Chromium each; one file at a
    // time keeps them reliable on a 2-core machine shared with the rest of the suite.
    fileParallelism: false,
    globalSetup: ['test/global-setup.ts'],
    testTimeout: 120_000,
    hookTimeout: 180_000,
    // What an `expect.poll` here waits for (the agent, the bus, the hub, a screen) takes seconds on a
    // loaded machine.
    expect: { poll: { timeout: 20_000, interval: 25 } },
  },
});
