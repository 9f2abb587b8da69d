import { getFormProps, useForm } from '@conform-to/react';
import { getZodConstraint, parseWithZod } from '@conform-to/zod/v4';
import { data, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import { FormErrors, TextAreaField } from '~/components/forms';
import { message } from '~/modules/forms/messages';
import { policyEnvironment, requireOwnAccount } from '~/modules/policy/guard.server';
import { can } from '~/modules/policy/policy';
import { formatDate } from '~/modules/time/format';
import { redirectWithFlash } from '~/modules/ui/flash.server';
import { countryName } from '~/modules/users/reference-data.server';
import { validationRequestSchema } from '~/modules/validation/schemas';
import { requestValidation, validationOverview } from '~/modules/validation/validation.server';
import { readFormData } from '~/modules/forms/read-form.server';
import { titled } from '~/modules/ui/meta';

export const meta = titled('validation.request.title');

export async function loader({ request, context }: LoaderFunctionArgs) {
  const viewer = await requireOwnAccount(context, request);
  const overview = await validationOverview(context.db, viewer.id);
  if (!overview) throw data({ message: 'Not found' }, { status: 404 });
  return {
    overview: { ...overview, countryName: countryName(overview.country, viewer.locale) },
    pendingCountryName: overview.pending ? countryName(overview.pending.country, viewer.locale) : null,
    mayRequest: can(viewer, { action: 'validation.request' }, policyEnvironment(context)),
    timeZone: viewer.timeZone,
  };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const viewer = await requireOwnAccount(context, request);
  const formData = await readFormData(request);
  const submission = parseWithZod(formData, { schema: validationRequestSchema });
  // Unverified addresses are refused by the policy; the page says why instead of hiding it.
  if (!can(viewer, { action: 'validation.request' }, policyEnvironment(context))) {
    return data({ result: submission.reply({ formErrors: [message('errors.verifyEmailFirst')] }) }, { status: 403 });
  }
  if (submission.status !== 'success') return data({ result: submission.reply() }, { status: 400 });
  const outcome = await requestValidation(context, viewer.id, submission.value, new Date());
  if (!outcome.ok) {
    if (outcome.reason === 'not-found') throw data({ message: 'Not found' }, { status: 404 });
    const key = outcome.reason === 'already-pending' ? 'errors.validationAlreadyPending' : 'errors.validationAlreadyValidated';
    return data({ result: submission.reply({ formErrors: [message(key)] }) }, { status: 409 });
  }
  return redirectWithFlash(context, request, '/profile/validation', {
    key: 'validation.request.sent',
    params: { country: countryName(outcome.country, viewer.locale) },
    tone: 'success',
  });
}

function statusTone(status: string) {
  return status === 'validated' ? 'ok' : status === 'pending' ? 'warn' : status === 'rejected' ? 'bad' : 'neutral';
}

export default function ProfileValidation() {
  const { t, i18n } = useTranslation();
  const { overview, pendingCountryName, mayRequest, timeZone } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [form, fields] = useForm({
    id: 'validation-request',
    lastResult: actionData?.result,
    constraint: getZodConstraint(validationRequestSchema),
    shouldValidate: 'onBlur',
    shouldRevalidate: 'onInput',
    onValidate: ({ formData }) => parseWithZod(formData, { schema: validationRequestSchema }),
  });
  const locale = i18n.language;
  const { staffStatus, pending, lastDecision } = overview;
  const mayAsk = staffStatus !== 'validated' && !pending;
  return (
    <section className="page narrow">
      <h1>{t('validation.request.title')}</h1>
      <p>{t('validation.request.intro')}</p>
      <p>
        {t('validation.statusLabel')}:{' '}
        <span className={`badge badge--${statusTone(staffStatus)}`}>{t(`validation.status.${staffStatus}`)}</span>
      </p>

      {pending ? (
        <p className="flash flash--info">
          {t('validation.request.pendingSince', { date: formatDate(pending.createdAt, timeZone, locale), country: pendingCountryName ?? '' })}
        </p>
      ) : null}
      {staffStatus === 'validated' ? <p className="flash flash--success">{t('validation.request.alreadyValidated')}</p> : null}

      {lastDecision?.decidedAt ? (
        <div className="card">
          <p style={{ margin: 0 }}>
            {t('validation.request.lastDecision', {
              decision: t(lastDecision.status === 'approved' ? 'validation.queue.statusApproved' : 'validation.queue.statusRejected'),
              date: formatDate(lastDecision.decidedAt, timeZone, locale),
            })}
          </p>
          {lastDecision.reason ? <p style={{ marginBottom: 0 }}>{t('validation.request.reason', { reason: lastDecision.reason })}</p> : null}
          {lastDecision.status === 'rejected' && mayAsk ? <p style={{ marginBottom: 0 }}>{t('validation.request.askAgain')}</p> : null}
        </div>
      ) : null}

      {mayAsk && !mayRequest ? (
        <div className="flash flash--info">
          <p style={{ margin: 0 }}>{t('validation.request.needsVerifiedEmail')}</p>
          <p style={{ margin: 0 }}>{t('auth.verify.pending')}</p>
          <Form method="post" action="/verify-email">
            <button type="submit" className="link-button">
              {t('auth.verify.resend')}
            </button>
          </Form>
        </div>
      ) : null}

      {mayAsk && mayRequest ? (
        <>
          <h2>{t('validation.request.submit')}</h2>
          <p>{t('validation.request.profileIntro')}</p>
          <dl className="facts">
            <dt>{t('auth.fields.country')}</dt>
            <dd>{overview.countryName}</dd>
            <dt>{t('auth.fields.school')}</dt>
            <dd>{overview.school}</dd>
            <dt>{t('auth.fields.schoolRole')}</dt>
            <dd>{t(`auth.schoolRoles.${overview.schoolRole}`)}</dd>
          </dl>
          <p>
            <Link to="/profile">{t('validation.request.editProfile')}</Link>
          </p>
          <Form method="post" className="stack" {...getFormProps(form)}>
            <FormErrors errors={form.errors} id={form.errorId} />
            <TextAreaField meta={fields.note} label={t('validation.request.note')} hint={t('validation.request.noteHint')} />
            <div className="actions">
              <button type="submit">{t('validation.request.submit')}</button>
            </div>
          </Form>
        </>
      ) : (
        <FormErrors errors={form.errors} id={form.errorId} />
      )}
    </section>
  );
}
