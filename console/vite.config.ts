import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// Served by the gateway at /admin; `npm run dev -w @datahub/console` proxies the API to a running hub.
export default defineConfig({
  base: '/admin/',
  plugins: [react()],
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: false, chunkSizeWarningLimit: 800 },
  server: { proxy: { '/graphql': process.env.HUB_GATEWAY_URL ?? 'http://127.0.0.1:8080' } },
});
