import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { Link, useLoaderData } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import { SessionTime } from '~/components/session-time';
import { isHttpsUrl } from '~/modules/forms/urls';
import { resolvePreferences } from '~/modules/i18n/preferences.server';
import { opensText, sessionStatus } from '~/modules/live/joining';
import { joinAreaFor, sessionForViewer } from '~/modules/live/session-page.server';
import { pageTitle } from '~/modules/ui/meta';
import catalogueStyles from '~/styles/catalogue.css?url';

// The facts list looks like the offering page's.
export const links: LinksFunction = () => [{ rel: 'stylesheet', href: catalogueStyles }];

export const meta: MetaFunction<typeof loader> = ({ data, error, matches }) =>
  data && !error ? [{ title: `${data.session.title} – Kollega` }, { name: 'robots', content: 'noindex' }] : pageTitle(matches, 'errors.notFoundTitle');

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const found = await sessionForViewer(context, request, params.id);
  const { locale, timeZone } = await resolvePreferences(context, request, found.viewer);
  const now = new Date();
  const { session, offering } = found;
  const status = sessionStatus(session, now);
  const area = joinAreaFor(found, now);
  const here = `/sessions/${session.id}`;
  // The recording is for the same people as the link, once the session is over.
  const recordingUrl = found.canJoin && status === 'ended' && session.recordingUrl && isHttpsUrl(session.recordingUrl) ? session.recordingUrl : null;
  return {
    session: {
      id: session.id,
      title: session.title,
      startsAt: session.startsAt.toISOString(),
      organiserTimeZone: session.organiserTimeZone,
      durationMinutes: session.durationMinutes,
      capacityNote: session.capacityNote,
      status,
    },
    offering: { slug: offering.slug, title: offering.title, kind: offering.kind, draft: offering.status === 'draft' },
    area: area.kind === 'not-yet' ? { kind: area.kind, opens: opensText(area.opensAt, now, timeZone, locale) } : { kind: area.kind },
    joinHref: `${here}/join`,
    signInHref: `/login?redirectTo=${encodeURIComponent(here)}`,
    recordingUrl,
    manageHref: found.canManage ? `/trainer/offerings/${offering.id}/sessions/${session.id}` : null,
    timeZone,
    locale,
  };
}

type Data = ReturnType<typeof useLoaderData<typeof loader>>;

const STATUS_BADGE = { upcoming: 'badge--neutral', open: 'badge--ok', ended: 'badge--neutral', cancelled: 'badge--bad' } as const;

function JoinArea({ data }: { data: Data }) {
  const { t } = useTranslation();
  const offeringHref = `/offerings/${encodeURIComponent(data.offering.slug)}`;
  switch (data.area.kind) {
    case 'open':
      return (
        <>
          <p>{t('sessionPage.join.openNow')}</p>
          {/* A plain link, not a client-side one: the tracked route answers with a redirect to the provider. */}
          <p>
            <a href={data.joinHref} className="button" rel="nofollow">
              {t('sessionPage.join.button')}
            </a>
          </p>
        </>
      );
    case 'not-yet':
      return <p>{t('sessionPage.join.notYet', { time: data.area.opens })}</p>;
    case 'ended':
      return <p>{t('sessionPage.join.ended')}</p>;
    case 'cancelled':
      return <p>{t('sessionPage.join.cancelled')}</p>;
    case 'no-link':
      return <p>{t('sessionPage.join.noLink')}</p>;
    case 'waitlisted':
      return (
        <p>
          {t('sessionPage.join.waitlisted')} <Link to={offeringHref}>{t('sessionPage.join.offeringLink')}</Link>
        </p>
      );
    case 'sign-in':
      return (
        <>
          <p>{t('sessionPage.join.participantsOnly')}</p>
          <p className="actions">
            <Link to={data.signInHref} className="button">
              {t('sessionPage.join.signIn')}
            </Link>
            <Link to={offeringHref}>{t('sessionPage.join.offeringLink')}</Link>
          </p>
        </>
      );
    case 'participants-only':
      return (
        <p>
          {t('sessionPage.join.participantsOnly')} <Link to={offeringHref}>{t('sessionPage.join.offeringLink')}</Link>
        </p>
      );
  }
}

export default function SessionPage() {
  const { t } = useTranslation();
  const data = useLoaderData<typeof loader>();
  const { session, offering, timeZone, locale } = data;
  return (
    <section className="page narrow" aria-labelledby="session-heading">
      <p style={{ margin: '0 0 0.5rem' }}>
        <Link to={`/offerings/${encodeURIComponent(offering.slug)}`}>{offering.title}</Link>
      </p>
      <h1 id="session-heading">{session.title}</h1>
      {offering.draft ? (
        <div className="flash flash--info" role="note">
          {t('sessionPage.draft')}
        </div>
      ) : null}
      <p>
        <span className={`badge ${STATUS_BADGE[session.status]}`}>{t(`sessionPage.status.${session.status}`)}</span>
      </p>
      <dl className="offering-facts">
        <div>
          <dt>{t('sessionPage.when')}</dt>
          <dd>
            <SessionTime startsAt={session.startsAt} organiserTimeZone={session.organiserTimeZone} timeZone={timeZone} locale={locale} />
          </dd>
        </div>
        <div>
          <dt>{t('sessionPage.length')}</dt>
          <dd>{t('sessionPage.minutes', { count: session.durationMinutes })}</dd>
        </div>
        <div>
          <dt>{t('sessionPage.offering')}</dt>
          <dd>
            <Link to={`/offerings/${encodeURIComponent(offering.slug)}`}>{offering.title}</Link> ({t(`offerings.kinds.${offering.kind}`)})
          </dd>
        </div>
      </dl>
      {session.capacityNote ? <p className="muted">{session.capacityNote}</p> : null}
      <section aria-labelledby="join-heading">
        <h2 id="join-heading">{t('sessionPage.join.heading')}</h2>
        <JoinArea data={data} />
      </section>
      {data.recordingUrl ? (
        <section aria-labelledby="recording-heading">
          <h2 id="recording-heading">{t('sessionPage.recording.heading')}</h2>
          <p>
            <a href={data.recordingUrl} rel="noopener noreferrer" target="_blank">
              {t('sessionPage.recording.link')}
            </a>
          </p>
        </section>
      ) : null}
      {data.manageHref ? (
        <p>
          <Link to={data.manageHref}>{t('sessionPage.manage')}</Link>
        </p>
      ) : null}
    </section>
  );
}
