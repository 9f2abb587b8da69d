import { renderLayout, type SiteInfo } from '../layout';
import { fill, type EmailLocale, textsFor } from '../texts';

export type AssignmentReviewedData = {
  name: string;
  offeringTitle: string;
  activityTitle: string;
  accepted: boolean;
  /** Plain text as the trainer wrote it; may be empty when accepted. */
  feedback: string;
  url: string;
};

export function renderAssignmentReviewed(locale: EmailLocale, data: AssignmentReviewedData, site: SiteInfo) {
  const common = textsFor(locale);
  const t = common.assignmentReviewed;
  const names = { activity: data.activityTitle, title: data.offeringTitle };
  const paragraphs = data.accepted ? [fill(t.accepted, names)] : [fill(t.returned, names)];
  if (data.feedback) paragraphs.push(t.feedbackIntro, data.feedback);
  if (!data.accepted) paragraphs.push(t.returnedNext);
  return renderLayout(
    {
      subject: fill(data.accepted ? t.acceptedSubject : t.returnedSubject, names),
      greeting: fill(common.greeting, { name: data.name }),
      paragraphs,
      action: { label: t.action, url: data.url },
      signature: common.signature,
    },
    site,
    locale,
  );
}
