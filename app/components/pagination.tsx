import { Link, useSearchParams } from '@remix-run/react';
import { useTranslation } from 'react-i18next';

/** Previous / next links that keep every other filter of the URL. */
export function Pagination({ page, pages }: { page: number; pages: number }) {
  const { t } = useTranslation();
  const [params] = useSearchParams();
  if (pages <= 1 && page <= 1) return null;
  const hrefFor = (target: number) => {
    const next = new URLSearchParams(params);
    next.set('page', String(target));
    return `?${next.toString()}`;
  };
  return (
    <nav aria-label={t('common.pagination')} className="actions" style={{ marginTop: '1rem' }}>
      {page > 1 ? (
        <Link to={hrefFor(Math.min(page - 1, pages))} rel="prev">
          {t('common.previous')}
        </Link>
      ) : null}
      <span>{t('common.pageOf', { page, pages })}</span>
      {page < pages ? (
        <Link to={hrefFor(page + 1)} rel="next">
          {t('common.next')}
        </Link>
      ) : null}
    </nav>
  );
}
