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
import { ResultsTable } from '~/components/results-table';

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
      <ResultsTable total={total} shown={rows.length} empty={t('mailbox.empty')} label={t('mailbox.title')} columns={[t('mailbox.received'), t('mailbox.to'), t('mailbox.subject'), t('mailbox.from')]}>
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
      </ResultsTable>
      <Pagination page={page} pages={pages} />
    </section>
  );
}
