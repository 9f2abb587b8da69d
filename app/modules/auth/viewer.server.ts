import { redirect } from '@remix-run/node';
import { eq, sql } from 'drizzle-orm';
import type { Executor } from '#db/client';
import { sessions, users } from '#db/schema';
import { sharedInPageView, type RequestContext } from '../context.server';
import type { Actor, RoleGrant } from '../policy/policy';
import { cookies } from './cookies.server';
import { keepSessionAlive } from './sessions.server';
import { hashToken } from './tokens.server';

/** The signed-in person as every page sees them. */
export interface Viewer extends Actor {
  sessionId: string;
  email: string;
  fullName: string;
  certificateName: string;
  locale: 'en' | 'nb' | 'sv' | 'fi';
  timeZone: string;
  staffStatus: 'none' | 'pending' | 'validated' | 'rejected';
}

/**
 * The person with their roles, in one round trip, prepared once per
 * database handle: every signed-in request runs it, and planning it cost
 * more than running it.
 */
function viewerQuery(db: Executor) {
  return db
    .select({
      user: users,
      roles: sql<RoleGrant[]>`coalesce((
        select json_agg(json_build_object('role', r.role, 'country', r.country)) from user_roles r where r.user_id = "users"."id"
      ), '[]'::json)`,
    })
    .from(users)
    .where(eq(users.id, sql.placeholder('userId')))
    .limit(1)
    .prepare('viewer');
}
const viewerQueries = new WeakMap<Executor, ReturnType<typeof viewerQuery>>();

export async function loadViewer(db: Executor, userId: string, sessionId: string): Promise<Viewer | null> {
  let query = viewerQueries.get(db);
  if (!query) {
    query = viewerQuery(db);
    viewerQueries.set(db, query);
  }
  const [row] = await query.execute({ userId });
  if (!row) return null;
  return toViewer(row.user, row.roles, sessionId);
}

function toViewer(user: typeof users.$inferSelect, roles: RoleGrant[], sessionId: string): Viewer {
  return {
    id: user.id,
    sessionId,
    email: user.email,
    fullName: user.fullName,
    certificateName: user.certificateName,
    country: user.country,
    locale: user.locale,
    timeZone: user.timeZone,
    staffStatus: user.staffStatus,
    emailVerified: user.emailVerifiedAt !== null,
    roles,
  };
}

/**
 * The session for a cookie token with its person and their roles, in one
 * round trip (instead of the session, then the person), prepared once per
 * database handle. The person is joined loosely so a session whose person
 * is gone is still found and timed out as before.
 */
function sessionViewerQuery(db: Executor) {
  return db
    .select({
      sessionId: sessions.id,
      lastSeenAt: sessions.lastSeenAt,
      expiresAt: sessions.expiresAt,
      user: users,
      roles: sql<RoleGrant[]>`coalesce((
        select json_agg(json_build_object('role', r.role, 'country', r.country)) from user_roles r where r.user_id = "users"."id"
      ), '[]'::json)`,
    })
    .from(sessions)
    .leftJoin(users, eq(users.id, sessions.userId))
    .where(eq(sessions.tokenHash, sql.placeholder('hash')))
    .limit(1)
    .prepare('session_viewer');
}
const sessionViewerQueries = new WeakMap<Executor, ReturnType<typeof sessionViewerQuery>>();

/** The signed-in person for a session cookie token: the session must be live (see keepSessionAlive). */
async function viewerForToken(db: Executor, token: string, now: Date): Promise<Viewer | null> {
  let query = sessionViewerQueries.get(db);
  if (!query) {
    query = sessionViewerQuery(db);
    sessionViewerQueries.set(db, query);
  }
  const [row] = await query.execute({ hash: hashToken(token) });
  if (!row) return null;
  if (!(await keepSessionAlive(db, { id: row.sessionId, lastSeenAt: row.lastSeenAt, expiresAt: row.expiresAt }, now))) return null;
  return row.user ? toViewer(row.user, row.roles, row.sessionId) : null;
}

// Repeated calls with one Request share the lookup; the loaders of one page view (each given its own
// Request by Remix) share it through the page view memo.
const perRequest = new WeakMap<Request, Promise<Viewer | null>>();

export function getViewer(context: RequestContext, request: Request): Promise<Viewer | null> {
  let found = perRequest.get(request);
  if (!found) {
    const cookieHeader = request.headers.get('cookie');
    found = sharedInPageView(context, `viewer:${cookieHeader ?? ''}`, async () => {
      const token = await cookies(context.config).session.parse(cookieHeader);
      if (typeof token !== 'string' || token.length === 0) return null;
      return viewerForToken(context.db, token, new Date());
    });
    perRequest.set(request, found);
  }
  return found;
}

/** The viewer, or a redirect to sign in that comes back here afterwards. */
export async function requireViewer(context: RequestContext, request: Request): Promise<Viewer> {
  const viewer = await getViewer(context, request);
  if (!viewer) {
    const url = new URL(request.url);
    throw redirect(`/login?redirectTo=${encodeURIComponent(url.pathname + url.search)}`);
  }
  return viewer;
}
