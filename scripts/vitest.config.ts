import { defineProject } from 'vitest/config';

export default defineProject({
  // The demo's own logic (its teller bots) against a real hub (the hub tests cover the hub itself),
  // and the workspace's own rules (deps.test.ts: production dependencies = production imports).
  test: {
    name: 'scripts',
    include: ['*.test.ts', 'lib/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // What an `expect.poll` here waits for (a device's report, a hub round trip) takes seconds on a
    // loaded machine.
    expect: { poll: { timeout: 15_000, interval: 25 } },
  },
});
