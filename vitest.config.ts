import { defineConfig } from 'vitest/config';

// One Vitest run over every package and app; each has its own project config next to its code.
export default defineConfig({
  test: {
    projects: ['packages/*/vitest.config.ts', 'apps/*/vitest.config.ts', 'scripts/vitest.config.ts'],
  },
});
