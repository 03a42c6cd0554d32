import { defineProject } from 'vitest/config';

export default defineProject({
  // The demo's own logic (its teller bots) against a real hub; the hub tests cover the hub itself.
  test: { name: 'scripts', include: ['lib/**/*.test.ts'], testTimeout: 60_000, hookTimeout: 60_000 },
});
