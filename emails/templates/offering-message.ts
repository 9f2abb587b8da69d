import { renderLayout, type SiteInfo } from '../layout';
import { fill, type EmailLocale, textsFor } from '../texts';

/** A trainer's message to the participants of an offering, or about one of its sessions. Subject and body are the trainer's plain text. */
export type OfferingMessageData = {
  name: string;
  senderName: string;
  offeringTitle: string;
  subject: string;
  body: string;
  /** The session the message is about, its time formatted in the recipient's zone; null for the whole offering. */
  session: { title: string; time: string } | null;
  courseUrl: string;
};

/** Paragraphs where the trainer left a blank line; single line breaks stay inside a paragraph (the layout keeps them). */
export function messageParagraphs(body: string): string[] {
  return body
    .replace(/\r\n?/g, '\n')
    .split(/\n(?:[ \t]*\n)+/)
    .map((paragraph) => paragraph.replace(/^(?:[ \t]*\n)+|\s+$/g, ''))
    .filter((paragraph) => paragraph.trim().length > 0);
}

export function renderOfferingMessage(locale: EmailLocale, data: OfferingMessageData, site: SiteInfo) {
  const common = textsFor(locale);
  const t = common.offeringMessage;
  const intro = data.session
    ? fill(t.introSession, { sender: data.senderName, title: data.offeringTitle, session: data.session.title, time: data.session.time })
    : fill(t.intro, { sender: data.senderName, title: data.offeringTitle });
  return renderLayout(
    {
      subject: fill(t.subject, { subject: data.subject, title: data.offeringTitle }),
      greeting: fill(common.greeting, { name: data.name }),
      paragraphs: [intro, ...messageParagraphs(data.body)],
      action: { label: t.action, url: data.courseUrl },
      footnote: fill(t.footnote, { title: data.offeringTitle }),
      signature: common.signature,
    },
    site,
    locale,
  );
}
