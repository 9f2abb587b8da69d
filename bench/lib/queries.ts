import { drizzle } from 'drizzle-orm/postgres-js';
import postgres from 'postgres';
import type { Database } from '#db/client';
import * as schema from '#db/schema';
import { loadCataloguePage } from '~/modules/catalogue/catalogue.server';
import { catalogueFilterSchema } from '~/modules/catalogue/filters';

/**
 * How many statements the catalogue sends to the database for one page of
 * a catalogue URL, on the seeded database, with a cold cache (the filter
 * choices are cached for 30 s per process; cold is the dearest case). The
 * server's own pool cannot be watched from outside, so this calls the same
 * function its loader calls, on a connection that records every statement.
 * The root loader sends none for an anonymous visitor (tests/integration
 * counts a whole request).
 */
export async function statementsPerPage(databaseUrl: string, path: string, pageSize: number, now = new Date()): Promise<{ statements: number; cards: number }> {
  const statements: string[] = [];
  const client = postgres(databaseUrl, { max: 1, onnotice: () => {}, debug: (_connection, query) => statements.push(query) });
  try {
    // Opened before counting: postgres.js reads the server's array types once per connection, not per page.
    await client`select 1`;
    statements.length = 0;
    const db = drizzle(client, { schema, casing: 'snake_case' }) as unknown as Database;
    const raw = Object.fromEntries([...new URL(path, 'http://bench').searchParams].filter(([, value]) => value.trim() !== ''));
    const filters = catalogueFilterSchema.parse(raw);
    const page = await loadCataloguePage(db, filters, { now, timeZone: 'UTC', locale: 'en' }, pageSize);
    return { statements: statements.length, cards: page.cards.length };
  } finally {
    await client.end({ timeout: 5 });
  }
}
