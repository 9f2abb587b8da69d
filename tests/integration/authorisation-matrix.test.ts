import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ActionFunction, LoaderFunction } from '@remix-run/node';
import { policyEnvironment } from '~/modules/policy/guard.server';
import { can } from '~/modules/policy/policy';
import { createTestContext, recordingJobQueue, type TestContext } from '../support/context';
import { EXPECTATIONS, type Check, type MatrixCase, type Outcome, type Refusal } from '../support/matrix/expectations';
import { buildMatrixWorld, protectedData, ROLES, type MatrixWorld } from '../support/matrix/fixtures';
import { discoverRoutes, fillPattern, type DiscoveredRoute } from '../support/matrix/routes';
import { makeRequest, requestContext } from '../support/requests';

/**
 * Issue 7, "Security": every loader and action of the app, called for every
 * role, gets exactly the access the policy gives — no more, no less. The
 * route list comes from app/routes the way Remix reads it, so a new route
 * without an entry in tests/support/matrix/expectations.ts fails here.
 */

/** What a loader or action answered or threw, reduced to status and Location. */
async function outcomeOf(run: () => Promise<unknown>): Promise<Outcome> {
  let value: unknown;
  try {
    value = await run();
  } catch (thrown) {
    if (!(thrown instanceof Response) && !isDataWithInit(thrown)) throw thrown;
    value = thrown;
  }
  if (value instanceof Response) return { status: value.status, location: value.headers.get('location') };
  if (isDataWithInit(value)) {
    const headers = new Headers(value.init?.headers);
    return { status: value.init?.status ?? 200, location: headers.get('location') };
  }
  return { status: 200, location: null };
}

function isDataWithInit(value: unknown): value is { type: 'DataWithResponseInit'; init: ResponseInit | null } {
  return typeof value === 'object' && value !== null && (value as { type?: unknown }).type === 'DataWithResponseInit';
}

const isRedirect = (outcome: Outcome) => outcome.status >= 300 && outcome.status < 400;
const toSignIn = (outcome: Outcome) => isRedirect(outcome) && !!outcome.location?.startsWith('/login');

function matchesRefusal(outcome: Outcome, refusal: Refusal): boolean {
  if (refusal === 'sign-in') return toSignIn(outcome);
  if (typeof refusal === 'number') return outcome.status === refusal;
  return isRedirect(outcome) && outcome.location === refusal.redirectTo;
}

/** Access by default means "not refused by a guard": validation answers (400, 409, 422) and redirects elsewhere count. */
function isGranted(outcome: Outcome, check: Check, world: MatrixWorld): boolean {
  if (outcome.status >= 500) return false;
  if (check.granted) return check.granted(outcome, world);
  return !toSignIn(outcome) && ![401, 403, 404].includes(outcome.status);
}

const describeOutcome = (o: Outcome) => `${o.status}${o.location ? ` → ${o.location}` : ''}`;
const describeRefusal = (r: Refusal) => (typeof r === 'object' ? `redirect to ${r.redirectTo}` : String(r));

// Read before the tests are collected, so each route is a test of its own.
const routes: DiscoveredRoute[] = await discoverRoutes();
const guardedRoutes = routes.filter((route) => route.loader || route.action);

