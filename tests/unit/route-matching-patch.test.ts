import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type * as RemixRouter from '@remix-run/router';
import { describe, expect, it } from 'vitest';

/**
 * The server's copy of @remix-run/router (its CommonJS build, which
 * @remix-run/server-runtime loads) is patched by patch-package (see
 * patches/) to keep the ranked route branches per routes array and the
 * compiled path patterns: flattening the route tree on every request cost
 * about a fifth of a small request's CPU (docs/benchmarks.md, enrolment).
 * These tests load that very build and check that the patch is in place and
 * that matching still answers exactly as before.
 */
const require = createRequire(import.meta.url);
const routerPath = require.resolve('@remix-run/router');
const router = require('@remix-run/router') as typeof RemixRouter;

type Route = { id: string; path?: string; index?: boolean; children?: Route[] };

const routes: Route[] = [
  {
    id: 'root',
    path: '',
    children: [
      { id: 'home', index: true },
      { id: 'catalogue', path: 'catalogue' },
      { id: 'offering', path: 'offerings/:slug' },
      { id: 'offering-ics', path: 'offerings/:slug/calendar.ics' },
      {
        id: 'trainer-offering',
        path: 'trainer/offerings/:id',
        children: [
          { id: 'trainer-offering-index', index: true },
          { id: 'trainer-sessions', path: 'sessions' },
          { id: 'trainer-session', path: 'sessions/:sessionId' },
        ],
      },
      { id: 'trainer-new', path: 'trainer/offerings/new' },
      { id: 'verify-code', path: 'verify/:code?' },
      { id: 'splat', path: 'files/*' },
    ],
  },
];

function match(tree: Route[], pathname: string) {
  const found = router.matchRoutes(tree as never, pathname);
  if (!found) return null;
  const last = found[found.length - 1]!;
  return { ids: found.map((m) => (m.route as unknown as Route).id), params: last.params };
}

describe('the patched route matching of @remix-run/router', () => {
  it('is the CommonJS build, and the patch is applied (postinstall ran patch-package)', () => {
    expect(routerPath).toMatch(/router\.cjs\.js$/);
    const source = readFileSync(routerPath, 'utf8');
    expect(source).toContain('rankedBranchesCache');
    expect(source).toContain('compiledPathCache');
  });

  it('matches static, dynamic, optional and splat paths, ranking static segments first', () => {
    expect(match(routes, '/')).toEqual({ ids: ['root', 'home'], params: {} });
    expect(match(routes, '/catalogue')).toEqual({ ids: ['root', 'catalogue'], params: {} });
    expect(match(routes, '/offerings/a-b')).toEqual({ ids: ['root', 'offering'], params: { slug: 'a-b' } });
    expect(match(routes, '/offerings/a-b/calendar.ics')).toEqual({ ids: ['root', 'offering-ics'], params: { slug: 'a-b' } });
    expect(match(routes, '/trainer/offerings/new')).toEqual({ ids: ['root', 'trainer-new'], params: {} });
    expect(match(routes, '/trainer/offerings/42/sessions/7')).toEqual({
      ids: ['root', 'trainer-offering', 'trainer-session'],
      params: { id: '42', sessionId: '7' },
    });
    expect(match(routes, '/verify')).toEqual({ ids: ['root', 'verify-code'], params: { code: undefined } });
    expect(match(routes, '/VERIFY/ABC')).toEqual({ ids: ['root', 'verify-code'], params: { code: 'ABC' } });
    expect(match(routes, '/files/a/b.txt')).toEqual({ ids: ['root', 'splat'], params: { '*': 'a/b.txt' } });
    expect(match(routes, '/nowhere/at/all')).toBeNull();
  });

  it('answers the same on every call: what is kept is never changed by matching', () => {
    const paths = ['/', '/offerings/x', '/trainer/offerings/1/sessions', '/trainer/offerings/new', '/verify/Q', '/files/z', '/nope'];
    const first = paths.map((p) => match(routes, p));
    for (let round = 0; round < 50; round++) expect(paths.map((p) => match(routes, p))).toEqual(first);
  });

  it('keeps what it learnt per routes array: another tree with the same paths answers by its own routes', () => {
    const other: Route[] = [{ id: 'other-root', path: '', children: [{ id: 'other-offering', path: 'offerings/:slug' }] }];
    expect(match(routes, '/offerings/x')?.ids).toEqual(['root', 'offering']);
    expect(match(other, '/offerings/x')?.ids).toEqual(['other-root', 'other-offering']);
    expect(match(other, '/catalogue')).toBeNull();
    expect(match(routes, '/catalogue')?.ids).toEqual(['root', 'catalogue']);
  });

  it('matchPath with one pattern in both letter cases and end modes keeps them apart', () => {
    expect(router.matchPath({ path: '/a/:x', caseSensitive: true }, '/A/1')).toBeNull();
    expect(router.matchPath({ path: '/a/:x', caseSensitive: false }, '/A/1')?.params).toEqual({ x: '1' });
    expect(router.matchPath({ path: '/a/:x', end: false }, '/a/1/more')?.pathnameBase).toBe('/a/1');
    expect(router.matchPath({ path: '/a/:x', end: true }, '/a/1/more')).toBeNull();
  });
});
