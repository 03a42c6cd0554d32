import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

/**
 * The TV screen, served by the display agent from `dist/` (startUiServer). Every library is bundled:
 * the box may have no internet. `pnpm dev` proxies `/local` to an agent on port 8400.
 */
export default defineConfig({
  root: 'ui',
  plugins: [react()],
  base: '/',
  build: {
    outDir: '../dist',
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
