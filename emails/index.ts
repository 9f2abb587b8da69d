import type { RenderedEmail, SiteInfo } from './layout';
import { renderAssignmentReviewed, type AssignmentReviewedData } from './templates/assignment-reviewed';
import { renderCertificateIssued, type CertificateIssuedData } from './templates/certificate-issued';
import { renderDiscussionReply, type DiscussionReplyData } from './templates/discussion-reply';
import { renderEnrolmentConfirmed, type EnrolmentConfirmedData } from './templates/enrolment-confirmed';
import { renderInvitation, type InvitationData } from './templates/invitation';
import { renderOfferingMessage, type OfferingMessageData } from './templates/offering-message';
import { renderResetPassword, type ResetPasswordData } from './templates/reset-password';
import { renderSessionCancelled, type SessionCancelledData } from './templates/session-cancelled';
import { renderSessionUpdated, type SessionUpdatedData } from './templates/session-updated';
import { renderSessionReminder, type SessionReminderData } from './templates/session-reminder';
import { renderValidationDecision, type ValidationDecisionData } from './templates/validation-decision';
import { renderVerifyEmail, type VerifyEmailData } from './templates/verify-email';
import { renderWaitlistPromoted, type WaitlistPromotedData } from './templates/waitlist-promoted';
import type { EmailLocale } from './texts';

export type { EmailLocale, RenderedEmail, SiteInfo };

/** Every message the platform sends, with the data each needs. */
export interface EmailTemplates {
  'verify-email': VerifyEmailData;
  'reset-password': ResetPasswordData;
  'validation-decision': ValidationDecisionData;
  'assignment-reviewed': AssignmentReviewedData;
  'discussion-reply': DiscussionReplyData;
  'enrolment-confirmed': EnrolmentConfirmedData;
  'certificate-issued': CertificateIssuedData;
  'waitlist-promoted': WaitlistPromotedData;
  invitation: InvitationData;
  'session-updated': SessionUpdatedData;
  'session-cancelled': SessionCancelledData;
  'session-reminder': SessionReminderData;
  'offering-message': OfferingMessageData;
}
export type EmailTemplateName = keyof EmailTemplates;

const renderers: { [K in EmailTemplateName]: (locale: EmailLocale, data: EmailTemplates[K], site: SiteInfo) => RenderedEmail } = {
  'verify-email': renderVerifyEmail,
  'reset-password': renderResetPassword,
  'validation-decision': renderValidationDecision,
  'assignment-reviewed': renderAssignmentReviewed,
  'discussion-reply': renderDiscussionReply,
  'enrolment-confirmed': renderEnrolmentConfirmed,
  'certificate-issued': renderCertificateIssued,
  'waitlist-promoted': renderWaitlistPromoted,
  invitation: renderInvitation,
  'session-updated': renderSessionUpdated,
  'session-cancelled': renderSessionCancelled,
  'session-reminder': renderSessionReminder,
  'offering-message': renderOfferingMessage,
};

export function renderEmail<K extends EmailTemplateName>(template: K, locale: EmailLocale, data: EmailTemplates[K], site: SiteInfo): RenderedEmail {
  return renderers[template](locale, data, site);
}
