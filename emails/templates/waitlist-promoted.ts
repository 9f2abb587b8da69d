import { renderLayout, type SiteInfo } from '../layout';
import { fill, type EmailLocale, textsFor } from '../texts';

/** Dates come formatted in the recipient's zone and language; null when the offering has none yet. */
export type WaitlistPromotedData = { name: string; offeringTitle: string; dates: string | null; courseUrl: string; offeringUrl: string };

export function renderWaitlistPromoted(locale: EmailLocale, data: WaitlistPromotedData, site: SiteInfo) {
  const common = textsFor(locale);
  const t = common.waitlistPromoted;
  const title = { title: data.offeringTitle };
  return renderLayout(
    {
      subject: fill(t.subject, title),
      greeting: fill(common.greeting, { name: data.name }),
      paragraphs: [fill(t.intro, title), ...(data.dates ? [fill(t.dates, { dates: data.dates })] : []), t.next],
      action: { label: t.action, url: data.courseUrl },
      footnote: fill(t.footnote, { offeringUrl: data.offeringUrl }),
      signature: common.signature,
    },
    site,
    locale,
  );
}
