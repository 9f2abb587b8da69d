import { getFormProps, useForm } from '@conform-to/react';
import { getZodConstraint, parseWithZod } from '@conform-to/zod/v4';
import { data, type ActionFunctionArgs } from '@remix-run/node';
import { Form, useActionData } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import { FormErrors, Honeypot, TextField } from '~/components/forms';
import { requestPasswordReset } from '~/modules/auth/accounts.server';
import { isHoneypotFilled } from '~/modules/auth/forms.server';
import { tooManyAttempts } from '~/modules/auth/limit-response.server';
import { consumeLimits } from '~/modules/auth/rate-limit.server';
import { forgotPasswordSchema } from '~/modules/auth/schemas';
import { message } from '~/modules/forms/messages';
import { readFormData } from '~/modules/forms/read-form.server';
import { titled } from '~/modules/ui/meta';
import { passOnHeaders } from '~/modules/ui/headers';

export const headers = passOnHeaders;

export const meta = titled('auth.forgot.title');

export async function action({ request, context }: ActionFunctionArgs) {
  const formData = await readFormData(request);
  if (isHoneypotFilled(formData)) return data({ result: { status: 'error' as const, error: { '': [message('errors.formProblem')] } }, sent: false }, { status: 400 });
  const submission = parseWithZod(formData, { schema: forgotPasswordSchema });
  if (submission.status !== 'success') return data({ result: submission.reply(), sent: false }, { status: 400 });
  const limit = await consumeLimits(context, [
    ['resetAddress', context.clientAddress],
    ['resetAccount', submission.value.email],
  ]);
  if (limit.limited) {
    const { message: text, init } = tooManyAttempts(limit);
    return data({ result: submission.reply({ formErrors: [text] }), sent: false }, init);
  }
  await requestPasswordReset(context, submission.value.email, new Date());
  // The same answer whether or not the account exists, so nobody can test addresses here.
  return { result: submission.reply({ resetForm: true }), sent: true };
}

export default function ForgotPassword() {
  const { t } = useTranslation();
  const actionData = useActionData<typeof action>();
  const [form, fields] = useForm({
    id: 'forgot-password',
    lastResult: actionData?.result,
    constraint: getZodConstraint(forgotPasswordSchema),
    shouldValidate: 'onBlur',
    onValidate: ({ formData }) => parseWithZod(formData, { schema: forgotPasswordSchema }),
  });
  return (
    <section className="page narrow">
      <h1>{t('auth.forgot.title')}</h1>
      {actionData?.sent ? (
        <p className="flash flash--success" role="status">
          {t('auth.forgot.sent')}
        </p>
      ) : null}
      <p>{t('auth.forgot.intro')}</p>
      <Form method="post" className="stack" {...getFormProps(form)}>
        <FormErrors errors={form.errors} id={form.errorId} />
        <Honeypot />
        <TextField meta={fields.email} type="email" label={t('auth.fields.email')} autoComplete="email" />
        <div className="actions">
          <button type="submit">{t('auth.forgot.submit')}</button>
        </div>
      </Form>
    </section>
  );
}
