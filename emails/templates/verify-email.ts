import { renderLayout, type SiteInfo } from '../layout';
import { fill, type EmailLocale, textsFor } from '../texts';

export type VerifyEmailData = { name: string; url: string };

export function renderVerifyEmail(locale: EmailLocale, data: VerifyEmailData, site: SiteInfo) {
  const t = textsFor(locale);
  return renderLayout(
    {
      subject: t.verifyEmail.subject,
      greeting: fill(t.greeting, { name: data.name }),
      paragraphs: [t.verifyEmail.intro],
      action: { label: t.verifyEmail.action, url: data.url },
      footnote: t.verifyEmail.footnote,
      signature: t.signature,
    },
    site,
    locale,
  );
}
