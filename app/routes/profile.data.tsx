import { getFormProps, useForm } from '@conform-to/react';
import { getZodConstraint, parseWithZod } from '@conform-to/zod/v4';
import { data, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node';
import { Form, Link, useActionData } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import { FormErrors, TextField } from '~/components/forms';
import { tooManyAttempts } from '~/modules/auth/limit-response.server';
import { requireViewer } from '~/modules/auth/viewer.server';
import { message } from '~/modules/forms/messages';
import { readFormData } from '~/modules/forms/read-form.server';
import { notFound, requirePermission } from '~/modules/policy/guard.server';
import { buildDataExport, dataExportFileName } from '~/modules/privacy/export.server';
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

/** Answers with the JSON file itself when the password is right; the form posts as a document so the browser saves it. */
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
  const now = new Date();
  const exported = await buildDataExport(context.db, viewer.id, { appUrl: context.config.appUrl }, now);
  if (!exported) notFound();
  return new Response(JSON.stringify(exported, null, 2), {
    headers: {
      'Content-Type': 'application/json; charset=utf-8',
      'Content-Disposition': `attachment; filename="${dataExportFileName(now)}"`,
      'Cache-Control': 'no-store',
    },
  });
}

export default function DownloadMyData() {
  const { t } = useTranslation();
  const actionData = useActionData<typeof action>();
  const [form, fields] = useForm({
    id: 'export-data',
    lastResult: actionData?.result,
    constraint: getZodConstraint(exportDataSchema),
    shouldValidate: 'onBlur',
    onValidate: ({ formData }) => parseWithZod(formData, { schema: exportDataSchema }),
  });
  return (
    <section className="page narrow">
      <h1>{t('privacy.export.title')}</h1>
      <p>{t('privacy.export.intro')}</p>
      <p className="muted">{t('privacy.export.secrets')}</p>
      {/* A document post: the answer is a file the browser saves, which a fetch by the router could not do. */}
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
