import { defineProject } from 'vitest/config';

export default defineProject({
  test: { name: 'electron-shell', include: ['src/**/*.test.ts'] },
});
