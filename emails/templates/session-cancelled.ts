import { renderLayout, type SiteInfo } from '../layout';
import { fill, type EmailLocale, textsFor } from '../texts';
import { sessionWhenText, type SessionWhen } from './session-when';

/**
 * Sessions go out of the recipient's calendar (the METHOD:CANCEL file is
 * attached): one session was cancelled (or removed) by the organisers, or
 * the recipient is no longer a participant and all upcoming sessions go.
 */
export type SessionCancelledData = {
  name: string;
  offeringTitle: string;
  cause: 'cancelled' | 'left';
  sessions: { title: string; when: SessionWhen }[];
  /** What the trainer wrote when cancelling; empty when nothing. */
  note: string;
  /** The offering page (to see what else is on, or to enrol again). */
  offeringUrl: string;
};

export function renderSessionCancelled(locale: EmailLocale, data: SessionCancelledData, site: SiteInfo) {
  const common = textsFor(locale);
  const t = common.sessionCalendar;
  const first = data.sessions[0];
  const names = { title: data.offeringTitle, session: first?.title ?? data.offeringTitle };
  const list = data.sessions.map((s) => (data.cause === 'left' ? `• ${s.title}: ${sessionWhenText(t, s.when)}` : fill(t.when, { when: sessionWhenText(t, s.when) })));
  return renderLayout(
    {
      subject: fill(data.cause === 'left' ? t.leftSubject : t.cancelledSubject, names),
      greeting: fill(common.greeting, { name: data.name }),
      paragraphs: [
        fill(data.cause === 'left' ? t.left : t.cancelled, names),
        ...list,
        ...(data.note.trim() ? [fill(t.note, { note: data.note.trim() })] : []),
        data.sessions.length > 1 ? t.calendarRemoveMany : t.calendarRemove,
      ],
      action: { label: t.offeringAction, url: data.offeringUrl },
      signature: common.signature,
    },
    site,
    locale,
  );
}
