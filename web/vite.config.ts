import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// The console is built into web/dist (never the project's dist/, where the server is
// compiled) and served by the tapis server at /. `npm run dev:web` proxies the API to a
// server on :8080.
const api = 'http://127.0.0.1:8080';

export default defineConfig({
  root: import.meta.dirname,
  plugins: [react()],
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: false, chunkSizeWarningLimit: 1000 },
  server: {
    proxy: { '/v1': api, '/.well-known': api, '/docs': api, '/openapi.json': api },
  },
});
