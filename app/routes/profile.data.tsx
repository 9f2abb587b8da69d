import { getFormProps, useForm } from '@conform-to/react';
import { getZodConstraint, parseWithZod } from '@conform-to/zod/v4';
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node';
import { Form, Link, useActionData } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import { FormErrors, TextField } from '~/components/forms';
import { readFormData } from '~/modules/forms/read-form.server';
import { requireOwnAccount } from '~/modules/policy/guard.server';
import { issueExportTicket } from '~/modules/privacy/export-ticket.server';
import { confirmOwnPassword, passwordRefusal } from '~/modules/privacy/password-check.server';
import { exportDataSchema } from '~/modules/privacy/schemas';
import { titled } from '~/modules/ui/meta';

export const meta = titled('privacy.export.title');

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
  const refused = passwordRefusal(await confirmOwnPassword(context, viewer, submission.value.password), submission);
  if (refused) return refused;
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
