import type { LoaderFunctionArgs } from '@remix-run/node';
import { Form, Link, useLoaderData } from '@remix-run/react';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import { ProgressBar } from '~/components/progress-bar';
import { SessionTime } from '~/components/session-time';
import { formatInstant, formatRunDates } from '~/modules/catalogue/datetime';
import { holderCertificatesByOffering } from '~/modules/certificates/queries.server';
import { loadDashboard, type DeadlineShiftState } from '~/modules/learning/dashboard.server';
import { SHIFT_REFUSAL_KEYS } from '~/modules/learning/pacing';
import { requirePermission } from '~/modules/policy/guard.server';
import { titled } from '~/modules/ui/meta';

export const meta = titled('dashboard.title');

export async function loader({ request, context }: LoaderFunctionArgs) {
  const viewer = await requirePermission(context, request, { action: 'learning.dashboard' });
  const [dashboard, held] = await Promise.all([loadDashboard(context.db, viewer.id, new Date()), holderCertificatesByOffering(context.db, viewer.id)]);
  return { ...dashboard, certificates: Object.fromEntries(held), timeZone: viewer.timeZone };
}

type LoaderData = ReturnType<typeof useLoaderData<typeof loader>>;

/** The certificate PDF, its public verification page and its Open Badges credential; a note instead when it was revoked. */
function CertificateLinks({ certificate, title }: { certificate: LoaderData['certificates'][string] | undefined; title: string }) {
  const { t } = useTranslation();
  if (!certificate) return null;
  if (certificate.revoked) return <p style={{ margin: '0.5rem 0 0' }}>{t('certificates.dashboard.revoked')}</p>;
  return (
    <p className="actions" style={{ margin: '0.5rem 0 0' }}>
      <a href={`/certificates/${certificate.id}.pdf`} download aria-label={`${t('certificates.dashboard.download')}: ${title}`}>
        {t('certificates.dashboard.download')}
      </a>
      <Link to={`/verify/${certificate.code}`}>{t('certificates.dashboard.verify')}</Link>
      <a href={`/certificates/${certificate.id}/credential`} download aria-label={t('badges.downloadNamed', { title })}>
        {t('badges.download')}
      </a>
    </p>
  );
}
type Item = LoaderData['inProgress'][number];

function ShiftForm({ item, shift, deadlineText }: { item: Item; shift: DeadlineShiftState; deadlineText: string }) {
  const { t } = useTranslation();
  const selectId = `shift-days-${item.offeringId}`;
  const hintId = `${selectId}-hint`;
  const choices = Array.from({ length: shift.maxDays }, (_, i) => i + 1);
  return (
    <section aria-labelledby={`shift-heading-${item.offeringId}`} style={{ borderTop: '1px solid var(--line)', paddingTop: '0.75rem' }}>
      <h4 id={`shift-heading-${item.offeringId}`} style={{ margin: '0 0 0.25rem' }}>
        {t('dashboard.shift.heading')}
      </h4>
      <p style={{ margin: 0 }}>
        {t('dashboard.shift.left', { left: shift.left, max: shift.max })}
        {shift.daysShifted > 0 ? <> {t('dashboard.shift.shifted', { count: shift.daysShifted })}</> : null}
      </p>
      {shift.check.ok ? (
        // A plain POST: the action redirects back here with a message, with or without JavaScript.
        <Form method="post" action="/dashboard/deadlines" reloadDocument className="actions" style={{ alignItems: 'end', marginTop: '0.5rem' }}>
          <input type="hidden" name="offeringId" value={item.offeringId} />
          <div className="field">
            <label htmlFor={selectId}>{t('dashboard.shift.days')}</label>
            <p id={hintId} className="hint">
              {t('dashboard.shift.daysHint', { max: shift.maxDays })}
            </p>
            <select id={selectId} name="days" defaultValue={String(Math.min(7, shift.maxDays))} aria-describedby={hintId} style={{ width: 'auto' }}>
              {choices.map((days) => (
                <option key={days} value={days}>
                  {t('dashboard.shift.dayOption', { count: days })}
                </option>
              ))}
            </select>
          </div>
          <button type="submit" className="button-secondary" aria-label={t('dashboard.shift.submitNamed', { title: item.title })}>
            {t('dashboard.shift.submit')}
          </button>
        </Form>
      ) : (
        <p className="muted" style={{ margin: '0.25rem 0 0' }}>
          {t(SHIFT_REFUSAL_KEYS[shift.check.reason], { title: item.title, deadline: deadlineText })}
        </p>
      )}
    </section>
  );
}

function PhaseNote({ item, t, when }: { item: Item; t: TFunction; when: (d: Date | string | null) => string }) {
  if (item.phase === 'not-started' && item.startsAt) return <p style={{ margin: 0 }}>{t('dashboard.startsOn', { date: when(item.startsAt) })}</p>;
  if (item.phase === 'late-completion' && item.deadline) {
    return (
      <p style={{ margin: 0, padding: '0.5rem 0.75rem', borderLeft: '4px solid var(--warn)', background: 'var(--warn-wash)' }}>
        {t('dashboard.lateCompletion', { date: when(item.deadline) })}
      </p>
    );
  }
  if (item.phase === 'closed' && item.deadline) {
    return (
      <p className="muted" style={{ margin: 0 }}>
        {t('dashboard.closed', { date: when(item.deadline) })}
      </p>
    );
  }
  return null;
}

