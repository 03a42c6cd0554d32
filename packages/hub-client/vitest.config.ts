import { defineProject } from 'vitest/config';

export default defineProject({
  test: { name: 'hub-client', include: ['src/**/*.test.ts'] },
});
