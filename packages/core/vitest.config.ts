import { defineProject } from 'vitest/config';

export default defineProject({
  // Property tests run hundreds of random days; on a shared 2-core machine they need more than 5 s.
  test: { name: 'core', include: ['src/**/*.test.ts'], testTimeout: 120_000 },
});
