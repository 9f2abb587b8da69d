import { renderLayout, type SiteInfo } from '../layout';
import { fill, type EmailLocale, textsFor } from '../texts';

/**
 * A reminder 24 hours or 1 hour before a live session. The time comes
 * formatted in the recipient's zone and language; the organiser's wall time
 * beside it when their clocks differ (as the session pages show it).
 */
export type SessionReminderData = {
  name: string;
  kind: '24h' | '1h';
  offeringTitle: string;
  sessionTitle: string;
  /** "Tue, 3 Mar 2026, 17:00 CET" in the recipient's zone. */
  time: string;
  /** The organiser's time and place ("18:00", "Helsinki"), or null when both clocks read the same. */
  organiserTime: { time: string; place: string } | null;
  /** The session's page, where the join link opens shortly before the start. */
  sessionUrl: string;
  offeringUrl: string;
};

export function renderSessionReminder(locale: EmailLocale, data: SessionReminderData, site: SiteInfo) {
  const common = textsFor(locale);
  const t = common.sessionReminder;
  const names = { session: data.sessionTitle, title: data.offeringTitle };
  const when = data.organiserTime ? `${data.time} (${fill(t.organiserTime, data.organiserTime)})` : data.time;
  return renderLayout(
    {
      subject: fill(data.kind === '24h' ? t.subjectDay : t.subjectHour, names),
      greeting: fill(common.greeting, { name: data.name }),
      paragraphs: [fill(data.kind === '24h' ? t.introDay : t.introHour, names), fill(t.when, { time: when }), t.join],
      action: { label: t.action, url: data.sessionUrl },
      footnote: fill(t.footnote, { title: data.offeringTitle, offeringUrl: data.offeringUrl }),
      signature: common.signature,
    },
    site,
    locale,
  );
}
