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
}
