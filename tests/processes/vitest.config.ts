import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const fromRoot = (dir: string) => fileURLToPath(new URL(`../../${dir}`, import.meta.url));

/**
 * Multi-process tests (`npm run test:processes`): each file starts its own
 * web and worker processes from the production build against a database of
 * its own, so files run one after another to keep the machine's two cores
 * for the processes under test.
 */
export default defineConfig({
  root: fromRoot('.'),
  resolve: {
    alias: {
      '~': fromRoot('app'),
      '#db': fromRoot('db'),
      '#emails': fromRoot('emails'),
    },
  },
  test: {
    include: ['tests/processes/**/*.process.ts'],
    environment: 'node',
    pool: 'forks',
    fileParallelism: false,
    maxWorkers: 1,
    testTimeout: 60_000,
    hookTimeout: 180_000,
    teardownTimeout: 60_000,
    retry: 0,
  },
});
