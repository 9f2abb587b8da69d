import { renderLayout, type SiteInfo } from '../layout';
import { fill, type EmailLocale, textsFor } from '../texts';

export type ResetPasswordData = { name: string; url: string };

export function renderResetPassword(locale: EmailLocale, data: ResetPasswordData, site: SiteInfo) {
  const t = textsFor(locale);
  return renderLayout(
    {
      subject: t.resetPassword.subject,
      greeting: fill(t.greeting, { name: data.name }),
      paragraphs: [t.resetPassword.intro],
      action: { label: t.resetPassword.action, url: data.url },
      footnote: t.resetPassword.footnote,
      signature: t.signature,
    },
    site,
    locale,
  );
}
