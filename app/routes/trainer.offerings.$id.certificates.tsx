import { getFormProps, useForm, type SubmissionResult } from '@conform-to/react';
import { getZodConstraint, parseWithZod } from '@conform-to/zod/v4';
import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData, useLocation } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import { FormErrors, SelectField, TextAreaField } from '~/components/forms';
import { formatCode } from '~/modules/certificates/code';
import { issueByTrainer, revokeCertificate } from '~/modules/certificates/issue.server';
import { loadCertificatesPage } from '~/modules/certificates/page.server';
import { certificatesFilterSchema, issueSchema, revokeSchema } from '~/modules/certificates/schemas';
import { message } from '~/modules/forms/messages';
import { readFormData } from '~/modules/forms/read-form.server';
import { requireOfferingPermission } from '~/modules/offerings/access.server';
import { notFound } from '~/modules/policy/guard.server';
import { formatDateTime } from '~/modules/time/format';
import { redirectWithFlash } from '~/modules/ui/flash.server';
import { offeringPageTitle } from '~/modules/ui/meta';
import { parseSearchParams } from '~/modules/ui/search-params.server';

export const meta: MetaFunction = ({ matches }) => offeringPageTitle(matches, 'certificates.trainer.title');

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { viewer, access } = await requireOfferingPermission(context, request, params.id, 'certificate.manage');
  const filter = parseSearchParams(request, certificatesFilterSchema, viewer.locale);
  const page = await loadCertificatesPage(context.db, access.id);
  if (!page) notFound();
  const revoking = filter.revoke ? page.rows.find((row) => row.id === filter.revoke) : undefined;
  // A confirmation for a certificate of another offering, or one already revoked, is a page that does not exist.
  if (filter.revoke && (!revoking || revoking.status.kind === 'revoked')) notFound();
  return { ...page, revoking: revoking ?? null, timeZone: viewer.timeZone };
}

type ActionData = { intent: 'issue' | 'revoke'; result: SubmissionResult<string[]> };

export async function action({ request, context, params }: ActionFunctionArgs) {
  const { viewer, access } = await requireOfferingPermission(context, request, params.id, 'certificate.manage');
  const formData = await readFormData(request);
  const now = new Date();
  const back = `/trainer/offerings/${access.id}/certificates`;

  if (formData.get('intent') === 'revoke') {
    const submission = parseWithZod(formData, { schema: revokeSchema });
    if (submission.status !== 'success') return data<ActionData>({ intent: 'revoke', result: submission.reply() }, { status: 400 });
    const outcome = await revokeCertificate(context, { offeringId: access.id, certificateId: submission.value.certificateId, actorId: viewer.id, reason: submission.value.reason }, now);
    if (!outcome.ok) {
      if (outcome.reason === 'not-found') notFound();
      return data<ActionData>({ intent: 'revoke', result: submission.reply({ formErrors: [message('certificates.errors.alreadyRevoked')] }) }, { status: 409 });
    }
    return redirectWithFlash(context, request, back, { key: 'certificates.flash.revoked', params: { code: formatCode(outcome.code) }, tone: 'success' });
  }

  const submission = parseWithZod(formData, { schema: issueSchema });
  if (submission.status !== 'success') return data<ActionData>({ intent: 'issue', result: submission.reply() }, { status: 400 });
  const outcome = await issueByTrainer(context, { offeringId: access.id, enrolmentId: submission.value.enrolmentId, actorId: viewer.id, reason: submission.value.reason }, now);
  if (!outcome.ok) {
    if (outcome.reason === 'not-found') notFound();
    const error =
      outcome.reason === 'disabled'
        ? message('certificates.errors.disabled')
        : outcome.reason === 'not-eligible'
          ? message('certificates.errors.notEligible')
          : message('certificates.errors.alreadyHas', { name: outcome.name ?? '' });
    return data<ActionData>({ intent: 'issue', result: submission.reply({ formErrors: [error] }) }, { status: 409 });
  }
  return redirectWithFlash(context, request, back, { key: 'certificates.flash.issued', params: { name: outcome.certificate.snapshot.holderName }, tone: 'success' });
}

type LoaderData = ReturnType<typeof useLoaderData<typeof loader>>;

