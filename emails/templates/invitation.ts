import { renderLayout, type SiteInfo } from '../layout';
import { fill, type EmailLocale, textsFor } from '../texts';

/** The invitee may have no account yet, so the message greets without a name. */
export type InvitationData = { inviterName: string; offeringTitle: string; dates: string | null; url: string };

export function renderInvitation(locale: EmailLocale, data: InvitationData, site: SiteInfo) {
  const common = textsFor(locale);
  const t = common.invitation;
  return renderLayout(
    {
      subject: fill(t.subject, { title: data.offeringTitle }),
      greeting: t.greeting,
      paragraphs: [
        fill(t.intro, { inviter: data.inviterName, title: data.offeringTitle }),
        ...(data.dates ? [fill(t.dates, { dates: data.dates })] : []),
        t.howTo,
      ],
      action: { label: t.action, url: data.url },
      footnote: t.footnote,
      signature: common.signature,
    },
    site,
    locale,
  );
}
