import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

/**
 * The count of results, then (when this page shows none) the empty message or a scrollable,
 * labelled table with the given column headings; the rows are the children.
 */
export function ResultsTable({ total, shown, empty, label, columns, children }: { total: number; shown: number; empty: string; label: string; columns: string[]; children: ReactNode }) {
  const { t } = useTranslation();
  return (
    <>
      <p role="status">{t('common.found', { count: total })}</p>
      {shown === 0 ? (
        <p>{empty}</p>
      ) : (
        <div className="table-wrap" tabIndex={0} role="region" aria-label={label}>
          <table>
            <thead>
              <tr>
                {columns.map((column) => (
                  <th key={column} scope="col">
                    {column}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>{children}</tbody>
          </table>
        </div>
      )}
    </>
  );
}
