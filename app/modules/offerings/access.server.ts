import { eq } from 'drizzle-orm';
import type { Executor } from '#db/client';
import { offeringTrainers, offerings } from '#db/schema';
import type { Viewer } from '../auth/viewer.server';
import type { RequestContext } from '../context.server';
import { notFound, policyEnvironment, requirePermission } from '../policy/guard.server';
import { can, type OfferingAccess } from '../policy/policy';
import { isUuid } from '../ui/ids';

/** The status and trainers of an offering: what the policy decides by. Null when there is no such offering. */
export async function offeringAccess(db: Executor, offeringId: string): Promise<(OfferingAccess & { id: string }) | null> {
  const [row] = await db.select({ id: offerings.id, status: offerings.status }).from(offerings).where(eq(offerings.id, offeringId)).limit(1);
  if (!row) return null;
  const trainers = await db.select({ userId: offeringTrainers.userId }).from(offeringTrainers).where(eq(offeringTrainers.offeringId, offeringId));
  return { ...row, trainerIds: trainers.map((t) => t.userId) };
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
  if (!isUuid(offeringId)) notFound();
  const access = await offeringAccess(context.db, offeringId);
  if (!access) {
    await requirePermission(context, request, { action: 'offering.create' });
    notFound();
  }
  const viewer = await requirePermission(context, request, { action: mode === 'edit' ? 'offering.edit' : 'offering.inspect', offering: access });
  return { viewer, access, canEdit: can(viewer, { action: 'offering.edit', offering: access }, policyEnvironment(context)) };
}
