import type { AppLoadContext } from '@remix-run/node';
import { randomBytes } from 'node:crypto';
import type {} from '~/load-context';
import type { AppContext, RequestContext } from '~/modules/context.server';
import { TEST_APP_URL } from './context';

/**
 * What the HTTP server adds per request (server/http.ts), so loaders and
 * actions can be called directly. Typed as Remix's load context, which
 * app/load-context.ts makes a RequestContext.
 */
export function requestContext(ctx: AppContext, overrides: Partial<Pick<RequestContext, 'nonce' | 'clientAddress' | 'pageView'>> = {}): AppLoadContext {
  return {
    db: ctx.db,
    config: ctx.config,
    jobs: ctx.jobs,
    pingDatabase: ctx.pingDatabase,
    rawQuery: ctx.rawQuery,
    nonce: randomBytes(16).toString('base64'),
    clientAddress: '127.0.0.1',
    ...overrides,
  };
}

export interface MakeRequestOptions {
  /** Defaults to POST with a form, GET without. */
  method?: string;
  /** Sent as application/x-www-form-urlencoded, the way a browser posts a form. */
  form?: URLSearchParams | Record<string, string>;
  /** The value of the Cookie header, e.g. from signIn(). */
  cookie?: string;
  headers?: Record<string, string>;
  /** The Origin header; null leaves it out. Defaults to the app's own origin. */
  origin?: string | null;
}

/** A real Request for a path (or absolute URL) on the test app. */
export function makeRequest(url: string, options: MakeRequestOptions = {}): Request {
  const headers = new Headers(options.headers);
  const origin = options.origin === undefined ? TEST_APP_URL : options.origin;
  if (origin !== null && !headers.has('origin')) headers.set('origin', origin);
  if (options.cookie) headers.set('cookie', options.cookie);
  let body: string | undefined;
  if (options.form) {
    body = (options.form instanceof URLSearchParams ? options.form : new URLSearchParams(options.form)).toString();
    headers.set('content-type', 'application/x-www-form-urlencoded;charset=UTF-8');
  }
  return new Request(new URL(url, TEST_APP_URL), {
    method: options.method ?? (options.form ? 'POST' : 'GET'),
    headers,
    body,
  });
}
