import { getFormProps, useForm } from '@conform-to/react';
import { getZodConstraint, parseWithZod } from '@conform-to/zod/v4';
import { data, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import { FormErrors, TextField } from '~/components/forms';
import { checkResetToken, resetPassword } from '~/modules/auth/accounts.server';
import { serverResetPasswordSchema } from '~/modules/auth/forms.server';
import { resetPasswordSchema } from '~/modules/auth/schemas';
import { message } from '~/modules/forms/messages';
import { redirectWithFlash } from '~/modules/ui/flash.server';
import { readFormData } from '~/modules/forms/read-form.server';
import { titled } from '~/modules/ui/meta';
import { passOnHeaders } from '~/modules/ui/headers';

export const headers = passOnHeaders;

export const meta = titled('auth.reset.title');

/** Showing the form does not use the link up (mail scanners open links); only saving does. */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const token = new URL(request.url).searchParams.get('token') ?? '';
  const state = token && token.length <= 200 ? await checkResetToken(context.db, token, new Date()) : 'invalid';
  return data({ token, state }, { status: state === 'valid' ? 200 : 400, headers: { 'Referrer-Policy': 'no-referrer' } });
}

export async function action({ request, context }: ActionFunctionArgs) {
  const formData = await readFormData(request);
  const submission = parseWithZod(formData, { schema: serverResetPasswordSchema });
  if (submission.status !== 'success') return data({ result: submission.reply({ hideFields: ['password'] }) }, { status: 400 });
  const outcome = await resetPassword(context, submission.value.token, submission.value.password, new Date());
  if (!outcome.ok) {
    const key = outcome.reason === 'expired' ? 'errors.tokenExpired' : 'errors.tokenInvalid';
    return data({ result: submission.reply({ formErrors: [message(key)], hideFields: ['password'] }) }, { status: 400 });
  }
  return redirectWithFlash(context, request, '/login', { key: 'auth.reset.done', tone: 'success' });
}

export default function ResetPassword() {
  const { t } = useTranslation();
  const { token, state } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [form, fields] = useForm({
    id: 'reset-password',
    lastResult: actionData?.result,
    constraint: getZodConstraint(resetPasswordSchema),
    shouldValidate: 'onBlur',
    onValidate: ({ formData }) => parseWithZod(formData, { schema: resetPasswordSchema }),
  });
  if (state !== 'valid') {
    return (
      <section className="page narrow">
        <h1>{t('auth.reset.title')}</h1>
        <FormErrors errors={[state === 'expired' ? 'errors.tokenExpired' : 'errors.tokenInvalid']} />
        <p>
          <Link to="/forgot-password">{t('auth.forgot.title')}</Link>
        </p>
      </section>
    );
  }
  return (
    <section className="page narrow">
      <h1>{t('auth.reset.title')}</h1>
      <Form method="post" className="stack" {...getFormProps(form)}>
        <FormErrors errors={form.errors} id={form.errorId} />
        <input type="hidden" name="token" value={token} />
        <TextField meta={fields.password} type="password" label={t('auth.fields.newPassword')} hint={t('auth.fields.passwordHint')} autoComplete="new-password" />
        <div className="actions">
          <button type="submit">{t('auth.reset.submit')}</button>
        </div>
      </Form>
    </section>
  );
}
