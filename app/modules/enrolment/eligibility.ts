/**
 * Who may enrol in an offering, and who may leave it, decided from plain
 * facts and `now` (DESIGN.md §4). Pure: the database reads the facts, this
 * says yes or why not, and the seat itself is taken by one conditional
 * UPDATE in enrolment.server.ts, which has the last word on capacity.
 */

export type EnrolmentStatus = 'enrolled' | 'waitlisted' | 'completed' | 'withdrawn';
export type StaffStatus = 'none' | 'pending' | 'validated' | 'rejected';

/** What the rules need to know about the offering. */
export interface EnrolmentOffering {
  status: 'draft' | 'published' | 'archived';
  eligibility: 'open' | 'validated' | 'invite';
  enrolmentOpensAt: Date | null;
  enrolmentClosesAt: Date | null;
  endsAt: Date | null;
  capacity: number | null;
  seatsTaken: number;
  waitlistEnabled: boolean;
}

/** What the rules need to know about the person; null when nobody is signed in. */
export interface EnrolmentPerson {
  emailVerified: boolean;
  staffStatus: StaffStatus;
  /** A trainer invited this person's address and has not revoked the invitation. */
  invited: boolean;
}

/** The person's row for this offering, if they ever had one. */
export interface ExistingEnrolment {
  status: EnrolmentStatus;
  /** A trainer removed them (rather than their leaving). */
  removed: boolean;
  /** Rank on the waitlist (1 = next in line), when waitlisted. */
  waitlistPosition: number | null;
}

/** Why someone may not enrol, each with what the message needs. */
export type Refusal =
  | { reason: 'sign-in' }
  | { reason: 'not-published'; status: 'draft' | 'archived' }
  | { reason: 'no-window' }
  | { reason: 'not-open-yet'; opensAt: Date }
  | { reason: 'closed'; closedAt: Date }
  | { reason: 'ended'; endedAt: Date }
  | { reason: 'email-unverified' }
  | { reason: 'not-validated'; staffStatus: StaffStatus }
  | { reason: 'invitation-needed' }
  | { reason: 'removed' }
  | { reason: 'already-enrolled' }
  | { reason: 'already-waitlisted'; position: number | null }
  | { reason: 'already-completed' }
  | { reason: 'full' };

export type RefusalReason = Refusal['reason'];

/**
 * Enrolling is possible: `expect` says whether a seat looks free ('seat') or
 * the person would join the waitlist; the transaction decides for real.
 */
export type EnrolmentCheck = { ok: true; expect: 'seat' | 'waitlist' } | { ok: false; refusal: Refusal };

export interface EnrolmentCheckInput {
  offering: EnrolmentOffering;
  person: EnrolmentPerson | null;
  enrolment: ExistingEnrolment | null;
  now: Date;
  /** Enrolling through an invitation link: stands in for the invitation an invite-only offering asks for, and nothing else. */
  viaInvitation?: boolean;
}

export function hasFreeSeat(offering: Pick<EnrolmentOffering, 'capacity' | 'seatsTaken'>): boolean {
  return offering.capacity === null || offering.seatsTaken < offering.capacity;
}

/**
 * The enrolment rules, in the order a person would want to hear them: first
 * what is true for everybody (not published, over, not open), then what the
 * person already has, then what they could change themselves (sign in,
 * confirm their address, get validated or invited), and last the places.
 */
export function checkEnrolment({ offering, person, enrolment, now, viaInvitation = false }: EnrolmentCheckInput): EnrolmentCheck {
  const refuse = (refusal: Refusal): EnrolmentCheck => ({ ok: false, refusal });

  if (offering.status !== 'published') return refuse({ reason: 'not-published', status: offering.status });

  // Someone who already has a place hears about it rather than about dates.
  if (enrolment?.status === 'enrolled') return refuse({ reason: 'already-enrolled' });
  if (enrolment?.status === 'waitlisted') return refuse({ reason: 'already-waitlisted', position: enrolment.waitlistPosition });
  if (enrolment?.status === 'completed') return refuse({ reason: 'already-completed' });

  if (offering.endsAt && now >= offering.endsAt) return refuse({ reason: 'ended', endedAt: offering.endsAt });
  const { enrolmentOpensAt: opens, enrolmentClosesAt: closes } = offering;
  if (!opens || !closes) return refuse({ reason: 'no-window' });
  // Opens inclusive, closes exclusive: the same window the catalogue shows.
  if (now < opens) return refuse({ reason: 'not-open-yet', opensAt: opens });
  if (now >= closes) return refuse({ reason: 'closed', closedAt: closes });

  if (!person) return refuse({ reason: 'sign-in' });
  // A trainer's removal stands until a trainer invites the person again.
  if (enrolment?.status === 'withdrawn' && enrolment.removed && !viaInvitation) return refuse({ reason: 'removed' });
  if (!person.emailVerified) return refuse({ reason: 'email-unverified' });
  if (offering.eligibility === 'validated' && person.staffStatus !== 'validated') {
    return refuse({ reason: 'not-validated', staffStatus: person.staffStatus });
  }
  if (offering.eligibility === 'invite' && !person.invited && !viaInvitation) return refuse({ reason: 'invitation-needed' });

  if (hasFreeSeat(offering)) return { ok: true, expect: 'seat' };
  return offering.waitlistEnabled ? { ok: true, expect: 'waitlist' } : refuse({ reason: 'full' });
}

export type UnenrolRefusal = { reason: 'not-enrolled' } | { reason: 'completed' };
export type UnenrolCheck = { ok: true; frees: 'seat' | 'waitlist-place' } | { ok: false; refusal: UnenrolRefusal };

/**
 * Leaving: enrolled people give their seat back, waitlisted people their
 * place in line. A completed enrolment stays, with its certificate.
 */
export function checkUnenrol(enrolment: Pick<ExistingEnrolment, 'status'> | null): UnenrolCheck {
  if (!enrolment || enrolment.status === 'withdrawn') return { ok: false, refusal: { reason: 'not-enrolled' } };
  if (enrolment.status === 'completed') return { ok: false, refusal: { reason: 'completed' } };
  return { ok: true, frees: enrolment.status === 'enrolled' ? 'seat' : 'waitlist-place' };
}

/** Promotions stop when the offering is over: nobody wants a seat in a course that has ended. */
export function promotionsAllowed(offering: Pick<EnrolmentOffering, 'endsAt' | 'status'>, now: Date): boolean {
  return offering.status !== 'archived' && (!offering.endsAt || now < offering.endsAt);
}
