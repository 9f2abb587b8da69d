import type PgBoss from 'pg-boss';
import postgres from 'postgres';
import { createDatabase, type DatabaseHandle } from '#db/client';
import { applyMigrations } from '#db/migrate';
import { seedDemoData } from '#db/seed';
import { ConfigError, loadConfig, type Config } from '~/modules/config/config.server';
import type { AppContext } from '~/modules/context.server';
import { createBoss, ensureQueues, jobQueueFrom } from '~/modules/jobs/jobs.server';
import { registerWorkers } from '~/modules/jobs/workers.server';
import { hashPassword } from '~/modules/auth/password.server';
import { offeringSearchText } from '~/modules/offerings/search-text';

export interface Runtime {
  config: Config;
  handle: DatabaseHandle;
  boss: PgBoss;
  context: AppContext;
  stop(): Promise<void>;
}

/** Reads the configuration or ends the process with one line that names the variable. */
export function loadConfigOrExit(): Config {
  try {
    return loadConfig(process.env);
  } catch (error) {
    exitOnConfigError(error);
  }
}

export function exitOnConfigError(error: unknown): never {
  if (error instanceof ConfigError) {
    console.error(`Configuration error: ${error.message}`);
    process.exit(1);
  }
  throw error;
}

function describeConnectionError(error: unknown): string {
  const e = error as { code?: string; message?: string };
  return [e.code, e.message].filter(Boolean).join(' ');
}

/** Any number advisory locks agree on (db/migrate.ts uses …001 for migrations). */
const STARTUP_LOCK = 7_270_414_002;

/**
 * Runs start-up work that must not overlap between processes starting at
 * the same moment: pg-boss creates a queue's partition table in create_queue,
 * and two processes creating the same queues at once deadlock in PostgreSQL
 * (seen with four processes on a fresh database). A session advisory lock on
 * a connection of its own, as the migrations take theirs.
 */
async function oneProcessAtATime<T>(handle: DatabaseHandle, work: () => Promise<T>): Promise<T> {
  if (handle.driver === 'embedded') return work();
  const client = postgres(handle.url!, { max: 1, onnotice: () => {} });
  try {
    await client`select pg_advisory_lock(${STARTUP_LOCK})`;
    return await work();
  } finally {
    // Ending the session releases the lock too, also when the unlock itself cannot be sent.
    await client.end({ timeout: 5 });
  }
}

async function openDatabase(config: Config): Promise<DatabaseHandle> {
  const handle = createDatabase(config.database);
  try {
    await handle.ping();
  } catch (error) {
    await handle.close().catch(() => {});
    const variable = config.database.kind === 'postgres' ? 'DATABASE_URL' : 'DATA_DIR';
    throw new ConfigError(variable, `points at a database that cannot be opened (${describeConnectionError(error)})`);
  }
  return handle;
}

/** Migrations, demo data on first start (demo mode only) and the signing key: once per start, before any request. */
async function prepareDatabase(handle: DatabaseHandle, config: Config): Promise<void> {
  await applyMigrations(handle);
  if (config.demoMode) await seedDemoData(handle.db, { onlyIfEmpty: true, hashPassword, offeringSearchText });
  // The Open Badges signing key is made on first start; a secret that cannot read it stops the start here (ConfigError).
  // Imported here, not at the top: a process that stops on a configuration error never pays for loading JOSE.
  const { activeSigningKey } = await import('~/modules/badges/signing-keys.server');
  await activeSigningKey({ db: handle.db, config }, new Date());
}

/**
 * What a cluster primary without a job worker does before forking the web
 * processes: prepare the database once, then let go of it.
 */
export async function prepareDatabaseOnce(config: Config): Promise<void> {
  const handle = await openDatabase(config);
  try {
    await prepareDatabase(handle, config);
  } finally {
    await handle.close();
  }
}

/**
 * Opens the database, migrates it, seeds demo data on first start (demo mode
 * only), starts pg-boss and, when asked, the workers. `prepare: false` is for
 * the web processes of a cluster, whose primary has prepared the database.
 */
export async function startRuntime(config: Config, options: { worker: boolean; prepare?: boolean }): Promise<Runtime> {
  const handle = await openDatabase(config);
  if (options.prepare !== false) await prepareDatabase(handle, config);

  const boss = createBoss(handle);
  boss.on('error', (error) => console.error('[jobs]', error));
  await boss.start();
  await oneProcessAtATime(handle, () => ensureQueues(boss));

  const context: AppContext = {
    db: handle.db,
    config,
    jobs: jobQueueFrom(boss),
    pingDatabase: () => handle.ping(),
    rawQuery: (text, values) => handle.query(text, values),
  };
  if (options.worker) await registerWorkers(boss, context);

  return {
    config,
    handle,
    boss,
    context,
    async stop() {
      // Graceful: no new jobs are fetched and active ones may finish; when the wait runs out pg-boss
      // fails those still running (manager.failWip), so they are retried elsewhere with backoff, and an
      // email among them is taken over once its lease (EMAIL_LEASE_SECONDS) has run out.
      await boss.stop({ graceful: true, wait: true, timeout: 20_000 });
      await handle.close();
    },
  };
}
