import { defineProject } from 'vitest/config';

export default defineProject({
  test: { name: 'ledbus', include: ['src/**/*.test.ts'] },
});
