import type { AppLoadContext } from '@remix-run/node';
import { createDatabase } from '#db/client';
import type { AppContext } from '~/modules/context.server';
import { contextFrom, type TestContext } from './context';
import { requestContext } from './requests';

export interface QueryCounter {
  /** An app context on the same database whose every statement is recorded while `record` runs. */
  context: AppContext;
  /** A load context for calling loaders directly, on the counted connection. */
  loadContext(): AppLoadContext;
  /** Runs the work and returns its result with the SQL text of each statement it sent, in order. */
  record<T>(work: () => Promise<T>): Promise<{ result: T; statements: string[] }>;
  close(): Promise<void>;
}

const DRIVER_TYPE_FETCH = /from pg_catalog\.pg_type a\s+left join pg_catalog\.pg_type b/;

/**
 * A second connection pool on a test context's database with postgres.js's
 * debug hook switched on (db/client.ts `onQuery`), so a test can count the
 * statements a page's loaders send. pg-boss and the test's own set-up keep
 * using the uncounted pool, so nothing else lands in the count.
 */
export function queryCounter(ctx: TestContext): QueryCounter {
  if (ctx.handle.driver !== 'postgres' || !ctx.handle.url) throw new Error('Counting statements needs the postgres driver.');
  let recording: string[] | null = null;
  const handle = createDatabase({
    kind: 'postgres',
    url: ctx.handle.url,
    poolSize: 3,
    // postgres.js reads the server's array types once per new connection; that is the driver's cost, not the page's.
    onQuery: (text) => {
      if (!DRIVER_TYPE_FETCH.test(text)) recording?.push(text);
    },
  });
  const context = contextFrom(handle, ctx.config, ctx.jobs);
  return {
    context,
    loadContext: () => requestContext(context),
    async record(work) {
      if (recording) throw new Error('One recording at a time: statements of two would mix.');
      recording = [];
      try {
        const result = await work();
        return { result, statements: recording };
      } finally {
        recording = null;
      }
    },
    close: () => handle.close(),
  };
}
