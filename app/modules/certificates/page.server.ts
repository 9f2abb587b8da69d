import { eq } from 'drizzle-orm';
import type { Executor } from '#db/client';
import { offerings } from '#db/schema';
import { issuableParticipants, listOfferingCertificates } from './queries.server';

/** What the trainer's certificates page shows: the register, whom one may still issue to, and whether the offering gives certificates. */
export async function loadCertificatesPage(db: Executor, offeringId: string) {
  const [offering] = await db
    .select({ id: offerings.id, slug: offerings.slug, certificateEnabled: offerings.certificateEnabled })
    .from(offerings)
    .where(eq(offerings.id, offeringId))
    .limit(1);
  if (!offering) return null;
  const [rows, issuable] = await Promise.all([listOfferingCertificates(db, offeringId), issuableParticipants(db, offeringId)]);
  return { offering, rows, issuable };
}

/** The offering's slug, for file names of the exports. */
export async function offeringSlug(db: Executor, offeringId: string): Promise<string | null> {
  const [row] = await db.select({ slug: offerings.slug }).from(offerings).where(eq(offerings.id, offeringId)).limit(1);
  return row?.slug ?? null;
}
