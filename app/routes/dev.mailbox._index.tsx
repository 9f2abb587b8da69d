import type { LoaderFunctionArgs } from '@remix-run/node';
import { Form, Link, useLoaderData } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import { Pagination } from '~/components/pagination';
import { listMailbox } from '~/modules/email/mailbox.server';
import { mailboxFilterSchema } from '~/modules/email/schemas';
import { resolvePreferences } from '~/modules/i18n/preferences.server';
import { authorize } from '~/modules/policy/guard.server';
import { formatDateTime } from '~/modules/time/format';
import { parseSearchParams } from '~/modules/ui/search-params.server';
import { titled } from '~/modules/ui/meta';

export const meta = titled('mailbox.title');

export async function loader({ request, context }: LoaderFunctionArgs) {
  const viewer = await authorize(context, request, { action: 'mailbox.view' });
  const { locale, timeZone } = await resolvePreferences(context, request, viewer);
  const filter = parseSearchParams(request, mailboxFilterSchema, locale);
  const mailbox = await listMailbox(context.db, filter);
  return { ...mailbox, to: filter.to ?? '', timeZone };
}

export default function Mailbox() {
  const { t, i18n } = useTranslation();
  const { rows, total, page, pages, to, timeZone } = useLoaderData<typeof loader>();
  return (
    <section className="page">
      <h1>{t('mailbox.title')}</h1>
      <p className="muted">{t('mailbox.intro')}</p>
      <Form method="get" role="search" className="actions" style={{ alignItems: 'end', marginBottom: '1rem' }}>
        <div className="field">
          <label htmlFor="mailbox-to">{t('mailbox.filterTo')}</label>
          <p id="mailbox-to-hint" className="hint">
            {t('mailbox.filterHint')}
          </p>
          <input id="mailbox-to" type="search" name="to" defaultValue={to} maxLength={254} aria-describedby="mailbox-to-hint" />
        </div>
        <button type="submit" className="button-secondary">
          {t('common.applyFilters')}
        </button>
      </Form>
      <p role="status">{t('common.found', { count: total })}</p>
      {rows.length === 0 ? (
        <p>{t('mailbox.empty')}</p>
      ) : (
        <div className="table-wrap" tabIndex={0} role="region" aria-label={t('mailbox.title')}>
          <table>
            <thead>
              <tr>
                <th scope="col">{t('mailbox.received')}</th>
                <th scope="col">{t('mailbox.to')}</th>
                <th scope="col">{t('mailbox.subject')}</th>
                <th scope="col">{t('mailbox.from')}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((row) => (
                <tr key={row.id}>
                  <td>{formatDateTime(row.receivedAt, timeZone, i18n.language)}</td>
                  <td>{row.toAddress}</td>
                  <td>
                    <Link to={`/dev/mailbox/${row.id}`}>{row.subject || t('mailbox.noSubject')}</Link>
                  </td>
                  <td>{row.fromAddress}</td>
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
