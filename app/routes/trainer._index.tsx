import { type LoaderFunctionArgs } from '@remix-run/node';
import { Link, useLoaderData } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import { StatusBadge } from '~/components/offering-fields';
import { Pagination } from '~/components/pagination';
import { listAuthoringOfferings, type AuthoringListRow } from '~/modules/offerings/authoring.server';
import { requirePermission } from '~/modules/policy/guard.server';
import { isAdmin } from '~/modules/policy/policy';
import { formatDate } from '~/modules/time/format';
import { pageParam } from '~/modules/ui/pagination';
import { parseSearchParams } from '~/modules/ui/search-params.server';
import { z } from 'zod';
import { titled } from '~/modules/ui/meta';

export const meta = titled('authoring.list.heading');

const listFilter = z.object({ page: pageParam });

export async function loader({ request, context }: LoaderFunctionArgs) {
  const viewer = await requirePermission(context, request, { action: 'offering.create' });
  const { page } = parseSearchParams(request, listFilter, viewer.locale);
  const { mine, others } = await listAuthoringOfferings(context.db, viewer.id, page);
  return { mine, others, timeZone: viewer.timeZone, othersEditable: isAdmin(viewer) };
}

function OfferingTable({ rows, caption, timeZone, editable }: { rows: AuthoringListRow[]; caption: string; timeZone: string; editable: boolean }) {
  const { t, i18n } = useTranslation();
  return (
    <div className="table-wrap" tabIndex={0} role="region" aria-label={caption}>
      <table>
        <thead>
          <tr>
            <th scope="col">{t('authoring.list.title')}</th>
            <th scope="col">{t('authoring.list.kind')}</th>
            <th scope="col">{t('authoring.list.status')}</th>
            <th scope="col">{t('authoring.list.starts')}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.id}>
              <td>
                <Link to={`/trainer/offerings/${row.id}`}>{row.title}</Link>
                {editable ? null : <span className="muted"> ({t('authoring.list.readOnly')})</span>}
              </td>
              <td>{t(`offerings.kinds.${row.kind}`)}</td>
              <td>
                <StatusBadge status={row.status} />
              </td>
              <td>{row.startsAt ? formatDate(row.startsAt, timeZone, i18n.language) : <span className="muted">{t('authoring.list.noDate')}</span>}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export default function TrainerHome() {
  const { t } = useTranslation();
  const { mine, others, timeZone, othersEditable } = useLoaderData<typeof loader>();
  return (
    <div className="stack-page">
      <section className="page">
        <div className="actions" style={{ justifyContent: 'space-between' }}>
          <h1 style={{ margin: 0 }}>{t('authoring.list.heading')}</h1>
          <Link to="/trainer/offerings/new" className="button">
            {t('authoring.list.new')}
          </Link>
        </div>
        <h2>{t('authoring.list.mine')}</h2>
        {mine.length === 0 ? (
          <p>{t('authoring.list.noneMine')}</p>
        ) : (
          <OfferingTable rows={mine} caption={t('authoring.list.mine')} timeZone={timeZone} editable />
        )}
      </section>
      <section className="page" aria-labelledby="others-heading">
        <h2 id="others-heading" style={{ marginTop: 0 }}>
          {t('authoring.list.others')}
        </h2>
        <p className="muted">{othersEditable ? t('authoring.list.othersAdminHint') : t('authoring.list.othersHint')}</p>
        <p role="status">{t('common.found', { count: others.total })}</p>
        {others.rows.length === 0 ? null : (
          <OfferingTable rows={others.rows} caption={t('authoring.list.others')} timeZone={timeZone} editable={othersEditable} />
        )}
        <Pagination page={others.page} pages={others.pages} />
      </section>
    </div>
  );
}
