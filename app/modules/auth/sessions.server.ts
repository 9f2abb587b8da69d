import { and, eq, ne, sql } from 'drizzle-orm';
import type { Executor } from '#db/client';
import { sessions } from '#db/schema';
import { hashToken, newToken } from './tokens.server';

/** A session ends after this long without a request… */
export const SESSION_IDLE_TIMEOUT_MS = 7 * 24 * 60 * 60 * 1000;
/** …and after this long in any case. */
export const SESSION_ABSOLUTE_TIMEOUT_MS = 30 * 24 * 60 * 60 * 1000;
/** Writing last-seen on every request would turn reads into writes; a few minutes' precision is enough. */
const TOUCH_INTERVAL_MS = 5 * 60 * 1000;

export async function createSession(
  db: Executor,
  userId: string,
  client: { userAgent: string; ipAddress: string },
  now: Date,
): Promise<{ token: string; sessionId: string }> {
  const { token, hash } = newToken();
  const [row] = await db
    .insert(sessions)
    .values({
      tokenHash: hash,
      userId,
      createdAt: now,
      lastSeenAt: now,
      expiresAt: new Date(now.getTime() + SESSION_ABSOLUTE_TIMEOUT_MS),
      userAgent: client.userAgent.slice(0, 300),
      ipAddress: client.ipAddress.slice(0, 100),
    })
    .returning({ id: sessions.id });
  return { token, sessionId: row!.id };
}

/** Prepared once per database handle: every request looks its session up, and planning that cost more than running it. */
function sessionByHashQuery(db: Executor) {
  return db.select().from(sessions).where(eq(sessions.tokenHash, sql.placeholder('hash'))).limit(1).prepare('session_by_hash');
}
const sessionByHash = new WeakMap<Executor, ReturnType<typeof sessionByHashQuery>>();

/** The live session for a cookie token, or null when it is unknown, idle too long or past its absolute end. */
export async function findLiveSession(db: Executor, token: string, now: Date) {
  let query = sessionByHash.get(db);
  if (!query) {
    query = sessionByHashQuery(db);
    sessionByHash.set(db, query);
  }
  const [session] = await query.execute({ hash: hashToken(token) });
  if (!session) return null;
  return (await keepSessionAlive(db, session, now)) ? session : null;
}

/**
 * Applies the timeouts to a session row already read: deletes it and says
 * false when it is idle too long or past its absolute end, else writes
 * last-seen when that is due and says true.
 */
export async function keepSessionAlive(db: Executor, session: { id: string; lastSeenAt: Date; expiresAt: Date }, now: Date): Promise<boolean> {
  const idleUntil = session.lastSeenAt.getTime() + SESSION_IDLE_TIMEOUT_MS;
  if (session.expiresAt.getTime() <= now.getTime() || idleUntil <= now.getTime()) {
    await db.delete(sessions).where(eq(sessions.id, session.id));
    return false;
  }
  if (now.getTime() - session.lastSeenAt.getTime() > TOUCH_INTERVAL_MS) {
    await db.update(sessions).set({ lastSeenAt: now }).where(eq(sessions.id, session.id));
  }
  return true;
}

export async function deleteSessionByToken(db: Executor, token: string): Promise<void> {
  await db.delete(sessions).where(eq(sessions.tokenHash, hashToken(token)));
}

/** Signs a user out everywhere, or everywhere but the session they are using. */
export async function deleteUserSessions(db: Executor, userId: string, options: { except?: string } = {}): Promise<void> {
  await db
    .delete(sessions)
    .where(options.except ? and(eq(sessions.userId, userId), ne(sessions.id, options.except)) : eq(sessions.userId, userId));
}

export async function listUserSessions(db: Executor, userId: string) {
  return db
    .select({ id: sessions.id, createdAt: sessions.createdAt, lastSeenAt: sessions.lastSeenAt, userAgent: sessions.userAgent })
    .from(sessions)
    .where(eq(sessions.userId, userId))
    .orderBy(sessions.lastSeenAt);
}

/** Ends one of the user's own sessions; another person's session id matches nothing. */
export async function deleteOwnSession(db: Executor, userId: string, sessionId: string): Promise<boolean> {
  const removed = await db
    .delete(sessions)
    .where(and(eq(sessions.id, sessionId), eq(sessions.userId, userId)))
    .returning({ id: sessions.id });
  return removed.length > 0;
}
