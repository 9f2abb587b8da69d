import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type PgBoss from 'pg-boss';
import { inject } from 'vitest';
import { createDatabase, type DatabaseHandle } from '#db/client';
import { applyMigrations } from '#db/migrate';
import { loadConfig, type Config } from '~/modules/config/config.server';
import type { AppContext } from '~/modules/context.server';
import { createBoss, ensureQueues, jobQueueFrom, type JobQueue, type QueueName, type SendOptions } from '~/modules/jobs/jobs.server';
import { cloneDatabase, databaseUrlFor, dropDatabase, withAdmin } from './database';
import './provided';

export const TEST_APP_URL = 'http://localhost:3000';
export const TEST_SESSION_SECRET = 'test-session-secret-that-is-long-enough-0123456789';

export interface TestContext extends AppContext {
  handle: DatabaseHandle;
  /** The started pg-boss, or null when the test passed its own job queue. */
  boss: PgBoss | null;
  /** Stops pg-boss, closes the database and drops it (postgres) with the temporary data folder. */
  close(): Promise<void>;
}

export interface TestContextOptions {
  /** Which driver; defaults to the project's (vitest.config.ts `provide`). */
  driver?: 'postgres' | 'embedded';
  /** Extra environment for loadConfig, e.g. SMTP_URL. */
  env?: Record<string, string>;
  /** Defaults to a real pg-boss on the test database. */
  jobs?: 'pg-boss' | JobQueue;
}

/**
 * The environment every test configuration starts from. DEMO_MODE is pinned
 * because its default follows the driver, and both projects must see the same app.
 */
export function testEnv(dataDir: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return {
    NODE_ENV: 'test',
    DATA_DIR: dataDir,
    SESSION_SECRET: TEST_SESSION_SECRET,
    APP_URL: TEST_APP_URL,
    DEMO_MODE: 'false',
    ...extra,
  };
}

export function makeTempDir(prefix = 'kollega-test-'): string {
  return mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** The AppContext the server would build from a handle, config and queue. */
export function contextFrom(handle: DatabaseHandle, config: Config, jobs: JobQueue): AppContext {
  return {
    db: handle.db,
    config,
    jobs,
    pingDatabase: () => handle.ping(),
    rawQuery: (text, values) => handle.query(text, values),
  };
}

/**
 * A fresh, migrated database (a clone of the run's template on PostgreSQL,
 * a new in-memory PGlite on the embedded project), a configuration pointing
 * at it and a started pg-boss. Call close() in afterAll/afterEach.
 */
export async function createTestContext(options: TestContextOptions = {}): Promise<TestContext> {
  const driver = options.driver ?? inject('databaseKind') ?? 'postgres';
  const dataDir = makeTempDir();
  const cleanups: (() => Promise<void> | void)[] = [() => rmSync(dataDir, { recursive: true, force: true })];
  // Last in, first out; every step runs even when an earlier one fails, so the database is always dropped.
  const runCleanups = async () => {
    const steps = cleanups.splice(0).reverse();
    const errors: unknown[] = [];
    for (const step of steps) {
      try {
        await step();
      } catch (error) {
        errors.push(error);
      }
    }
    if (errors.length > 0) throw errors[0];
  };

  try {
    let handle: DatabaseHandle;
    let config: Config;
    if (driver === 'postgres') {
      const template = inject('templateDatabase');
      if (!template) throw new Error('No template database: postgres tests run in the "postgres" project (tests/support/global-setup.ts).');
      const name = await cloneDatabase(template);
      cleanups.push(() => withAdmin((sql) => dropDatabase(sql, name)));
      config = loadConfig(testEnv(dataDir, { DATABASE_URL: databaseUrlFor(name), DATABASE_POOL_SIZE: '5', ...options.env }));
      handle = createDatabase({ kind: 'postgres', url: databaseUrlFor(name), poolSize: 5 });
      cleanups.push(() => handle.close());
    } else {
      // config.database names a folder under DATA_DIR; the handle is in memory instead, which nothing above the driver can tell.
      config = loadConfig(testEnv(dataDir, options.env));
      handle = createDatabase({ kind: 'embedded', dataDir: null });
      cleanups.push(() => handle.close());
      await applyMigrations(handle);
    }

    let boss: PgBoss | null = null;
    let jobs: JobQueue;
    if (options.jobs === undefined || options.jobs === 'pg-boss') {
      const started = createBoss(handle, { poolSize: 2 });
      started.on('error', (error) => console.error('[test pg-boss]', error));
      await started.start();
      cleanups.push(() => started.stop({ graceful: false, wait: true, timeout: 5_000 }));
      await ensureQueues(started);
      boss = started;
      jobs = jobQueueFrom(started);
    } else {
      jobs = options.jobs;
    }

    return { ...contextFrom(handle, config, jobs), handle, boss, close: runCleanups };
  } catch (error) {
    await runCleanups().catch(() => {});
    throw error;
  }
}

export interface RecordedJob {
  queue: QueueName;
  data: object;
  options: SendOptions | undefined;
}

/** A JobQueue that only remembers what it was given. */
export function recordingJobQueue(): JobQueue & { sent: RecordedJob[] } {
  const sent: RecordedJob[] = [];
  return {
    sent,
    async send(queue, data, options) {
      sent.push({ queue, data, options });
      return `recorded-${sent.length}`;
    },
    async insert(queue, jobs) {
      for (const job of jobs) sent.push({ queue, data: job.data, options: job.options });
    },
  };
}

/** pg-boss's job rows for one queue, read straight from its schema. */
export async function jobsInQueue(ctx: Pick<TestContext, 'handle'>, queue: QueueName) {
  const { rows } = await ctx.handle.query(
    'select id, state, data, singleton_key from pgboss.job where name = $1 order by created_on',
    [queue],
  );
  return rows as { id: string; state: string; data: Record<string, unknown>; singleton_key: string | null }[];
}
