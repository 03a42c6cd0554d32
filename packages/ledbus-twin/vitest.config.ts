import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    name: 'ledbus-twin',
    include: ['src/**/*.test.ts'],
    // What an `expect.poll` here waits for (a bus round, a retry after a timeout) takes seconds on a
    // loaded machine.
    expect: { poll: { timeout: 8000, interval: 20 } },
  },
});
