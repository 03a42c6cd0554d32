import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    name: 'agent-kit',
    include: ['src/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // What an `expect.poll` here waits for (a link, the hub's view) takes seconds on a loaded machine.
    expect: { poll: { timeout: 10_000, interval: 20 } },
  },
});
