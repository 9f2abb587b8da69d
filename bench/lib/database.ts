import { createHash, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import postgres from 'postgres';
import { processCpuSeconds } from './cpu';

/**
 * Throw-away PostgreSQL databases for benchmarks, on the server of
 * TEST_DATABASE_URL, else DATABASE_URL, else postgres://root@127.0.0.1:5432/test.
 * Named kollega_bench_<host hash>_<pid>_<random>, so a later run can drop the
 * leftovers of a run that was killed (its process is gone).
 */
const PREFIX = 'kollega_bench_';
const HOST = createHash('sha256').update(os.hostname()).digest('hex').slice(0, 6);
const NAME_PATTERN = /^kollega_bench_([0-9a-f]{6})_(\d+)_[0-9a-f]+$/;

export function baseDatabaseUrl(): string {
  return process.env.TEST_DATABASE_URL || process.env.DATABASE_URL || 'postgres://root@127.0.0.1:5432/test';
}

export function databaseUrlFor(name: string): string {
  const url = new URL(baseDatabaseUrl());
  url.pathname = `/${name}`;
  return url.toString();
}

function processIsAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function withAdmin<T>(work: (sql: postgres.Sql) => Promise<T>): Promise<T> {
  const sql = postgres(baseDatabaseUrl(), { max: 1, onnotice: () => {}, connect_timeout: 10 });
  try {
    return await work(sql);
  } finally {
    await sql.end({ timeout: 5 });
  }
}

/** Creates an empty database (the server migrates it when it starts) and returns its name. */
export async function createBenchDatabase(): Promise<string> {
  const name = `${PREFIX}${HOST}_${process.pid}_${randomBytes(4).toString('hex')}`;
  await withAdmin(async (sql) => {
    const rows = await sql<{ datname: string }[]>`select datname from pg_database where datname like ${PREFIX + '%'}`;
    for (const { datname } of rows) {
      const match = NAME_PATTERN.exec(datname);
      if (match && match[1] === HOST && !processIsAlive(Number(match[2]))) {
        await sql.unsafe(`drop database if exists "${datname}" with (force)`).catch(() => {});
      }
    }
    await sql.unsafe(`create database "${name}"`);
  });
  return name;
}

export async function dropBenchDatabase(name: string): Promise<void> {
  await withAdmin((sql) => sql.unsafe(`drop database if exists "${name}" with (force)`));
}

/** The server's version, for the machine line. */
export async function serverVersion(): Promise<string> {
  return withAdmin(async (sql) => {
    const [row] = await sql<{ server_version: string }[]>`show server_version`;
    return `PostgreSQL ${row?.server_version ?? '?'}`;
  });
}

/**
 * CPU seconds used so far by each backend serving database `name` (the
 * server's pool and pg-boss), by process id, when PostgreSQL runs on this
 * machine; null when it does not, or when those ids are not PostgreSQL
 * processes here (a container, another host). Backends come and go (pools
 * close idle connections), so callers compare two readings id by id.
 */
export async function backendCpuSeconds(name: string): Promise<Map<number, number> | null> {
  const host = new URL(baseDatabaseUrl()).hostname;
  if (!['127.0.0.1', 'localhost', '::1', '[::1]', ''].includes(host)) return null;
  const pids = await withAdmin(async (sql) => {
    const rows = await sql<{ pid: number }[]>`select pid from pg_stat_activity where datname = ${name} and pid <> pg_backend_pid()`;
    return rows.map((row) => row.pid);
  });
  const readings = new Map<number, number>();
  for (const pid of pids) {
    let command: string;
    try {
      command = readFileSync(`/proc/${pid}/comm`, 'utf8');
    } catch {
      continue; // gone already
    }
    if (!command.startsWith('postgres')) return null;
    const seconds = processCpuSeconds(pid);
    if (seconds !== null) readings.set(pid, seconds);
  }
  return readings;
}

/** CPU seconds the backends used between two readings: every backend of the later one, from the earlier reading or, if it is new, from its start. */
export function backendCpuBetween(before: Map<number, number> | null, after: Map<number, number> | null): number | null {
  if (!before || !after) return null;
  let total = 0;
  for (const [pid, seconds] of after) total += seconds - (before.get(pid) ?? 0);
  return total;
}
