import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

/**
 * The consoles are served by the hub from `dist/` (see apps/hub/src/http/console-routes.ts). Every
 * library is bundled: the branch LAN may have no internet. `pnpm dev` proxies the API to a hub on
 * port 8300.
 */
export default defineConfig({
  plugins: [react()],
  base: '/',
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    chunkSizeWarningLimit: 1200,
  },
  server: {
    proxy: {
      '/api': { target: 'http://127.0.0.1:8300', ws: true },
    },
  },
});
