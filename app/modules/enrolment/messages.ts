import { formatInstant } from '../catalogue/datetime';
import type { TranslationKey } from '../i18n/keys';
import type { Refusal, UnenrolRefusal } from './eligibility';

/** A sentence to show, as a translation key with its (already formatted) parameters. */
export interface Said {
  key: TranslationKey;
  params: Record<string, string>;
}

/**
 * What each refusal says, in plain words; dates in the viewer's zone and
 * language. The panel shows the same words before anyone clicks, and the
 * enrolment action flashes them when something changed meanwhile.
 */
export function refusalMessage(refusal: Refusal, view: { timeZone: string; locale: string }): Said {
  const date = (instant: Date) => formatInstant(instant, 'dateTime', view.timeZone, view.locale);
  switch (refusal.reason) {
    case 'sign-in':
      return { key: 'enrolment.refusal.signIn', params: {} };
    case 'not-published':
      return { key: refusal.status === 'archived' ? 'enrolment.refusal.archived' : 'enrolment.refusal.notPublished', params: {} };
    case 'no-window':
      return { key: 'enrolment.refusal.noWindow', params: {} };
    case 'not-open-yet':
      return { key: 'enrolment.refusal.notOpenYet', params: { date: date(refusal.opensAt) } };
    case 'closed':
      return { key: 'enrolment.refusal.closed', params: { date: date(refusal.closedAt) } };
    case 'ended':
      return { key: 'enrolment.refusal.ended', params: { date: date(refusal.endedAt) } };
    case 'email-unverified':
      return { key: 'enrolment.refusal.emailUnverified', params: {} };
    case 'not-validated':
      return {
        key:
          refusal.staffStatus === 'pending'
            ? 'enrolment.refusal.validationPending'
            : refusal.staffStatus === 'rejected'
              ? 'enrolment.refusal.validationRejected'
              : 'enrolment.refusal.notValidated',
        params: {},
      };
    case 'invitation-needed':
      return { key: 'enrolment.refusal.invitationNeeded', params: {} };
    case 'removed':
      return { key: 'enrolment.refusal.removed', params: {} };
    case 'already-enrolled':
      return { key: 'enrolment.refusal.alreadyEnrolled', params: {} };
    case 'already-waitlisted':
      return refusal.position
        ? { key: 'enrolment.refusal.alreadyWaitlisted', params: { position: String(refusal.position) } }
        : { key: 'enrolment.refusal.alreadyWaitlistedNoPosition', params: {} };
    case 'already-completed':
      return { key: 'enrolment.refusal.alreadyCompleted', params: {} };
    case 'full':
      return { key: 'enrolment.refusal.full', params: {} };
  }
}

export function unenrolRefusalMessage(refusal: UnenrolRefusal): Said {
  return refusal.reason === 'completed'
    ? { key: 'enrolment.refusal.completedCannotUnenrol', params: {} }
    : { key: 'enrolment.refusal.notEnrolled', params: {} };
}
