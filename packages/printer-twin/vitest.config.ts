import { defineProject } from 'vitest/config';

export default defineProject({
  test: { name: 'printer-twin', include: ['src/**/*.test.ts'], testTimeout: 30_000, hookTimeout: 30_000 },
});
