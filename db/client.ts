import { PGlite } from '@electric-sql/pglite';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import { mkdirSync } from 'node:fs';
import postgres from 'postgres';
import * as schema from './schema/index';

export type Schema = typeof schema;
/** The one database type the code above the driver sees, whichever driver runs underneath. */
export type Database = PgDatabase<PgQueryResultHKT, Schema>;
export type Transaction = Parameters<Parameters<Database['transaction']>[0]>[0];
/** Query functions accept either, so a use case can run them inside its own transaction. */
export type Executor = Database | Transaction;

export type RawResult = { rows: Record<string, unknown>[]; rowCount: number };

export type DatabaseTarget =
  | {
      kind: 'postgres';
      url: string;
      poolSize: number;
      /**
       * Called with the text of every statement sent. Tests count statements per
       * page with it; left unset (production) postgres.js keeps its debug path off.
       */
      onQuery?: (text: string) => void;
    }
  | { kind: 'embedded'; dataDir: string | null };

export interface DatabaseHandle {
  db: Database;
  driver: 'postgres' | 'embedded';
  /**
   * Raw SQL for libraries that bring their own statements (pg-boss, the rate
   * limiter). Parameterless text may hold several statements.
   */
  query(text: string, values?: unknown[]): Promise<RawResult>;
  /** Throws when the database does not answer. */
  ping(): Promise<void>;
  close(): Promise<void>;
  /** postgres.js only: the client, for migrations on a dedicated connection. */
  url?: string;
}

export function createDatabase(target: DatabaseTarget): DatabaseHandle {
  return target.kind === 'postgres' ? createPostgres(target.url, target.poolSize, target.onQuery) : createEmbedded(target.dataDir);
}

function createPostgres(url: string, poolSize: number, onQuery?: (text: string) => void): DatabaseHandle {
  const client = postgres(url, {
    max: poolSize,
    connect_timeout: 10,
    idle_timeout: 60,
    onnotice: () => {},
    // Only when asked: a debug function makes postgres.js keep a stack trace per query.
    ...(onQuery ? { debug: (_connection: number, text: string) => onQuery(text) } : {}),
  });
  const db = drizzlePostgres(client, { schema, casing: 'snake_case' }) as unknown as Database;
  return {
    db,
    driver: 'postgres',
    url,
    async query(text, values) {
      const rows = values && values.length > 0 ? await client.unsafe(text, values as never[]) : await client.unsafe(text);
      return { rows: rows as unknown as Record<string, unknown>[], rowCount: rows.count ?? rows.length };
    },
    async ping() {
      await client`select 1`;
    },
    async close() {
      await client.end({ timeout: 5 });
    },
  };
}

/** Like pg's rowCount: rows returned for a SELECT (PGlite reports 0 affected), rows changed otherwise. */
function countOf(result: { rows: unknown[]; affectedRows?: number }): number {
  return result.rows.length > 0 ? result.rows.length : (result.affectedRows ?? 0);
}

function createEmbedded(dataDir: string | null): DatabaseHandle {
  if (dataDir) mkdirSync(dataDir, { recursive: true });
  // PGlite serves one statement at a time; it queues callers, so sharing one instance is safe.
  const client = dataDir ? new PGlite(dataDir) : new PGlite();
  const db = drizzlePglite(client, { schema, casing: 'snake_case' }) as unknown as Database;
  return {
    db,
    driver: 'embedded',
    async query(text, values) {
      if (values && values.length > 0) {
        const result = await client.query<Record<string, unknown>>(text, values);
        return { rows: result.rows, rowCount: countOf(result) };
      }
      // Parameterless text may hold several statements, which only exec runs.
      const results = await client.exec(text);
      const last = results.at(-1);
      return { rows: (last?.rows ?? []) as Record<string, unknown>[], rowCount: last ? countOf(last) : 0 };
    },
    async ping() {
      await client.query('select 1');
    },
    async close() {
      if (!client.closed) await client.close();
    },
  };
}
