import { and, eq } from 'drizzle-orm';
import type { Executor } from '#db/client';
import { enrolments, liveSessions, offerings, sessionJoins } from '#db/schema';
import { requireViewer, type Viewer } from '../auth/viewer.server';
import type { AppContext, RequestContext } from '../context.server';
import { isHttpsUrl } from '../forms/urls';
import { evaluateCompletion, isActiveEnrolment, lockEnrolment } from '../learning/completion.server';
import { offeringAccess } from '../offerings/access.server';
import { authorize, notFound, policyEnvironment } from '../policy/guard.server';
import { can, type OfferingAccess } from '../policy/policy';
import { isUuid } from '../ui/ids';
import { joinArea, type JoinArea } from './joining';

/**
 * The session page (/sessions/<id>) and the tracked join route
 * (/sessions/<id>/join): who may see the session, who may join it, and the
 * join itself.
 */

export type LiveSessionRow = typeof liveSessions.$inferSelect;

export interface SessionOffering {
  id: string;
  slug: string;
  title: string;
  kind: (typeof offerings.$inferSelect)['kind'];
  status: OfferingAccess['status'];
}

async function findSession(db: Executor, sessionId: string) {
  const [row] = await db
    .select({
      session: liveSessions,
      offering: { id: offerings.id, slug: offerings.slug, title: offerings.title, kind: offerings.kind, status: offerings.status },
    })
    .from(liveSessions)
    .innerJoin(offerings, eq(offerings.id, liveSessions.offeringId))
    .where(eq(liveSessions.id, sessionId))
    .limit(1);
  return row ?? null;
}

export interface SessionForViewer {
  viewer: Viewer | null;
  session: LiveSessionRow;
  offering: SessionOffering;
  access: OfferingAccess;
  enrolmentStatus: (typeof enrolments.$inferSelect)['status'] | null;
  /** The policy's `session.join`: an active participant, or someone who may edit the offering. */
  canJoin: boolean;
  /** The policy's `session.attendance.manage`: the offering's trainers and admins. */
  canManage: boolean;
  /** The policy's `offering.edit`: may join without being a participant (and is not tracked). */
  canEdit: boolean;
}

/**
 * The session with the viewer's standing, once the viewer may see the
 * offering (`offering.view`). A draft's session is 404 for signed-in people
 * who may not see the draft and asks anonymous visitors to sign in, as every
 * guard does; an id that names nothing is 404 after sign-in, so ids cannot be
 * probed.
 */
export async function sessionForViewer(context: RequestContext, request: Request, sessionId: string | undefined): Promise<SessionForViewer> {
  if (!isUuid(sessionId)) notFound();
  const found = await findSession(context.db, sessionId);
  if (!found) {
    await requireViewer(context, request);
    notFound();
  }
  const access = await offeringAccess(context.db, found.offering.id);
  if (!access) notFound();
  const viewer = await authorize(context, request, { action: 'offering.view', offering: access });
  const enrolment = viewer ? await enrolmentOf(context.db, found.offering.id, viewer.id) : null;
  const env = policyEnvironment(context);
  return {
    viewer,
    session: found.session,
    offering: found.offering,
    access,
    enrolmentStatus: enrolment?.status ?? null,
    canJoin: can(viewer, { action: 'session.join', offering: access, enrolment }, env),
    canManage: can(viewer, { action: 'session.attendance.manage', offering: access }, env),
    canEdit: can(viewer, { action: 'offering.edit', offering: access }, env),
  };
}

async function enrolmentOf(db: Executor, offeringId: string, userId: string) {
  const [row] = await db
    .select({ userId: enrolments.userId, status: enrolments.status })
    .from(enrolments)
    .where(and(eq(enrolments.offeringId, offeringId), eq(enrolments.userId, userId)))
    .limit(1);
  return row ?? null;
}

export function joinAreaFor(found: Pick<SessionForViewer, 'session' | 'viewer' | 'canJoin' | 'enrolmentStatus'>, now: Date): JoinArea {
  const { session } = found;
  // A link that is not https (kept from before the rule) is as good as none: never send anyone there.
  const joinUrl = isHttpsUrl(session.joinUrl) ? session.joinUrl : '';
  return joinArea({ ...session, joinUrl }, { canJoin: found.canJoin, signedIn: !!found.viewer, enrolmentStatus: found.enrolmentStatus }, now);
}

export type JoinOutcome =
  /** Off to the provider; `recorded` when the join was written (participants; trainers are not tracked). */
  | { ok: true; url: string; recorded: boolean }
  | { ok: false; area: Exclude<JoinArea, { kind: 'open' }> };

/**
 * A pass through the tracked join route. Inside the window, a participant's
 * join is recorded (with their enrolment locked, so it cannot be withdrawn
 * meanwhile) and completion evaluated — a rejoin late in the session may be
 * what brings someone over the threshold. Everyone else who may join (the
 * offering's trainers, admins) is sent on without a record.
 */
export async function joinSession(context: AppContext, found: SessionForViewer, now: Date): Promise<JoinOutcome> {
  const area = joinAreaFor(found, now);
  if (area.kind !== 'open') return { ok: false, area };
  const { session, viewer } = found;
  if (!viewer) return { ok: false, area: { kind: 'sign-in' } };
  const recorded = await context.db.transaction(async (tx) => {
    const enrolment = await lockEnrolment(tx, session.offeringId, viewer.id);
    if (!enrolment || !isActiveEnrolment(enrolment)) return false;
    await tx.insert(sessionJoins).values({ sessionId: session.id, userId: viewer.id, joinedAt: now });
    await evaluateCompletion(tx, enrolment, now);
    return true;
  });
  if (!recorded && !found.canEdit) {
    // The enrolment ended between the page and the click.
    return { ok: false, area: { kind: 'participants-only' } };
  }
  return { ok: true, url: session.joinUrl, recorded };
}
