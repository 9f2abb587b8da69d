import { vitePlugin as remix } from '@remix-run/dev';
import { defineConfig } from 'vite';
import remixOptions from './remix.config.js';
import { fileURLToPath } from 'node:url';

declare module '@remix-run/node' {
  interface Future {
    v3_singleFetch: true;
  }
}

const alias = {
  '~': fileURLToPath(new URL('./app', import.meta.url)),
  '#db': fileURLToPath(new URL('./db', import.meta.url)),
  '#emails': fileURLToPath(new URL('./emails', import.meta.url)),
};

export default defineConfig({
  resolve: { alias },
  server: { hmr: { port: Number(process.env.HMR_PORT ?? 24678) } },
  plugins: [remix(remixOptions)],
  build: { target: 'es2022' },
});