describe('authorisation matrix', () => {
  let ctx: TestContext;
  let world: MatrixWorld;
  let before: Record<string, unknown>;

  beforeAll(async () => {
    // Guards need no running job queue: what would be queued is only remembered.
    ctx = await createTestContext({ jobs: recordingJobQueue() });
    world = await buildMatrixWorld(ctx);
    before = await protectedData(ctx);
  });
  afterAll(async () => {
    await ctx?.close();
  });

  it('has an entry for every route with a loader or action, and none for routes that are gone', () => {
    const missing = guardedRoutes.filter((route) => !EXPECTATIONS[route.id]).map((route) => route.id);
    const known = new Set(guardedRoutes.map((route) => route.id));
    const stale = Object.keys(EXPECTATIONS).filter((id) => !known.has(id));
    expect(missing, `Routes without an entry in tests/support/matrix/expectations.ts (say who may call them): ${missing.join(', ')}`).toEqual([]);
    expect(stale, `Entries for routes that no longer exist (or no longer export a loader or action): ${stale.join(', ')}`).toEqual([]);

    const problems: string[] = [];
    for (const route of guardedRoutes) {
      const cases = EXPECTATIONS[route.id]!;
      if (route.loader && !cases.some((c) => c.loader)) problems.push(`${route.id}: exports a loader but no case says who may call it`);
      if (route.action && !cases.some((c) => c.action)) problems.push(`${route.id}: exports an action but no case says who may call it`);
      if (!route.loader && cases.some((c) => c.loader)) problems.push(`${route.id}: has loader expectations but exports no loader`);
      if (!route.action && cases.some((c) => c.action)) problems.push(`${route.id}: has action expectations but exports no action`);
    }
    expect(problems).toEqual([]);
  });

  it.each(guardedRoutes.map((route) => [route.id, route] as const))('%s: every role gets exactly the access the policy says', async (_id, route) => {
    const rows: { kind: 'loader' | 'action'; matrixCase: MatrixCase; check: Check; run: LoaderFunction | ActionFunction }[] = [];
    for (const matrixCase of EXPECTATIONS[route.id] ?? []) {
      if (matrixCase.loader && route.loader) rows.push({ kind: 'loader', matrixCase, check: matrixCase.loader, run: route.loader });
      if (matrixCase.action && route.action) rows.push({ kind: 'action', matrixCase, check: matrixCase.action, run: route.action });
    }
    expect(rows.length, `${route.id} has no entry in tests/support/matrix/expectations.ts`).toBeGreaterThan(0);

    const env = policyEnvironment(requestContext(ctx));
    const failures: string[] = [];
    let calls = 0;
    for (const row of rows) {
      const { check, matrixCase } = row;
      const params = matrixCase.params?.(world) ?? {};
      const url = fillPattern(route.pattern, params, route.id) + (matrixCase.search?.(world) ?? '');
      const where = `${route.id} ${row.kind} [${matrixCase.label}] ${url}`;
      if (row.kind === 'action' && !check.form) {
        failures.push(`${where}: the entry gives no form for the action`);
        continue;
      }
      // The roles of one row run at once: each call only waits on the database, and the forms change nothing.
      await Promise.all(
        ROLES.map(async (role) => {
          const allowed = check.allow.includes(role);
          if (check.permission) {
            const decided = can(world.actors[role], check.permission(world, role), env);
            if (decided !== allowed) failures.push(`${where} as ${role}: the table says ${allowed ? 'allowed' : 'refused'}, the policy (${check.guard}) says ${decided ? 'allowed' : 'refused'}`);
          }
          const cookie = (check.freshSession ? await world.freshCookie(role) : world.cookies[role]) || undefined;
          const request = row.kind === 'loader' ? makeRequest(url, { cookie }) : makeRequest(url, { cookie, form: check.form!(world) });
          calls += 1;
          let outcome: Outcome;
          try {
            outcome = await outcomeOf(async () => row.run({ request, context: requestContext(ctx), params }));
          } catch (error) {
            failures.push(`${where} as ${role}: threw ${error instanceof Error ? error.message : String(error)}`);
            return;
          }
          if (allowed) {
            if (!isGranted(outcome, check, world)) failures.push(`${where} as ${role}: expected access (${check.guard}), got ${describeOutcome(outcome)}`);
            return;
          }
          const refusal: Refusal =
            role === 'anonymous' ? (check.refusedAnonymous ?? 'sign-in') : typeof check.refusedSignedIn === 'function' ? check.refusedSignedIn(world) : (check.refusedSignedIn ?? 404);
          if (!matchesRefusal(outcome, refusal)) failures.push(`${where} as ${role}: expected refusal (${describeRefusal(refusal)}; ${check.guard}), got ${describeOutcome(outcome)}`);
        }),
      );
    }
    expect(failures, failures.join('\n')).toEqual([]);
    // Every route × role was called: a table that silently skipped rows would pass with nothing checked.
    expect(calls).toBe(rows.filter((row) => row.kind === 'loader' || row.check.form).length * ROLES.length);
  });

  // Runs last (tests in a file run in order): the forms were harmless and the swapped ids reached nothing.
  it("leaves offerings, enrolments, certificates, posts, submissions, requests and accounts as they were", async () => {
    expect(await protectedData(ctx)).toEqual(before);
  });
});
