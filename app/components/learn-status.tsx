import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import { formatInstant } from '~/modules/catalogue/datetime';
import { translateKey } from '~/modules/i18n/translate';

export type ActivityStatus = 'not-started' | 'started' | 'submitted' | 'returned' | 'done';
export type Phase = 'not-started' | 'running' | 'late-completion' | 'closed';

const STATUS_TONE: Record<ActivityStatus, string> = {
  'not-started': 'neutral',
  started: 'neutral',
  submitted: 'warn',
  returned: 'bad',
  done: 'ok',
};

export function StatusBadge({ status }: { status: ActivityStatus }) {
  const { t } = useTranslation();
  return <span className={`badge badge--${STATUS_TONE[status]}`}>{t(`learn.status.${status}`)}</span>;
}

export function RequiredBadge({ required }: { required: boolean }) {
  const { t } = useTranslation();
  return <span className={`badge badge--${required ? 'ok' : 'neutral'}`}>{required ? t('learn.required') : t('learn.optional')}</span>;
}

/** "Opens on 3 Mar 2026 at 09:00", in the viewer's zone. */
export function opensOnText(t: TFunction, at: Date | string, timeZone: string, locale: string): string {
  return translateKey(t, 'learn.overview.opensOn', { date: formatInstant(at, 'date', timeZone, locale), time: formatInstant(at, 'time', timeZone, locale) });
}

/** Where the course stands for the participant: not yet started, running, late completion, or read-only after the deadline. */
export function PhaseNotice({
  phase,
  startsAt,
  deadline,
  timeZone,
  locale,
}: {
  phase: Phase;
  startsAt: Date | string | null;
  deadline: Date | string | null;
  timeZone: string;
  locale: string;
}) {
  const { t } = useTranslation();
  const date = (at: Date | string) => formatInstant(at, 'dateTime', timeZone, locale);
  if (phase === 'closed') {
    return (
      <div className="flash flash--info" role="note" suppressHydrationWarning>
        {t('learn.phase.closed', { date: deadline ? date(deadline) : '' })}
      </div>
    );
  }
  if (phase === 'late-completion' && deadline) {
    return (
      <div className="flash flash--info" role="note" suppressHydrationWarning>
        {t('learn.phase.lateCompletion', { date: date(deadline) })}
      </div>
    );
  }
  if (phase === 'not-started' && startsAt) {
    return (
      <p className="muted" suppressHydrationWarning>
        {t('learn.phase.notStarted', { date: date(startsAt) })}
      </p>
    );
  }
  return (
    <p className="muted" suppressHydrationWarning>
      {deadline ? t('learn.phase.running', { date: date(deadline) }) : t('learn.phase.runningNoDeadline')}
    </p>
  );
}
