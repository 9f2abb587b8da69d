import { inject } from 'vitest';

/** What the global setup hands to every test file. */
declare module 'vitest' {
  export interface ProvidedContext {
    /** The shared production server, e.g. http://localhost:41234 (no trailing slash). */
    baseUrl: string;
    /** Its throw-away PostgreSQL database. */
    databaseUrl: string;
  }
}

export function baseUrl(): string {
  return inject('baseUrl');
}

export function databaseUrl(): string {
  return inject('databaseUrl');
}

/** An absolute URL on the test server. */
export function urlFor(pathname: string): string {
  return new URL(pathname, baseUrl()).toString();
}
