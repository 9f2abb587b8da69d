import type { Database, RawResult } from '#db/client';
import type { Config } from './config/config.server';
import type { JobQueue } from './jobs/jobs.server';

/**
 * What every domain function is given: the database, the configuration and
 * the job queue. The server builds one per process; tests build their own.
 */
export interface AppContext {
  db: Database;
  config: Config;
  jobs: JobQueue;
  /** The database handle's health check, with the driver hidden. */
  pingDatabase(): Promise<void>;
  /** Parameterised SQL for libraries that bring their own statements (the rate limiter). */
  rawQuery(text: string, values?: unknown[]): Promise<RawResult>;
}

/** Per request, on top of the process context. */
export interface RequestContext extends AppContext {
  /** CSP nonce for inline scripts Remix renders. */
  nonce: string;
  clientAddress: string;
  /**
   * Present while serving a GET or HEAD: the loaders of one page view (root,
   * layout, page — each gets its own Request object from Remix) share
   * lookups through it, e.g. the viewer and an offering's access facts.
   * Absent on form posts, whose action may change what the loaders then read.
   */
  pageView?: PageViewMemo;
}

/** Lookups shared by the loaders of one page view, by a key that names what was looked up. */
export type PageViewMemo = Map<string, Promise<unknown>>;

/** `look()` once per page view (every call when there is no page view, as on form posts). */
export function sharedInPageView<T>(context: RequestContext, key: string, look: () => Promise<T>): Promise<T> {
  const memo = context.pageView;
  if (!memo) return look();
  let found = memo.get(key) as Promise<T> | undefined;
  if (!found) {
    found = look();
    memo.set(key, found);
  }
  return found;
}
