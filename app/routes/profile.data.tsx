import { getFormProps, useForm } from '@conform-to/react';
import { getZodConstraint, parseWithZod } from '@conform-to/zod/v4';
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node';
import { Form, Link, useActionData } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import { FormErrors, TextField } from '~/components/forms';
import { tooManyAttempts } from '~/modules/auth/limit-response.server';
import { requireViewer } from '~/modules/auth/viewer.server';
import { message } from '~/modules/forms/messages';
import { readFormData } from '~/modules/forms/read-form.server';
import { requirePermission } from '~/modules/policy/guard.server';
import { issueExportTicket } from '~/modules/privacy/export-ticket.server';
import { confirmOwnPassword } from '~/modules/privacy/password-check.server';
import { exportDataSchema } from '~/modules/privacy/schemas';
import { titled } from '~/modules/ui/meta';

export const meta = titled('privacy.export.title');

/** One's own data only: there is no user id in the URL, the policy is asked about the viewer's own account. */
async function requireOwnAccount(context: LoaderFunctionArgs['context'], request: Request) {
  const viewer = await requireViewer(context, request);
  return requirePermission(context, request, { action: 'account.manage', userId: viewer.id });
}

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireOwnAccount(context, request);
  return null;
}

/**
 * Checks the password, then sends the browser on to the file
 * (profile.data[.]json.ts) with a one-minute ticket: a page route's action
 * cannot answer a form post with a file, Remix renders the page instead.
 */
export async function action({ request, context }: ActionFunctionArgs) {
  const viewer = await requireOwnAccount(context, request);
  const submission = parseWithZod(await readFormData(request), { schema: exportDataSchema });
  if (submission.status !== 'success') return data({ result: submission.reply({ hideFields: ['password'] }) }, { status: 400 });
  const check = await confirmOwnPassword(context, viewer, submission.value.password);
  if (!check.ok && check.reason === 'locked') {
    const limited = tooManyAttempts(check.check);
    return data({ result: submission.reply({ formErrors: [limited.message], hideFields: ['password'] }) }, limited.init);
  }
  if (!check.ok) {
    return data({ result: submission.reply({ fieldErrors: { password: [message('errors.wrongPassword')] }, hideFields: ['password'] }) }, { status: 400 });
  }
  const ticket = issueExportTicket(context.config.sessionSecret, { userId: viewer.id, sessionId: viewer.sessionId }, new Date());
  return redirect(`/profile/data.json?ticket=${encodeURIComponent(ticket)}`, 303);
}

export default function DownloadMyData() {
  const { t } = useTranslation();
  const actionData = useActionData<typeof action>();
  const [form, fields] = useForm({
    id: 'export-data',
    lastResult: actionData?.result,
    constraint: getZodConstraint(exportDataSchema),
    shouldValidate: 'onBlur',
    // Once an error shows, it clears while typing, so the button does not move under the pointer as it is clicked.
    shouldRevalidate: 'onInput',
    onValidate: ({ formData }) => parseWithZod(formData, { schema: exportDataSchema }),
  });
  return (
    <section className="page narrow">
      <h1>{t('privacy.export.title')}</h1>
      <p>{t('privacy.export.intro')}</p>
      <p className="muted">{t('privacy.export.secrets')}</p>
      {/* A document post: the browser follows the redirect to the file and saves it, which a fetch by the router could not do. */}
      <Form method="post" reloadDocument className="stack" {...getFormProps(form)}>
        <FormErrors errors={form.errors} id={form.errorId} />
        <TextField meta={fields.password} type="password" label={t('auth.fields.currentPassword')} hint={t('privacy.export.passwordHint')} autoComplete="current-password" />
        <div className="actions">
          <button type="submit">{t('privacy.export.submit')}</button>
        </div>
      </Form>
      <p>
        <Link to="/profile">{t('nav.profile')}</Link>
      </p>
    </section>
  );
}
