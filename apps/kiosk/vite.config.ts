import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const here = dirname(fileURLToPath(import.meta.url));

/**
 * The touch UI, served by the kiosk agent from `ui/dist` (see src/agent/kiosk-agent.ts). Everything
 * is bundled and no web font is fetched: the branch LAN may have no internet, and the CJK font is
 * the system's Noto Sans CJK. `pnpm dev` proxies the agent's local API to an agent on port 8310.
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
      '/local': { target: 'http://127.0.0.1:8310', ws: true },
    },
  },
});
