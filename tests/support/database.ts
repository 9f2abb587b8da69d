import { createHash, randomBytes } from 'node:crypto';
import os from 'node:os';
import postgres from 'postgres';

/** The server tests run against; each test file gets its own database on it. */
export function testDatabaseUrl(): string {
  return process.env.TEST_DATABASE_URL || process.env.DATABASE_URL || 'postgres://root@127.0.0.1:5432/test';
}

export function databaseUrlFor(name: string, base = testDatabaseUrl()): string {
  const url = new URL(base);
  url.pathname = `/${name}`;
  return url.toString();
}

/**
 * Test databases are named kollega_<kind>_<host>_<pid>_<random>. The host
 * hash and process id say whose a database is, so a later run can tell a
 * leftover of a crashed run (its process is gone) from one still in use,
 * even when several checkouts share one server.
 */
const PREFIX = 'kollega_';
const HOST = createHash('sha256').update(os.hostname()).digest('hex').slice(0, 6);
const NAME_PATTERN = /^kollega_(tmpl|t|proc)_([0-9a-f]{6})_(\d+)_[0-9a-f]+$/;

/** tmpl: migrated templates, t: a test file's copy, proc: the multi-process tests' empty database. */
export function uniqueDatabaseName(kind: 'tmpl' | 't' | 'proc'): string {
  return `${PREFIX}${kind}_${HOST}_${process.pid}_${randomBytes(4).toString('hex')}`;
}

function processIsAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export function quoteIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** A short-lived connection to the server's maintenance database, for CREATE and DROP DATABASE. */
export async function withAdmin<T>(work: (sql: postgres.Sql) => Promise<T>): Promise<T> {
  const sql = postgres(testDatabaseUrl(), { max: 1, onnotice: () => {}, connect_timeout: 10 });
  try {
    return await work(sql);
  } finally {
    await sql.end({ timeout: 5 });
  }
}

export async function dropDatabase(sql: postgres.Sql, name: string): Promise<void> {
  await sql.unsafe(`ALTER DATABASE ${quoteIdentifier(name)} WITH IS_TEMPLATE false`).catch(() => {});
  await sql.unsafe(`DROP DATABASE IF EXISTS ${quoteIdentifier(name)} WITH (FORCE)`);
}

/** Drops test databases made on this host by processes that no longer run. */
export async function dropStaleDatabases(sql: postgres.Sql): Promise<string[]> {
  const rows = await sql<{ datname: string }[]>`select datname from pg_database where datname like ${PREFIX + '%'}`;
  const dropped: string[] = [];
  for (const { datname } of rows) {
    const match = NAME_PATTERN.exec(datname);
    if (!match || match[2] !== HOST || processIsAlive(Number(match[3]))) continue;
    try {
      await dropDatabase(sql, datname);
      dropped.push(datname);
    } catch {
      // Another run dropped it first, or it is busy: leave it for the next run.
    }
  }
  return dropped;
}

/** A fresh database copied from the migrated template; copying is much faster than migrating. */
export async function cloneDatabase(template: string): Promise<string> {
  const name = uniqueDatabaseName('t');
  await withAdmin((sql) => sql.unsafe(`CREATE DATABASE ${quoteIdentifier(name)} TEMPLATE ${quoteIdentifier(template)}`));
  return name;
}
