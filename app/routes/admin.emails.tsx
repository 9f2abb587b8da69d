import { data, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node';
import { Form, useActionData, useLoaderData } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import { FormErrors } from '~/components/forms';
import { Pagination } from '~/components/pagination';
import { requeueFailedEmail } from '~/modules/email/delivery.server';
import { listOutbox, outboxEmailStatus } from '~/modules/email/outbox-admin.server';
import { OUTBOX_STATUSES, outboxFilterSchema } from '~/modules/email/schemas';
import { message } from '~/modules/forms/messages';
import { notFound, requirePermission } from '~/modules/policy/guard.server';
import { formatDateTime } from '~/modules/time/format';
import { redirectWithFlash } from '~/modules/ui/flash.server';
import { isUuid } from '~/modules/ui/ids';
import { parseSearchParams } from '~/modules/ui/search-params.server';
import { readFormData } from '~/modules/forms/read-form.server';
import { titled } from '~/modules/ui/meta';
import { ResultsTable } from '~/components/results-table';

export const meta = titled('admin.emails.title');

export async function loader({ request, context }: LoaderFunctionArgs) {
  const viewer = await requirePermission(context, request, { action: 'admin.emails.manage' });
  const filter = parseSearchParams(request, outboxFilterSchema, viewer.locale);
  const outbox = await listOutbox(context.db, filter);
  return { ...outbox, status: filter.status ?? '', timeZone: viewer.timeZone };
}

export async function action({ request, context }: ActionFunctionArgs) {
  await requirePermission(context, request, { action: 'admin.emails.manage' });
  const formData = await readFormData(request);
  const id = formData.get('id');
  if (formData.get('intent') !== 'retry' || !isUuid(id)) notFound();
  if (await requeueFailedEmail(context, id)) {
    const url = new URL(request.url);
    return redirectWithFlash(context, request, url.pathname + url.search, { key: 'admin.emails.retried', tone: 'success' });
  }
  if (!(await outboxEmailStatus(context.db, id))) notFound();
  return data({ error: message('errors.emailNotFailed') }, { status: 409 });
}

const TONES = { queued: 'neutral', sending: 'warn', sent: 'ok', failed: 'bad' } as const;

export default function AdminEmails() {
  const { t, i18n } = useTranslation();
  const { rows, total, page, pages, status, timeZone } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  return (
    <section className="page">
      <h1>{t('admin.emails.title')}</h1>
      <p className="muted">{t('admin.emails.intro')}</p>
      <Form method="get" className="actions" style={{ alignItems: 'end', marginBottom: '1rem' }}>
        <div className="field">
          <label htmlFor="filter-status">{t('admin.emails.status')}</label>
          <select id="filter-status" name="status" defaultValue={status}>
            <option value="">{t('admin.emails.allStatuses')}</option>
            {OUTBOX_STATUSES.map((s) => (
              <option key={s} value={s}>
                {t(`admin.emails.statuses.${s}`)}
              </option>
            ))}
          </select>
        </div>
        <button type="submit" className="button-secondary">
          {t('common.applyFilters')}
        </button>
      </Form>
      <FormErrors errors={actionData?.error ? [actionData.error] : null} />
      <ResultsTable total={total} shown={rows.length} empty={t('admin.emails.empty')} label={t('admin.emails.title')} columns={[t('admin.emails.created'), t('admin.emails.to'), t('admin.emails.subject'), t('admin.emails.status'), t('admin.emails.attempts'), t('admin.emails.error')]}>
        {rows.map((row) => (
          <tr key={row.id}>
            <td>{formatDateTime(row.createdAt, timeZone, i18n.language)}</td>
            <td>{row.toAddress}</td>
            <td>{row.subject}</td>
            <td>
              <span className={`badge badge--${TONES[row.status]}`}>{t(`admin.emails.statuses.${row.status}`)}</span>
              {row.status === 'failed' ? (
                <Form method="post" style={{ marginTop: '0.4rem' }}>
                  <input type="hidden" name="intent" value="retry" />
                  <input type="hidden" name="id" value={row.id} />
                  <button type="submit" className="button-secondary" aria-label={t('admin.emails.retryFor', { to: row.toAddress })}>
                    {t('admin.emails.retry')}
                  </button>
                </Form>
              ) : null}
            </td>
            <td>{row.attempts}</td>
            <td style={{ overflowWrap: 'anywhere' }}>{row.lastError ?? ''}</td>
          </tr>
        ))}
      </ResultsTable>
      <Pagination page={page} pages={pages} />
    </section>
  );
}
