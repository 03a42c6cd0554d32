import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const here = dirname(fileURLToPath(import.meta.url));

/**
 * The TV screen, served by the display agent from `ui/dist` (see src/agent/paths.ts). Every library is bundled:
 * the box may have no internet. `pnpm dev` proxies `/local` to an agent on port 8400.
 */
export default defineConfig({
  root: join(here, 'ui'),
  plugins: [react()],
  base: '/',
  build: {
    outDir: join(here, 'ui', 'dist'),
    emptyOutDir: true,
    target: 'es2022',
    chunkSizeWarningLimit: 1200,
  },
  server: {
    proxy: {
      '/local': { target: 'http://127.0.0.1:8400', ws: true },
    },
  },
});