function InProgressCard({ item, timeZone }: { item: Item; timeZone: string }) {
  const { t, i18n } = useTranslation();
  const locale = i18n.language;
  const when = (d: Date | string | null) => (d ? formatInstant(d, 'weekdayDateTime', timeZone, locale) : '');
  const headingId = `offering-${item.offeringId}`;
  return (
    <article className="card" aria-labelledby={headingId} style={{ display: 'grid', gap: '0.6rem' }}>
      <header>
        <h3 id={headingId} style={{ margin: 0 }}>
          <Link to={`/learn/${item.slug}`}>{item.title}</Link>
        </h3>
        <p className="muted" style={{ margin: 0 }}>
          {t(`offerings.kinds.${item.kind}`)}
        </p>
      </header>
      <ProgressBar done={item.done} total={item.required} title={item.title} />
      <PhaseNote item={item} t={t} when={when} />
      {item.phase !== 'closed' && item.required > 0 ? (
        <p style={{ margin: 0 }}>
          {item.nextDueAt ? (
            <strong suppressHydrationWarning>{t('dashboard.nextDeadline', { date: when(item.nextDueAt) })}</strong>
          ) : (
            <span className="muted">{t('dashboard.noDeadline')}</span>
          )}
          {item.overdue > 0 ? (
            <>
              {' '}
              <span className="badge badge--warn">{t('dashboard.overdue', { count: item.overdue })}</span>
            </>
          ) : null}
        </p>
      ) : null}
      {item.nextSession ? (
        <p style={{ margin: 0 }}>
          <strong>{t('dashboard.nextSession')}:</strong> <Link to={`/sessions/${item.nextSession.id}`}>{item.nextSession.title}</Link>,{' '}
          <SessionTime startsAt={item.nextSession.startsAt} organiserTimeZone={item.nextSession.organiserTimeZone} timeZone={timeZone} locale={locale} />
        </p>
      ) : null}
      {item.shift && item.phase !== 'closed' ? <ShiftForm item={item} shift={item.shift} deadlineText={when(item.deadline)} /> : null}
      <p style={{ margin: 0 }}>
        <Link to={`/learn/${item.slug}`} className="button" aria-label={t('dashboard.continueNamed', { title: item.title })}>
          {t('dashboard.continue')}
        </Link>
      </p>
    </article>
  );
}

const listStyle = { listStyle: 'none', margin: 0, padding: 0, display: 'grid', gap: '1rem' } as const;

export default function Dashboard() {
  const { t, i18n } = useTranslation();
  const { inProgress, waitlist, completed, certificates, timeZone } = useLoaderData<typeof loader>();
  const locale = i18n.language;
  const nothing = inProgress.length === 0 && waitlist.length === 0 && completed.length === 0;
  return (
    <section className="page">
      <h1>{t('dashboard.title')}</h1>
      <p className="muted">{t('dashboard.intro')}</p>
      {nothing ? (
        <div className="card">
          <p style={{ marginTop: 0 }}>{t('dashboard.empty')}</p>
          <p style={{ marginBottom: 0 }}>
            <Link to="/catalogue" className="button">
              {t('dashboard.browseCatalogue')}
            </Link>
          </p>
        </div>
      ) : (
        <>
          <section aria-labelledby="in-progress-heading">
            <h2 id="in-progress-heading">{t('dashboard.inProgress')}</h2>
            {inProgress.length === 0 ? (
              <p>
                {t('dashboard.emptyInProgress')} <Link to="/catalogue">{t('dashboard.browseCatalogue')}</Link>
              </p>
            ) : (
              <ul style={listStyle}>
                {inProgress.map((item) => (
                  <li key={item.offeringId}>
                    <InProgressCard item={item} timeZone={timeZone} />
                    <CertificateLinks certificate={certificates[item.offeringId]} title={item.title} />
                  </li>
                ))}
              </ul>
            )}
          </section>
          {waitlist.length > 0 ? (
            <section aria-labelledby="waitlist-heading">
              <h2 id="waitlist-heading">{t('dashboard.waitlist')}</h2>
              <ul style={listStyle}>
                {waitlist.map((item) => (
                  <li key={item.offeringId} className="card">
                    <h3 style={{ margin: 0 }}>
                      <Link to={`/offerings/${item.slug}`}>{item.title}</Link>
                    </h3>
                    <p className="muted" style={{ margin: 0 }}>
                      {t(`offerings.kinds.${item.kind}`)}
                      {item.startsAt ? <> · {formatRunDates(item.startsAt, item.endsAt, timeZone, locale)}</> : null}
                    </p>
                    <p style={{ margin: '0.5rem 0 0' }}>
                      <strong>{t('dashboard.waitlistPosition', { position: item.position })}</strong>
                    </p>
                    <p className="muted" style={{ margin: 0 }}>
                      {t('dashboard.waitlistHint')}
                    </p>
                  </li>
                ))}
              </ul>
            </section>
          ) : null}
          {completed.length > 0 ? (
            <section aria-labelledby="completed-heading">
              <h2 id="completed-heading">{t('dashboard.completed')}</h2>
              <ul style={listStyle}>
                {completed.map((item) => (
                  <li key={item.offeringId} className="card">
                    <h3 style={{ margin: 0 }}>
                      <Link to={`/learn/${item.slug}`}>{item.title}</Link>
                    </h3>
                    <p className="muted" style={{ margin: 0 }}>
                      {t(`offerings.kinds.${item.kind}`)}
                    </p>
                    <p style={{ margin: '0.5rem 0 0' }}>
                      <span className="badge badge--ok">
                        {item.completedAt ? t('dashboard.completedOn', { date: formatInstant(item.completedAt, 'date', timeZone, locale) }) : t('dashboard.completedNoDate')}
                      </span>
                    </p>
                    <CertificateLinks certificate={certificates[item.offeringId]} title={item.title} />
                  </li>
                ))}
              </ul>
            </section>
          ) : null}
        </>
      )}
    </section>
  );
}
