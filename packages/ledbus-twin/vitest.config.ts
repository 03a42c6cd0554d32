import { defineProject } from 'vitest/config';

export default defineProject({
  test: { name: 'ledbus-twin', include: ['src/**/*.test.ts'] },
});
