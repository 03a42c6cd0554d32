import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    name: 'central',
    include: ['src/**/*.test.ts'],
    // A real PostgreSQL server starts (initdb) in each file's setup: generous on a loaded machine.
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
