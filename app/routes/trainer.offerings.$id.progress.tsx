import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { Form, useLoaderData, useSearchParams } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import { Pagination } from '~/components/pagination';
import { formatInstant } from '~/modules/catalogue/datetime';
import { CELL_LABELS, type CellStatus } from '~/modules/learning/progress-cells';
import { GRID_SEARCH_MAX, loadProgressGrid, progressFilterSchema } from '~/modules/learning/progress-grid.server';
import { requireOfferingPermission } from '~/modules/offerings/access.server';
import { notFound } from '~/modules/policy/guard.server';
import { offeringPageTitle } from '~/modules/ui/meta';
import { parseSearchParams } from '~/modules/ui/search-params.server';

export const meta: MetaFunction = ({ matches }) => offeringPageTitle(matches, 'progress.title');

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { viewer, access } = await requireOfferingPermission(context, request, params.id, 'learning.progress');
  const offeringId = access.id;
  const filter = parseSearchParams(request, progressFilterSchema, viewer.locale);
  const grid = await loadProgressGrid(context.db, offeringId, filter, new Date());
  if (!grid) notFound();
  return {
    ...grid,
    filter: { status: filter.status ?? '', q: filter.q ?? '', behind: !!filter.behind },
    // Sent along: the component cannot import from a .server module.
    searchMax: GRID_SEARCH_MAX,
    timeZone: viewer.timeZone,
  };
}

const CELL_TONES: Record<CellStatus, string> = {
  'not-started': '',
  started: 'badge badge--neutral',
  submitted: 'badge badge--neutral',
  returned: 'badge badge--warn',
  done: 'badge badge--ok',
};

const SHORT_TITLE = 22;

/** A column heading short enough for a grid; the full title stays in the abbreviation's title. */
function shortTitle(title: string): string | null {
  if (title.length <= SHORT_TITLE) return null;
  const cut = title.slice(0, SHORT_TITLE);
  const space = cut.lastIndexOf(' ');
  return `${(space > SHORT_TITLE / 2 ? cut.slice(0, space) : cut).trimEnd()}…`;
}

export default function OfferingProgress() {
  const { t, i18n } = useTranslation();
  const { offering, columns, rows, total, page, pages, filter, searchMax, timeZone } = useLoaderData<typeof loader>();
  const [searchParams] = useSearchParams();
  const exportParams = new URLSearchParams(searchParams);
  exportParams.delete('page');
  const exportQuery = exportParams.toString();
  const exportHref = `/trainer/offerings/${offering.id}/progress.csv${exportQuery ? `?${exportQuery}` : ''}`;
  return (
    <section className="page" aria-labelledby="progress-heading">
      <h2 id="progress-heading" style={{ marginTop: 0 }}>
        {t('progress.title')}
      </h2>
      <p className="muted">{t('progress.intro')}</p>
      <Form method="get" role="search" className="actions" style={{ alignItems: 'end', marginBottom: '1rem' }}>
        <div className="field">
          <label htmlFor="progress-status">{t('progress.filterStatus')}</label>
          <select id="progress-status" name="status" defaultValue={filter.status}>
            <option value="">{t('progress.allStatuses')}</option>
            <option value="enrolled">{t('progress.statusEnrolled')}</option>
            <option value="completed">{t('progress.statusCompleted')}</option>
          </select>
        </div>
        <div className="field">
          <label htmlFor="progress-search">{t('progress.search')}</label>
          <input id="progress-search" type="search" name="q" defaultValue={filter.q} maxLength={searchMax} />
        </div>
        <div className="checkbox" style={{ alignSelf: 'center' }}>
          <input id="progress-behind" type="checkbox" name="behind" value="1" defaultChecked={filter.behind} />
          <label htmlFor="progress-behind">{t('progress.behindOnly')}</label>
        </div>
        <button type="submit" className="button-secondary">
          {t('common.applyFilters')}
        </button>
      </Form>
      <p className="actions">
        {/* A file download, not a page: the browser fetches it itself. */}
        <a href={exportHref} download>
          {t('progress.export')}
        </a>
        <span className="muted">{t('progress.exportHint')}</span>
      </p>
      <p role="status">{t('common.found', { count: total })}</p>
      {columns.length === 0 ? (
        <p>{t('progress.noColumns')}</p>
      ) : rows.length === 0 ? (
        <p>{t('progress.empty')}</p>
      ) : (
        <div className="table-wrap" tabIndex={0} role="region" aria-labelledby="progress-caption">
          <table>
            <caption id="progress-caption" style={{ textAlign: 'left', fontWeight: 600, padding: '0.5rem 0' }}>
              {t('progress.caption', { title: offering.title })}
            </caption>
            <thead>
              <tr>
                <th scope="col">{t('progress.participant')}</th>
                <th scope="col">{t('progress.done')}</th>
                {columns.map((column) => {
                  const short = shortTitle(column.title);
                  return (
                    <th scope="col" key={column.id} style={{ minWidth: '7rem' }}>
                      <span className="muted" style={{ fontWeight: 400, fontSize: '0.85rem' }}>
                        {column.module === null ? (
                          t('progress.offeringTask')
                        ) : (
                          <abbr title={t('progress.moduleLong', { number: column.module })}>{t('progress.moduleShort', { number: column.module })}</abbr>
                        )}
                      </span>
                      <br />
                      {short ? <abbr title={column.title}>{short}</abbr> : column.title}
                    </th>
                  );
                })}
              </tr>
            </thead>
            <tbody>
              {rows.map((row) => (
                <tr key={row.userId}>
                  <th scope="row" style={{ fontWeight: 400, background: 'none' }}>
                    <strong>{row.fullName}</strong>
                    <br />
                    <span className="muted">{row.email}</span>
                    {row.status === 'completed' || row.behind ? (
                      <span className="actions" style={{ gap: '0.25rem', marginTop: '0.25rem' }}>
                        {row.status === 'completed' ? (
                          <span className="badge badge--ok">
                            {row.completedAt
                              ? `${t('progress.statusCompleted')} ${formatInstant(row.completedAt, 'date', timeZone, i18n.language)}`
                              : t('progress.statusCompleted')}
                          </span>
                        ) : null}
                        {row.behind ? <span className="badge badge--bad">{t('progress.behind')}</span> : null}
                      </span>
                    ) : null}
                  </th>
                  <td>{t('progress.doneOf', { done: row.done, total: columns.length })}</td>
                  {row.cells.map((cell, i) => (
                    <td key={columns[i]!.id}>
                      <span className={CELL_TONES[cell.status] || 'muted'}>{t(CELL_LABELS[cell.status])}</span>
                      {cell.overdue ? (
                        <>
                          {' '}
                          <span className="badge badge--bad">{t('progress.overdue')}</span>
                        </>
                      ) : null}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <Pagination page={page} pages={pages} />
    </section>
  );
}
