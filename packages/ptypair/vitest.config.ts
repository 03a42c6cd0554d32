import { defineProject } from 'vitest/config';

export default defineProject({
  test: { name: 'ptypair', include: ['src/**/*.test.ts'] },
});
