import type { TestProject } from 'vitest/node';
import { createDatabase } from '#db/client';
import { applyMigrations } from '#db/migrate';
import { createBoss, ensureQueues } from '~/modules/jobs/jobs.server';
import { databaseUrlFor, dropDatabase, dropStaleDatabases, quoteIdentifier, uniqueDatabaseName, withAdmin } from './database';
import './provided';

/**
 * Once per run of the postgres project: a template database with every
 * migration, pg-boss's own schema and our queues. Each test file then clones
 * it (tests/support/context.ts), which takes a fraction of a migration's time.
 */
export default async function setup(project: TestProject) {
  const template = uniqueDatabaseName('tmpl');
  await withAdmin(async (sql) => {
    await dropStaleDatabases(sql);
    await sql.unsafe(`CREATE DATABASE ${quoteIdentifier(template)}`);
  });

  try {
    const handle = createDatabase({ kind: 'postgres', url: databaseUrlFor(template), poolSize: 2 });
    try {
      await applyMigrations(handle);
      const boss = createBoss(handle, { poolSize: 1 });
      boss.on('error', (error) => console.error('[global-setup pg-boss]', error));
      await boss.start();
      await ensureQueues(boss);
      await boss.stop({ graceful: false, wait: true });
    } finally {
      await handle.close();
    }
    await withAdmin(async (sql) => {
      // CREATE DATABASE … TEMPLATE refuses while anyone is connected to the template.
      await sql`select pg_terminate_backend(pid) from pg_stat_activity where datname = ${template} and pid <> pg_backend_pid()`;
      await sql.unsafe(`ALTER DATABASE ${quoteIdentifier(template)} WITH IS_TEMPLATE true ALLOW_CONNECTIONS false`);
    });
  } catch (error) {
    await withAdmin((sql) => dropDatabase(sql, template)).catch(() => {});
    throw error;
  }

  project.provide('templateDatabase', template);

  return async () => {
    await withAdmin(async (sql) => {
      await dropDatabase(sql, template);
      // Clones a crashed test process could not drop.
      await dropStaleDatabases(sql);
    });
  };
}
