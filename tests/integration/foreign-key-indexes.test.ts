import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, recordingJobQueue, type TestContext } from '../support/context';

/**
 * Every foreign-key column has an index that starts with it (decision 0014):
 * pages and jobs join and filter on them, and PostgreSQL looks each one up
 * when a referenced row is deleted (the retention job deletes accounts,
 * trainers delete sessions, modules and activities), which without an index
 * is a scan of the whole referencing table per deleted row.
 */

/**
 * Foreign keys that need no index, each with the reason. Add one only when
 * no query filters or joins on the column and its referenced rows are never
 * deleted.
 */
const ALLOWED_WITHOUT_INDEX: Record<string, string> = {
  // Followed from the old certificate to the new one by primary key, never searched the other way;
  // certificates are never deleted (ON DELETE RESTRICT keeps it so).
  'certificates.superseded_by_id': 'never filtered on; certificates are never deleted',
};

describe('foreign-key indexes', () => {
  let ctx: TestContext;

  beforeAll(async () => {
    ctx = await createTestContext({ jobs: recordingJobQueue() });
  });
  afterAll(async () => {
    await ctx?.close();
  });

  /** Each foreign key of the public schema as "table.column[,column…]", with whether some index of its table begins with exactly its columns. */
  async function foreignKeys() {
    const { rows } = await ctx.handle.query(`
      select c.conrelid::regclass::text as "table",
             (select string_agg(a.attname, ',' order by k.ord)
                from unnest(c.conkey) with ordinality as k(attnum, ord)
                join pg_attribute a on a.attrelid = c.conrelid and a.attnum = k.attnum) as columns,
             exists (
               select 1 from pg_index i
               where i.indrelid = c.conrelid
                 and (i.indkey::int2[])[0:cardinality(c.conkey) - 1] = c.conkey
             ) as indexed
      from pg_constraint c
      where c.contype = 'f' and c.connamespace = 'public'::regnamespace
      order by 1, 2`);
    return rows.map((row) => ({ key: `${String(row.table)}.${String(row.columns)}`, indexed: row.indexed === true }));
  }

  it('finds the foreign keys it checks', async () => {
    const keys = await foreignKeys();
    // Sanity: the catalogue query sees the schema's foreign keys, including a well-known one with its index.
    expect(keys.length).toBeGreaterThan(40);
    expect(keys).toContainEqual({ key: 'enrolments.user_id', indexed: true });
  });

  it('has an index leading with every foreign-key column, except the commented allow-list', async () => {
    const missing = (await foreignKeys()).filter((fk) => !fk.indexed && !(fk.key in ALLOWED_WITHOUT_INDEX)).map((fk) => fk.key);
    expect(missing, 'foreign keys without an index that starts with them (add one in db/schema, or allow it above with the reason)').toEqual([]);
  });

  it('keeps the allow-list honest: each entry is a foreign key that really has no index', async () => {
    const keys = new Map((await foreignKeys()).map((fk) => [fk.key, fk.indexed]));
    for (const key of Object.keys(ALLOWED_WITHOUT_INDEX)) {
      expect(keys.get(key), `${key} is allowed without an index`).toBe(false);
    }
  });
});
