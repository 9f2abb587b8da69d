import { renderLayout, type SiteInfo } from '../layout';
import { fill, type EmailLocale, textsFor } from '../texts';

export type ValidationDecisionData = { name: string; approved: boolean; reason: string; url: string };

export function renderValidationDecision(locale: EmailLocale, data: ValidationDecisionData, site: SiteInfo) {
  const t = textsFor(locale).validationDecision;
  const common = textsFor(locale);
  const paragraphs = data.approved
    ? [t.approved]
    : [t.rejected, ...(data.reason ? [fill(t.reason, { reason: data.reason })] : []), t.rejectedNext];
  return renderLayout(
    {
      subject: data.approved ? t.approvedSubject : t.rejectedSubject,
      greeting: fill(common.greeting, { name: data.name }),
      paragraphs,
      action: { label: t.action, url: data.url },
      signature: common.signature,
    },
    site,
    locale,
  );
}
