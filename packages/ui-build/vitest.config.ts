import { defineProject } from 'vitest/config';

export default defineProject({
  test: { name: 'ui-build', include: ['src/**/*.test.ts'] },
});
