import type { RequestContext } from '../context.server';
import { cookies } from './cookies.server';
import { createSession, deleteSessionByToken, deleteUserSessions } from './sessions.server';


/**
 * Starts a new session (a new id every sign-in, so a planted cookie is
 * worthless) and returns the Set-Cookie header. Any session the browser
 * carried before is ended.
 */
export async function startSession(context: RequestContext, request: Request, userId: string, now: Date): Promise<string> {
  const jar = cookies(context.config);
  const previous = await jar.session.parse(request.headers.get('cookie'));
  if (typeof previous === 'string' && previous) await deleteSessionByToken(context.db, previous);
  const { token } = await createSession(
    context.db,
    userId,
    { userAgent: request.headers.get('user-agent') ?? '', ipAddress: context.clientAddress },
    now,
  );
  return jar.session.serialize(token);
}

/** Ends this browser's session and returns the Set-Cookie header that clears it. */
export async function endSession(context: RequestContext, request: Request): Promise<string> {
  const jar = cookies(context.config);
  const token = await jar.session.parse(request.headers.get('cookie'));
  if (typeof token === 'string' && token) await deleteSessionByToken(context.db, token);
  return jar.session.serialize('', { maxAge: 0 });
}

/** Signs the account out on every device, this one included. */
export async function endAllSessions(context: RequestContext, userId: string): Promise<string> {
  await deleteUserSessions(context.db, userId);
  return cookies(context.config).session.serialize('', { maxAge: 0 });
}
