import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

/**
 * `npm test`: two projects over the same files.
 *
 * - `postgres`: every test in tests/unit and tests/integration, each
 *   integration file on its own database cloned from a migrated template
 *   (tests/support/global-setup.ts). The server comes from TEST_DATABASE_URL,
 *   else DATABASE_URL, else postgres://root@127.0.0.1:5432/test.
 * - `embedded`: the integration files named `*.both.test.ts` run a second
 *   time on in-memory PGlite. That suffix is the whole selection rule: give it
 *   only to files that hold no concurrency test (PGlite serves one statement
 *   at a time, so a race there proves nothing) and need no PostgreSQL server.
 *
 * The Remix Vite plugin stays out: tests import modules and call loaders
 * directly, so only the path aliases of vite.config.ts are repeated here.
 */
const alias = {
  '~': fileURLToPath(new URL('./app', import.meta.url)),
  '#db': fileURLToPath(new URL('./db', import.meta.url)),
  '#emails': fileURLToPath(new URL('./emails', import.meta.url)),
};

export default defineConfig({
  resolve: { alias },
  test: {
    // Child processes, not threads: PGlite's WASM heap and pg-boss's timers stay inside one file's process.
    pool: 'forks',
    // Files spend much of their time waiting on PostgreSQL, so two run even on one core; more than
    // four would crowd the server's default 100 connections (each file opens about ten).
    maxWorkers: Math.min(4, Math.max(2, availableParallelism())),
    testTimeout: 20_000,
    hookTimeout: 60_000,
    teardownTimeout: 30_000,
    projects: [
      {
        extends: true,
        test: {
          name: 'postgres',
          include: ['tests/unit/**/*.test.ts', 'tests/integration/**/*.test.ts'],
          globalSetup: ['tests/support/global-setup.ts'],
          provide: { databaseKind: 'postgres' },
        },
      },
      {
        extends: true,
        test: {
          name: 'embedded',
          include: ['tests/integration/**/*.both.test.ts'],
          provide: { databaseKind: 'embedded' },
        },
      },
    ],
  },
});
