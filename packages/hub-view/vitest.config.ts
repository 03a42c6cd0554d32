import { defineProject } from 'vitest/config';

export default defineProject({
  test: { name: 'hub-view', include: ['src/**/*.test.ts'] },
});
