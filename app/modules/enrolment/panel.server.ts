import type { Executor } from '#db/client';
import type { Viewer } from '../auth/viewer.server';
import { checkEnrolment, type EnrolmentStatus, type RefusalReason } from './eligibility';
import { loadEnrolmentFacts, type EnrollingPerson, type EnrolmentFacts } from './enrolment.server';
import { refusalMessage, type Said } from './messages';

/** The signed-in viewer as the enrolment rules see them. */
export function personFromViewer(viewer: Viewer): EnrollingPerson {
  return {
    id: viewer.id,
    email: viewer.email,
    fullName: viewer.fullName,
    locale: viewer.locale,
    timeZone: viewer.timeZone,
    emailVerified: viewer.emailVerified,
    staffStatus: viewer.staffStatus,
  };
}

/** What the enrolment panel of the offering page shows the viewer. */
export interface EnrolmentPanelView {
  slug: string;
  standing: 'anonymous' | 'none' | EnrolmentStatus;
  waitlistPosition: number | null;
  /** The button on offer: a seat, a place on the waitlist, or nothing. */
  offer: 'enrol' | 'waitlist' | null;
  /** Enrolled or waitlisted people may leave (a completed enrolment stays). */
  canLeave: boolean;
  /** Why the viewer cannot enrol now, in plain words; null when they can or already have a place. */
  refusal: (Said & { reason: RefusalReason }) | null;
  /** Where the course is, once the viewer has a seat. */
  courseHref: string | null;
  /** Back here after signing in. */
  signInHref: string;
  /** The viewer asked to leave and sees the confirmation step (?confirm=leave). */
  confirmLeave: boolean;
}

const STATUS_REFUSALS: RefusalReason[] = ['already-enrolled', 'already-waitlisted', 'already-completed'];

/** The panel from facts already read (see loadEnrolmentFacts). */
export function panelView(
  facts: EnrolmentFacts,
  viewer: Viewer | null,
  view: { now: Date; timeZone: string; locale: string; confirmLeave: boolean },
): EnrolmentPanelView {
  const { offering, enrolment } = facts;
  const check = checkEnrolment({
    offering,
    person: viewer ? { emailVerified: viewer.emailVerified, staffStatus: viewer.staffStatus, invited: facts.invitation !== null } : null,
    enrolment,
    now: view.now,
  });
  const standing: EnrolmentPanelView['standing'] = !viewer ? 'anonymous' : (enrolment?.status ?? 'none');
  const canLeave = standing === 'enrolled' || standing === 'waitlisted';
  const refusal =
    !check.ok && !STATUS_REFUSALS.includes(check.refusal.reason) ? { ...refusalMessage(check.refusal, view), reason: check.refusal.reason } : null;
  const path = `/offerings/${encodeURIComponent(offering.slug)}`;
  return {
    slug: offering.slug,
    standing,
    waitlistPosition: enrolment?.status === 'waitlisted' ? enrolment.waitlistPosition : null,
    offer: check.ok ? (check.expect === 'seat' ? 'enrol' : 'waitlist') : null,
    canLeave,
    refusal,
    courseHref: standing === 'enrolled' || standing === 'completed' ? `/learn/${encodeURIComponent(offering.slug)}` : null,
    signInHref: `/login?redirectTo=${encodeURIComponent(path)}`,
    confirmLeave: canLeave && view.confirmLeave,
  };
}

/** The viewer's standing in the offering at this address, with what they can do; null when there is no such offering. */
export async function enrolmentPanelFor(
  db: Executor,
  slug: string,
  viewer: Viewer | null,
  view: { now: Date; timeZone: string; locale: string; confirmLeave: boolean },
): Promise<EnrolmentPanelView | null> {
  const facts = await loadEnrolmentFacts(db, { slug }, viewer);
  return facts ? panelView(facts, viewer, view) : null;
}
