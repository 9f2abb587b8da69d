import { getFormProps, useForm, type SubmissionResult } from '@conform-to/react';
import { getZodConstraint, parseWithZod } from '@conform-to/zod/v4';
import { data, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node';
import { Form, useActionData, useLoaderData } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import { FormErrors, TextAreaField } from '~/components/forms';
import { Pagination } from '~/components/pagination';
import { message } from '~/modules/forms/messages';
import { notFound, requirePermission } from '~/modules/policy/guard.server';
import { reviewableCountries } from '~/modules/policy/policy';
import { formatDateTime } from '~/modules/time/format';
import { redirectWithFlash } from '~/modules/ui/flash.server';
import { isUuid } from '~/modules/ui/ids';
import { badRequest, parseSearchParams } from '~/modules/ui/search-params.server';
import { countryName, isKnownCountry } from '~/modules/users/reference-data.server';
import { decisionSchema, QUEUE_STATUSES, queueFilterSchema } from '~/modules/validation/schemas';
import {
  countriesWithRequests,
  decideValidation,
  findValidationRequest,
  listValidationQueue,
} from '~/modules/validation/validation.server';
import { readFormData } from '~/modules/forms/read-form.server';
import { titled } from '~/modules/ui/meta';

export const meta = titled('validation.queue.title');

export async function loader({ request, context }: LoaderFunctionArgs) {
  const viewer = await requirePermission(context, request, { action: 'validation.review' });
  const filter = parseSearchParams(request, queueFilterSchema, viewer.locale);
  if (filter.country) {
    if (!isKnownCountry(filter.country)) badRequest(viewer.locale, 'errors.badFilter');
    // A country outside the officer's own is as invisible as any other page they may not see.
    await requirePermission(context, request, { action: 'validation.review', country: filter.country });
  }
  const scope = reviewableCountries(viewer);
  const queue = await listValidationQueue(context.db, { scope, ...filter });
  const choices = scope === 'all' ? await countriesWithRequests(context.db) : scope;
  return {
    ...queue,
    rows: queue.rows.map(({ userId, ...row }) => ({ ...row, own: userId === viewer.id, countryName: countryName(row.country, viewer.locale) })),
    filter: { status: filter.status, country: filter.country ?? '' },
    countryChoices: choices.length > 1 || scope === 'all' ? choices.map((code) => ({ value: code, label: countryName(code, viewer.locale) })) : [],
    timeZone: viewer.timeZone,
  };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const viewer = await requirePermission(context, request, { action: 'validation.review' });
  const formData = await readFormData(request);
  const requestId = formData.get('requestId');
  if (!isUuid(requestId)) notFound();
  const target = await findValidationRequest(context.db, requestId);
  if (!target) notFound();
  await requirePermission(context, request, { action: 'validation.review', country: target.country });

  const submission = parseWithZod(formData, { schema: decisionSchema });
  if (submission.status !== 'success') return data({ requestId, result: submission.reply() }, { status: 400 });
  const { intent, reason = '' } = submission.value;
  const outcome = await decideValidation(context, { requestId, deciderId: viewer.id, decision: intent, reason }, new Date());
  if (!outcome.ok) {
    if (outcome.reason === 'not-found') notFound();
    if (outcome.reason === 'own-request') {
      return data({ requestId, result: submission.reply({ formErrors: [message('errors.cannotDecideOwnRequest')] }) }, { status: 403 });
    }
    return data({ requestId, result: submission.reply({ formErrors: [message('errors.alreadyDecided')] }) }, { status: 409 });
  }
  const url = new URL(request.url);
  return redirectWithFlash(context, request, url.pathname + url.search, {
    key: intent === 'approve' ? 'validation.queue.approved' : 'validation.queue.rejected',
    params: { name: outcome.participantName },
    tone: 'success',
  });
}

type Row = ReturnType<typeof useLoaderData<typeof loader>>['rows'][number];

const STATUS_LABELS = {
  pending: 'validation.queue.statusPending',
  approved: 'validation.queue.statusApproved',
  rejected: 'validation.queue.statusRejected',
  withdrawn: 'validation.queue.statusRejected',
} as const;

function DecisionForm({ row, lastResult }: { row: Row; lastResult?: SubmissionResult<string[]> }) {
  const { t } = useTranslation();
  const [form, fields] = useForm({
    id: `decide-${row.id}`,
    lastResult,
    constraint: getZodConstraint(decisionSchema),
    shouldValidate: 'onSubmit',
    shouldRevalidate: 'onInput',
    onValidate: ({ formData }) => parseWithZod(formData, { schema: decisionSchema }),
  });
  return (
    <Form method="post" className="stack" {...getFormProps(form)}>
      <FormErrors errors={form.errors} id={form.errorId} />
      <input type="hidden" name="requestId" value={row.id} />
      <TextAreaField meta={fields.reason} label={t('validation.queue.reason')} rows={2} />
      <div className="actions">
        <button type="submit" name="intent" value="approve" aria-label={t('validation.queue.approveFor', { name: row.fullName })}>
          {t('validation.queue.approve')}
        </button>
        <button type="submit" name="intent" value="reject" className="button-danger" aria-label={t('validation.queue.rejectFor', { name: row.fullName })}>
          {t('validation.queue.reject')}
        </button>
      </div>
    </Form>
  );
}

function DecidedCell({ row, timeZone, locale }: { row: Row; timeZone: string; locale: string }) {
  const { t } = useTranslation();
  const date = row.decidedAt ? formatDateTime(row.decidedAt, timeZone, locale) : '';
  return (
    <>
      <span className={`badge badge--${row.status === 'approved' ? 'ok' : 'bad'}`}>{t(STATUS_LABELS[row.status])}</span>
      {row.decidedAt ? (
        <p style={{ margin: '0.25rem 0 0' }}>
          {row.decidedByName ? t('validation.queue.decidedBy', { name: row.decidedByName, date }) : t('validation.queue.decidedOn', { date })}
        </p>
      ) : null}
      {row.reason ? <p style={{ margin: '0.25rem 0 0' }}>{t('validation.request.reason', { reason: row.reason })}</p> : null}
    </>
  );
}

export default function Validations() {
  const { t, i18n } = useTranslation();
  const { rows, total, page, pages, filter, countryChoices, timeZone } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const locale = i18n.language;
  // A request someone else decided meanwhile has left this list; its message still needs a place.
  const orphanErrors = actionData && !rows.some((row) => row.id === actionData.requestId) ? (actionData.result.error?.[''] ?? null) : null;
  return (
    <section className="page">
      <h1>{t('validation.queue.title')}</h1>
      <p className="muted">{t('validation.queue.intro')}</p>
      <Form method="get" className="actions" style={{ alignItems: 'end', marginBottom: '1rem' }}>
        <div className="field">
          <label htmlFor="filter-status">{t('validation.queue.filterStatus')}</label>
          <select id="filter-status" name="status" defaultValue={filter.status}>
            {QUEUE_STATUSES.map((status) => (
              <option key={status} value={status}>
                {t(STATUS_LABELS[status])}
              </option>
            ))}
          </select>
        </div>
        {countryChoices.length > 0 ? (
          <div className="field">
            <label htmlFor="filter-country">{t('validation.queue.country')}</label>
            <select id="filter-country" name="country" defaultValue={filter.country}>
              <option value="">{t('validation.queue.allCountries')}</option>
              {countryChoices.map((choice) => (
                <option key={choice.value} value={choice.value}>
                  {choice.label}
                </option>
              ))}
            </select>
          </div>
        ) : null}
        <button type="submit" className="button-secondary">
          {t('common.applyFilters')}
        </button>
      </Form>
      <FormErrors errors={orphanErrors} />
      <p role="status">{t('common.found', { count: total })}</p>
      {rows.length === 0 ? (
        <p>{t('validation.queue.empty')}</p>
      ) : (
        <div className="table-wrap" tabIndex={0} role="region" aria-label={t('validation.queue.title')}>
          <table>
            <thead>
              <tr>
                <th scope="col">{t('validation.queue.participant')}</th>
                <th scope="col">{t('validation.queue.school')}</th>
                <th scope="col">{t('validation.queue.role')}</th>
                <th scope="col">{t('validation.queue.country')}</th>
                <th scope="col">{t('validation.queue.note')}</th>
                <th scope="col">{t('validation.queue.requestedAt')}</th>
                <th scope="col" style={{ minWidth: '16rem' }}>
                  {t('validation.queue.decision')}
                </th>
              </tr>
            </thead>
            <tbody>
              {rows.map((row) => (
                <tr key={row.id}>
                  <td>
                    {row.fullName}
                    <br />
                    <span className="muted">{row.email}</span>
                  </td>
                  <td>{row.school}</td>
                  <td>{t(`auth.schoolRoles.${row.schoolRole}`)}</td>
                  <td>{row.countryName}</td>
                  <td style={{ whiteSpace: 'pre-wrap' }}>{row.note}</td>
                  <td>{formatDateTime(row.createdAt, timeZone, locale)}</td>
                  <td>
                    {row.status === 'pending' && row.own ? (
                      <p className="muted">{t('validation.queue.ownRequest')}</p>
                    ) : row.status === 'pending' ? (
                      <DecisionForm row={row} lastResult={actionData?.requestId === row.id ? actionData.result : undefined} />
                    ) : (
                      <DecidedCell row={row} timeZone={timeZone} locale={locale} />
                    )}
                  </td>
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
