import type PgBoss from 'pg-boss';
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

/**
 * Opens the database, migrates it, seeds demo data on first start (demo mode
 * only), starts pg-boss and, when asked, the workers.
 */
export async function startRuntime(config: Config, options: { worker: boolean }): Promise<Runtime> {
  const handle = createDatabase(config.database);
  try {
    await handle.ping();
  } catch (error) {
    await handle.close().catch(() => {});
    const variable = config.database.kind === 'postgres' ? 'DATABASE_URL' : 'DATA_DIR';
    throw new ConfigError(variable, `points at a database that cannot be opened (${describeConnectionError(error)})`);
  }
  await applyMigrations(handle);
  if (config.demoMode) await seedDemoData(handle.db, { onlyIfEmpty: true, hashPassword, offeringSearchText });
  // The Open Badges signing key is made on first start; a secret that cannot read it stops the start here (ConfigError).
  // Imported here, not at the top: a process that stops on a configuration error never pays for loading JOSE.
  const { activeSigningKey } = await import('~/modules/badges/signing-keys.server');
  await activeSigningKey({ db: handle.db, config }, new Date());

  const boss = createBoss(handle);
  boss.on('error', (error) => console.error('[jobs]', error));
  await boss.start();
  await ensureQueues(boss);

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
      // Graceful: active jobs finish (or are released when the wait runs out).
      await boss.stop({ graceful: true, wait: true, timeout: 20_000 });
      await handle.close();
    },
  };
}
