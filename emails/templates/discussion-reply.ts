import { renderLayout, type SiteInfo } from '../layout';
import { fill, type EmailLocale, textsFor } from '../texts';

export type DiscussionReplyData = {
  name: string;
  replierName: string;
  offeringTitle: string;
  activityTitle: string;
  /** The start of the reply, as plain text. */
  excerpt: string;
  url: string;
};

export function renderDiscussionReply(locale: EmailLocale, data: DiscussionReplyData, site: SiteInfo) {
  const common = textsFor(locale);
  const t = common.discussionReply;
  const values = { replier: data.replierName, activity: data.activityTitle, title: data.offeringTitle };
  return renderLayout(
    {
      subject: fill(t.subject, values),
      greeting: fill(common.greeting, { name: data.name }),
      paragraphs: [fill(t.intro, values), data.excerpt],
      action: { label: t.action, url: data.url },
      footnote: t.footnote,
      signature: common.signature,
    },
    site,
    locale,
  );
}
