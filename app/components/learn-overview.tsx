import { Link } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import { formatInstant } from '~/modules/catalogue/datetime';
import { opensOnText, RequiredBadge, StatusBadge, type ActivityStatus } from './learn-status';

export interface OverviewActivityData {
  id: string;
  kind: 'page' | 'quiz' | 'assignment' | 'discussion' | 'live_session';
  title: string;
  required: boolean;
  estimatedMinutes: number;
  status: ActivityStatus;
  dueAt: Date | string | null;
  overdue: boolean;
}

export interface OverviewModuleData {
  id: string;
  title: string;
  summary: string;
  open: boolean;
  opensAt: Date | string | null;
  activities: OverviewActivityData[];
}

function ActivityItem({ activity, href, open, timeZone, locale }: { activity: OverviewActivityData; href: string; open: boolean; timeZone: string; locale: string }) {
  const { t } = useTranslation();
  return (
    <li className="learn-activity">
      <p style={{ margin: 0 }}>
        <span className="muted">{t(`offerings.activityKinds.${activity.kind}`)}:</span>{' '}
        {open ? <Link to={href}>{activity.title}</Link> : <span>{activity.title}</span>}
      </p>
      <p className="actions" style={{ margin: '0.25rem 0 0', gap: '0.4rem' }}>
        <StatusBadge status={activity.status} />
        <RequiredBadge required={activity.required} />
        {activity.estimatedMinutes > 0 ? <span className="muted">{t('learn.overview.minutes', { minutes: activity.estimatedMinutes })}</span> : null}
        {activity.dueAt ? (
          <span className={activity.overdue ? 'badge badge--bad' : 'muted'} suppressHydrationWarning>
            {activity.overdue ? `${t('learn.overview.overdue')}: ` : null}
            {t('learn.overview.due', { date: formatInstant(activity.dueAt, 'dateTime', timeZone, locale) })}
          </span>
        ) : null}
      </p>
    </li>
  );
}

/** The course's modules in order, each open or saying when it opens, with the participant's status on each activity. */
export function ModuleList({
  slug,
  modules,
  tasks,
  timeZone,
  locale,
}: {
  slug: string;
  modules: OverviewModuleData[];
  tasks: OverviewActivityData[];
  timeZone: string;
  locale: string;
}) {
  const { t } = useTranslation();
  const href = (id: string) => `/learn/${encodeURIComponent(slug)}/activities/${id}`;
  if (modules.length === 0 && tasks.length === 0) return <p>{t('learn.overview.noContent')}</p>;
  return (
    <>
      {modules.length > 0 ? (
        <section aria-labelledby="modules-heading">
          <h2 id="modules-heading">{t('learn.overview.modules')}</h2>
          <ol className="learn-modules">
            {modules.map((module) => (
              <li key={module.id} className="card" style={{ marginBottom: '1rem' }}>
                <h3 style={{ margin: '0 0 0.25rem' }}>{module.title}</h3>
                <p style={{ margin: '0 0 0.5rem' }}>
                  {module.open ? (
                    <span className="badge badge--ok">{t('learn.overview.open')}</span>
                  ) : (
                    <>
                      <span className="badge badge--neutral">{t('learn.overview.locked')}</span>{' '}
                      {module.opensAt ? <span suppressHydrationWarning>{opensOnText(t, module.opensAt, timeZone, locale)}</span> : null}
                    </>
                  )}
                </p>
                {module.summary ? <p style={{ whiteSpace: 'pre-wrap' }}>{module.summary}</p> : null}
                {module.activities.length === 0 ? (
                  <p className="muted">{t('learn.overview.noActivities')}</p>
                ) : (
                  <ol>
                    {module.activities.map((activity) => (
                      <ActivityItem key={activity.id} activity={activity} href={href(activity.id)} open={module.open} timeZone={timeZone} locale={locale} />
                    ))}
                  </ol>
                )}
              </li>
            ))}
          </ol>
        </section>
      ) : null}
      {tasks.length > 0 ? (
        <section aria-labelledby="tasks-heading">
          <h2 id="tasks-heading">{t('learn.overview.tasks')}</h2>
          <ol>
            {tasks.map((activity) => (
              <ActivityItem key={activity.id} activity={activity} href={href(activity.id)} open timeZone={timeZone} locale={locale} />
            ))}
          </ol>
        </section>
      ) : null}
    </>
  );
}
