import { type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node';
import { Link, NavLink, Outlet, useLoaderData, useLocation } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import { StatusBadge } from '~/components/offering-fields';
import { offeringHeader } from '~/modules/offerings/authoring.server';
import { requireOfferingAuthoring } from '~/modules/offerings/access.server';
import { notFound, policyEnvironment } from '~/modules/policy/guard.server';
import { can } from '~/modules/policy/policy';

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `${data.offering.title} · Kollega` : 'Kollega' }];

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { viewer, access, canEdit } = await requireOfferingAuthoring(context, request, params.id, 'inspect');
  const offering = await offeringHeader(context.db, params.id!);
  if (!offering) notFound();
  const canMessage = can(viewer, { action: 'offering.message', offering: access }, policyEnvironment(context));
  return { offering, canEdit, canMessage };
}

const tabStyle = ({ isActive }: { isActive: boolean }) => ({
  padding: '0.4rem 0.8rem',
  borderBottom: isActive ? '3px solid var(--brand)' : '3px solid transparent',
  fontWeight: isActive ? 700 : 400,
  textDecoration: 'none',
});

export default function OfferingAuthoringLayout() {
  const { t } = useTranslation();
  const { offering, canEdit, canMessage } = useLoaderData<typeof loader>();
  const base = `/trainer/offerings/${offering.id}`;
  const onActivityPage = useLocation().pathname.startsWith(`${base}/activities/`);
  return (
    <div className="stack-page">
      <section className="page">
        <p style={{ margin: '0 0 0.5rem' }}>
          <Link to="/trainer">{t('authoring.layout.back')}</Link>
        </p>
        <h1 style={{ marginBottom: '0.5rem' }}>{offering.title}</h1>
        <p className="actions" style={{ margin: 0 }}>
          <span>{t(`offerings.kinds.${offering.kind}`)}</span>
          <StatusBadge status={offering.status} />
        </p>
        {canEdit ? null : (
          <div className="flash flash--info" role="note" style={{ marginTop: '1rem', marginBottom: 0 }}>
            {t('authoring.layout.readOnly')}
          </div>
        )}
        <nav aria-label={t('authoring.layout.tabs')} style={{ marginTop: '1rem', borderBottom: '1px solid var(--line)' }}>
          <ul className="actions" style={{ listStyle: 'none', margin: 0, padding: 0, gap: '0.25rem' }}>
            <li>
              <NavLink to={base} end style={tabStyle}>
                {t('authoring.layout.details')}
              </NavLink>
            </li>
            <li>
              <NavLink to={`${base}/sessions`} style={tabStyle}>
                {t('authoring.layout.sessions')}
              </NavLink>
            </li>
            <li>
              {/* Activity pages belong to the structure tab. */}
              <NavLink to={`${base}/structure`} style={({ isActive }) => tabStyle({ isActive: isActive || onActivityPage })}>
                {t('authoring.layout.structure')}
              </NavLink>
            </li>
            {canEdit ? (
              <li>
                <NavLink to={`${base}/participants`} style={tabStyle}>
                  {t('enrolment.participants.tab')}
                </NavLink>
              </li>
            ) : null}
            {canEdit ? (
              <li>
                <NavLink to={`${base}/progress`} style={tabStyle}>
                  {t('progress.tab')}
                </NavLink>
              </li>
            ) : null}
            {canEdit ? (
              <li>
                <NavLink to={`${base}/reviews`} style={tabStyle}>
                  {t('review.tab')}
                </NavLink>
              </li>
            ) : null}
            {canMessage ? (
              <li>
                <NavLink to={`${base}/messages`} style={tabStyle}>
                  {t('messages.tab')}
                </NavLink>
              </li>
            ) : null}
            {canEdit ? (
              <li>
                <NavLink to={`${base}/certificates`} style={tabStyle}>
                  {t('certificates.trainer.tab')}
                </NavLink>
              </li>
            ) : null}
            <li>
              <Link to={`/offerings/${offering.slug}`} style={tabStyle({ isActive: false })}>
                {t('authoring.layout.preview')}
              </Link>
            </li>
            <li>
              <NavLink to={`${base}/copy`} style={tabStyle}>
                {t('authoring.layout.copy')}
              </NavLink>
            </li>
          </ul>
        </nav>
      </section>
      <Outlet />
    </div>
  );
}
