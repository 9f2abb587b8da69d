import { renderLayout, type SiteInfo } from '../layout';
import { fill, type EmailLocale, textsFor } from '../texts';
import { sessionWhenText, type SessionWhen } from './session-when';

/**
 * A session was added to, moved in or edited in an offering the recipient
 * takes part in. The calendar invitation (METHOD:REQUEST, same UID, the new
 * SEQUENCE) travels as an attachment; this is the human part.
 */
export type SessionUpdatedData = {
  name: string;
  offeringTitle: string;
  sessionTitle: string;
  change: 'added' | 'rescheduled' | 'edited';
  /** The (new) start, in the recipient's zone and language. */
  when: SessionWhen;
  /** The start before a reschedule; null otherwise. */
  previousWhen: SessionWhen | null;
  durationMinutes: number;
  sessionUrl: string;
};

export function renderSessionUpdated(locale: EmailLocale, data: SessionUpdatedData, site: SiteInfo) {
  const common = textsFor(locale);
  const t = common.sessionCalendar;
  const names = { title: data.offeringTitle, session: data.sessionTitle };
  const subject = { added: t.addedSubject, rescheduled: t.rescheduledSubject, edited: t.editedSubject }[data.change];
  const intro = { added: t.added, rescheduled: t.rescheduled, edited: t.edited }[data.change];
  return renderLayout(
    {
      subject: fill(subject, names),
      greeting: fill(common.greeting, { name: data.name }),
      paragraphs: [
        fill(intro, names),
        fill(t.when, { when: sessionWhenText(t, data.when) }),
        fill(t.length, { minutes: String(data.durationMinutes) }),
        ...(data.previousWhen ? [fill(t.previously, { when: sessionWhenText(t, data.previousWhen) })] : []),
        t.calendarUpdate,
      ],
      action: { label: t.action, url: data.sessionUrl },
      signature: common.signature,
    },
    site,
    locale,
  );
}