export default function OfferingCertificates() {
  const { t, i18n } = useTranslation();
  const loaderData = useLoaderData<typeof loader>();
  const { offering, rows, issuable, revoking, timeZone } = loaderData;
  const actionData = useActionData<typeof action>();
  const base = `/trainer/offerings/${offering.id}/certificates`;
  return (
    <section className="page" aria-labelledby="certificates-heading">
      <h2 id="certificates-heading" style={{ marginTop: 0 }}>
        {t('certificates.trainer.title')}
      </h2>
      <p>{t('certificates.trainer.intro')}</p>
      {offering.certificateEnabled ? null : (
        <div className="flash flash--info" role="note">
          {t('certificates.trainer.disabled')}
        </div>
      )}
      {revoking ? <ConfirmRevocation revoking={revoking} lastResult={actionData} /> : null}
      {rows.length === 0 ? (
        <p>{t('certificates.trainer.none')}</p>
      ) : (
        <>
          <p className="actions">
            <a href={`${base}.zip`} download>
              {t('certificates.trainer.downloadZip')}
            </a>
            <a href={`${base}.csv`} download>
              {t('certificates.trainer.downloadCsv')}
            </a>
          </p>
          <div className="table-scroll">
            <table>
              <thead>
                <tr>
                  <th scope="col">{t('certificates.trainer.code')}</th>
                  <th scope="col">{t('certificates.trainer.name')}</th>
                  <th scope="col">{t('certificates.trainer.email')}</th>
                  <th scope="col">{t('certificates.trainer.issued')}</th>
                  <th scope="col">{t('certificates.trainer.status')}</th>
                  <th scope="col">{t('certificates.trainer.actions')}</th>
                </tr>
              </thead>
              <tbody>
                {rows.map((row) => (
                  <tr key={row.id}>
                    <td>
                      <Link to={`/verify/${row.code}`}>{formatCode(row.code)}</Link>
                    </td>
                    {/* A certificate is withdrawn when its holder deleted their account: the name is erased and the address is a placeholder. */}
                    <td>{row.status.kind === 'withdrawn' ? <em>{t('privacy.deletedUser')}</em> : row.holderName}</td>
                    <td>{row.status.kind === 'withdrawn' ? '' : (row.email ?? '')}</td>
                    <td>{formatDateTime(row.issuedAt, timeZone, i18n.language)}</td>
                    <td>{t(`certificates.status.${row.status.kind}`)}</td>
                    <td className="actions">
                      <a href={`/certificates/${row.id}.pdf`}>{t('certificates.trainer.pdf')}</a>
                      {row.status.kind === 'valid' ? (
                        <Link to={`?revoke=${row.id}`} aria-label={t('certificates.trainer.revokeTitle', { code: formatCode(row.code) })}>
                          {t('certificates.trainer.revoke')}
                        </Link>
                      ) : null}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
      {offering.certificateEnabled ? <IssueForm issuable={issuable} lastResult={actionData} /> : null}
    </section>
  );
}

function ConfirmRevocation({ revoking, lastResult }: { revoking: NonNullable<LoaderData['revoking']>; lastResult: ActionData | undefined }) {
  const { t } = useTranslation();
  const [form, fields] = useForm({
    id: `revoke-${revoking.id}`,
    lastResult: lastResult?.intent === 'revoke' ? lastResult.result : undefined,
    constraint: getZodConstraint(revokeSchema),
    shouldValidate: 'onSubmit',
    onValidate: ({ formData }) => parseWithZod(formData, { schema: revokeSchema }),
  });
  return (
    <section className="card" aria-labelledby="revoke-heading" style={{ marginBottom: '1rem' }}>
      <h3 id="revoke-heading" style={{ marginTop: 0 }}>
        {t('certificates.trainer.revokeTitle', { code: formatCode(revoking.code) })}
      </h3>
      <p>{revoking.holderName}</p>
      <Form method="post" className="stack" {...getFormProps(form)}>
        <FormErrors errors={form.errors} id={form.errorId} />
        <input type="hidden" name="intent" value="revoke" />
        <input type="hidden" name="certificateId" value={revoking.id} />
        <TextAreaField meta={fields.reason} label={t('certificates.trainer.reason')} hint={t('certificates.trainer.reasonHint')} rows={3} />
        <div className="actions">
          <button type="submit" className="button-danger">
            {t('certificates.trainer.confirmRevoke')}
          </button>
          <Link to="?">{t('common.cancel')}</Link>
        </div>
      </Form>
    </section>
  );
}

function IssueForm({ issuable, lastResult }: { issuable: LoaderData['issuable']; lastResult: ActionData | undefined }) {
  const { t } = useTranslation();
  const location = useLocation();
  const [form, fields] = useForm({
    id: `issue-${location.key}`,
    lastResult: lastResult?.intent === 'issue' ? lastResult.result : undefined,
    constraint: getZodConstraint(issueSchema),
    shouldValidate: 'onSubmit',
    onValidate: ({ formData }) => parseWithZod(formData, { schema: issueSchema }),
  });
  return (
    <section aria-labelledby="issue-heading" style={{ marginTop: '1.5rem' }}>
      <h3 id="issue-heading">{t('certificates.trainer.issueTitle')}</h3>
      <p>{t('certificates.trainer.issueIntro')}</p>
      {issuable.length === 0 ? (
        <p>{t('certificates.trainer.nobodyToIssue')}</p>
      ) : (
        <Form method="post" className="stack" {...getFormProps(form)}>
          <FormErrors errors={form.errors} id={form.errorId} />
          <input type="hidden" name="intent" value="issue" />
          <SelectField
            meta={fields.enrolmentId}
            label={t('certificates.trainer.participant')}
            placeholder={t('certificates.trainer.choose')}
            options={issuable.map((p) => ({ value: p.enrolmentId, label: `${p.fullName} (${p.email})` }))}
          />
          <TextAreaField meta={fields.reason} label={t('certificates.trainer.issueReason')} rows={3} />
          <div className="actions">
            <button type="submit">{t('certificates.trainer.issue')}</button>
          </div>
        </Form>
      )}
    </section>
  );
}
