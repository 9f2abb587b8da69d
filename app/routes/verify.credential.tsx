import { getFormProps, useForm } from '@conform-to/react';
import { getZodConstraint, parseWithZod } from '@conform-to/zod/v4';
import { data, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import { FormErrors, TextAreaField } from '~/components/forms';
import { getViewer } from '~/modules/auth/viewer.server';
import { verifyCredential } from '~/modules/badges/credentials.server';
import { credentialReport, type CredentialReport } from '~/modules/badges/report';
import { verifyCredentialSchema } from '~/modules/badges/schemas';
import { formatInstant } from '~/modules/catalogue/datetime';
import { readFormData } from '~/modules/forms/read-form.server';
import { resolvePreferences } from '~/modules/i18n/preferences.server';
import { titled } from '~/modules/ui/meta';

export const meta = titled('badges.verify.title');

export async function loader({ request, context }: LoaderFunctionArgs) {
  const viewer = await getViewer(context, request);
  const { timeZone } = await resolvePreferences(context, request, viewer);
  return { timeZone };
}

/**
 * Checks a pasted Open Badges credential: signature against our JWKS,
 * issuer, validity dates and what became of the certificate. Anything that
 * is not a sound credential of ours is answered with 400 and a plain reason.
 */
export async function action({ request, context }: ActionFunctionArgs) {
  const formData = await readFormData(request);
  const submission = parseWithZod(formData, { schema: verifyCredentialSchema });
  if (submission.status !== 'success') return data({ result: submission.reply(), problem: null, report: null }, { status: 400 });
  const check = await verifyCredential(context, submission.value.token, new Date());
  if (!check.ok) return data({ result: submission.reply(), problem: check.problem, report: null }, { status: 400 });
  return { result: submission.reply(), problem: null, report: credentialReport(check.credential, check.validity, check.certificate) };
}

function Standing({ report }: { report: CredentialReport }) {
  const { t, i18n } = useTranslation();
  const { timeZone } = useLoaderData<typeof loader>();
  const date = (iso: string) => formatInstant(iso, 'date', timeZone, i18n.language);
  const certificate = report.certificate;
  if (!certificate) {
    return (
      <p className="flash flash--error" role="status">
        {t('badges.verify.status.unknown')}
      </p>
    );
  }
  const { standing } = certificate;
  const link = (
    <Link to={`/verify/${certificate.code}`}>{t('badges.verify.certificateLink', { code: certificate.printedCode })}</Link>
  );
  switch (standing.state) {
    case 'valid':
      return (
        <p className="flash flash--success" role="status">
          {t('badges.verify.status.valid')} {link}
        </p>
      );
    case 'revoked':
      return (
        <p className="flash flash--error" role="status">
          {t('badges.verify.status.revoked', { date: date(standing.at), reason: standing.reason })} {link}
        </p>
      );
    case 'superseded':
      return (
        <p className="flash flash--error" role="status">
          {t('badges.verify.status.superseded', { date: date(standing.at) })}{' '}
          {standing.byCode ? (
            <Link to={`/verify/${standing.byCode}`}>{t('badges.verify.newerLink', { code: certificate.newerPrintedCode ?? standing.byCode })}</Link>
          ) : (
            link
          )}
        </p>
      );
    case 'withdrawn':
      return (
        <p className="flash flash--error" role="status">
          {t('badges.verify.status.withdrawn', { date: date(standing.at) })}
        </p>
      );
  }
}

function Claim({ report }: { report: CredentialReport }) {
  const { t, i18n } = useTranslation();
  const { timeZone } = useLoaderData<typeof loader>();
  const date = (iso: string) => formatInstant(iso, 'date', timeZone, i18n.language);
  const rows: [string, string][] = [
    [t('badges.verify.fields.holder'), report.holderName ?? '—'],
    [t('badges.verify.fields.achievement'), report.achievementName],
    ...(report.description ? [[t('badges.verify.fields.description'), report.description] as [string, string]] : []),
    ...(report.hours !== null
      ? [[t(report.hoursKind === 'expected' ? 'badges.verify.fields.expectedHours' : 'badges.verify.fields.attendedHours'), String(report.hours)] as [string, string]]
      : []),
    ...(report.activityStartDate ? [[t('badges.verify.fields.started'), date(report.activityStartDate)] as [string, string]] : []),
    ...(report.activityEndDate ? [[t('badges.verify.fields.completed'), date(report.activityEndDate)] as [string, string]] : []),
    [t('badges.verify.fields.issued'), date(report.validFrom)],
    [t('badges.verify.fields.issuer'), report.issuerName],
    ...(report.criteria ? [[t('badges.verify.fields.criteria'), report.criteria] as [string, string]] : []),
  ];
  return (
    <section aria-labelledby="credential-claim" className="card stack">
      <h2 id="credential-claim" style={{ margin: 0 }}>
        {report.credentialName}
      </h2>
      <p className="flash flash--success" style={{ margin: 0 }}>
        {t('badges.verify.signatureValid')}
      </p>
      {report.validity !== 'current' ? (
        <p className="flash flash--error" style={{ margin: 0 }}>
          {t(report.validity === 'notYetValid' ? 'badges.verify.notYetValid' : 'badges.verify.expired')}
        </p>
      ) : null}
      <Standing report={report} />
      <dl>
        {rows.map(([term, value]) => (
          <div key={term}>
            <dt>{term}</dt>
            <dd>{value}</dd>
          </div>
        ))}
      </dl>
    </section>
  );
}

export default function VerifyCredential() {
  const { t } = useTranslation();
  const actionData = useActionData<typeof action>();
  const [form, fields] = useForm({
    id: 'verify-credential',
    lastResult: actionData?.result,
    constraint: getZodConstraint(verifyCredentialSchema),
    shouldValidate: 'onBlur',
    onValidate: ({ formData }) => parseWithZod(formData, { schema: verifyCredentialSchema }),
  });
  return (
    <section className="page narrow">
      <h1>{t('badges.verify.title')}</h1>
      <p>{t('badges.verify.intro')}</p>
      {actionData?.problem ? (
        <p className="flash flash--error" role="alert">
          {t(`badges.verify.problems.${actionData.problem}`)}
        </p>
      ) : null}
      {actionData?.report ? <Claim report={actionData.report} /> : null}
      <Form method="post" className="stack" {...getFormProps(form)}>
        <FormErrors errors={form.errors} id={form.errorId} />
        <TextAreaField
          meta={fields.token}
          label={t('badges.verify.tokenLabel')}
          hint={t('badges.verify.tokenHint')}
          rows={8}
          spellCheck={false}
          autoComplete="off"
          style={{ fontFamily: 'monospace', wordBreak: 'break-all' }}
        />
        <div className="actions">
          <button type="submit">{t('badges.verify.submit')}</button>
        </div>
      </Form>
      <p className="muted">
        {t('badges.verify.keysNote')} <a href="/.well-known/jwks.json">/.well-known/jwks.json</a> · <a href="/badges/issuer">/badges/issuer</a>
      </p>
    </section>
  );
}
