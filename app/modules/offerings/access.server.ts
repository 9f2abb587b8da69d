import { eq, sql } from 'drizzle-orm';
import type { Executor } from '#db/client';
import { offeringTrainers, offerings } from '#db/schema';
import { requireViewer, type Viewer } from '../auth/viewer.server';
import { sharedInPageView, type RequestContext } from '../context.server';
import { notFound, policyEnvironment, requirePermission } from '../policy/guard.server';
import { can, type OfferingAccess, type Permission } from '../policy/policy';
import { isUuid } from '../ui/ids';

/** The status and trainers of an offering, in one statement: what the policy decides by. Null when there is no such offering. */
export async function offeringAccess(db: Executor, offeringId: string): Promise<(OfferingAccess & { id: string }) | null> {
  const [row] = await db
    .select({
      id: offerings.id,
      status: offerings.status,
      trainerIds: sql<string[]>`coalesce((select array_agg(${offeringTrainers.userId}::text) from ${offeringTrainers} where ${offeringTrainers.offeringId} = ${offerings.id}), '{}'::text[])`,
    })
    .from(offerings)
    .where(eq(offerings.id, offeringId))
    .limit(1);
  return row ?? null;
}

/** The permissions the policy decides by an offering's status and trainers. */
export type OfferingPermission = Extract<Permission, { offering: OfferingAccess }>['action'];

/**
 * The viewer and the offering's access facts, once the policy grants the
 * viewer `permission` on that offering. Anonymous visitors are sent to sign
 * in; signed-in people without the permission get 404, as for an id that is
 * malformed or names no offering, so what they probed stays hidden.
 */
export async function requireOfferingPermission(
  context: RequestContext,
  request: Request,
  offeringId: string | undefined,
  permission: OfferingPermission,
): Promise<{ viewer: Viewer; access: OfferingAccess & { id: string } }> {
  if (!isUuid(offeringId)) notFound();
  // The layout and the tab of a trainer page both ask: one lookup per page view.
  const access = await sharedInPageView(context, `offering-access:${offeringId}`, () => offeringAccess(context.db, offeringId));
  if (!access) {
    // Nothing to decide by: sign in first (so no one learns which ids exist), then 404.
    await requireViewer(context, request);
    notFound();
  }
  const viewer = await requirePermission(context, request, { action: permission, offering: access } as Permission);
  return { viewer, access };
}

/**
 * For the authoring pages: the viewer may at least inspect the offering
 * (else 404 or sign-in); `canEdit` says whether they may change it. With
 * mode 'edit' anyone who may only look gets 404 too.
 */
export async function requireOfferingAuthoring(
  context: RequestContext,
  request: Request,
  offeringId: string | undefined,
  mode: 'inspect' | 'edit',
): Promise<{ viewer: Viewer; access: OfferingAccess & { id: string }; canEdit: boolean }> {
  const { viewer, access } = await requireOfferingPermission(context, request, offeringId, mode === 'edit' ? 'offering.edit' : 'offering.inspect');
  return { viewer, access, canEdit: can(viewer, { action: 'offering.edit', offering: access }, policyEnvironment(context)) };
}
