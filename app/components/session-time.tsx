import { useTranslation } from 'react-i18next';
import { describeSessionTime } from '~/modules/time/session-time';

export interface SessionTimeProps {
  startsAt: Date | string;
  /** The zone the organiser entered the time in. */
  organiserTimeZone: string;
  /** The viewer's zone. */
  timeZone: string;
  locale: string;
}

/**
 * A live session's start in the viewer's zone, with the organiser's wall
 * time beside it when their clocks differ at that instant (DESIGN.md §5):
 * "Tue 3 Mar 2026, 17:00 CET (18:00 in Helsinki)". Zones with the same
 * offset (Oslo and Stockholm) show one time. Formats on the server and again
 * in the browser; their ICU data can name a zone differently, hence
 * suppressHydrationWarning on the text alone.
 */
export function SessionTime({ startsAt, organiserTimeZone, timeZone, locale }: SessionTimeProps) {
  const { t } = useTranslation();
  const instant = typeof startsAt === 'string' ? new Date(startsAt) : startsAt;
  const text = describeSessionTime(instant, organiserTimeZone, timeZone, locale);
  const viewerText = text.viewer;
  const organiserText = text.organiser ? t('offeringPage.organiserTime', text.organiser) : null;
  return (
    <span className="session-time">
      <time dateTime={instant.toISOString()} suppressHydrationWarning>
        {viewerText}
      </time>
      {organiserText ? (
        <>
          {' '}
          <span className="muted" suppressHydrationWarning>
            ({organiserText})
          </span>
        </>
      ) : null}
    </span>
  );
}
