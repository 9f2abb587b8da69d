import { getFormProps, useForm } from '@conform-to/react';
import { getZodConstraint, parseWithZod } from '@conform-to/zod/v4';
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData, useRouteLoaderData } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import { FormErrors, Honeypot, TextField } from '~/components/forms';
import { ProfileFields } from '~/components/profile-fields';
import { registerAccount } from '~/modules/auth/accounts.server';
import { isHoneypotFilled, serverRegisterSchema } from '~/modules/auth/forms.server';
import { tooManyAttempts } from '~/modules/auth/limit-response.server';
import { consumeLimits } from '~/modules/auth/rate-limit.server';
import { registerSchema } from '~/modules/auth/schemas';
import { startSession } from '~/modules/auth/sign-in.server';
import { getViewer } from '~/modules/auth/viewer.server';
import { message } from '~/modules/forms/messages';
import { resolvePreferences } from '~/modules/i18n/preferences.server';
import { redirectWithFlash } from '~/modules/ui/flash.server';
import { profileFormOptions } from '~/modules/users/form-options.server';
import type { loader as rootLoader } from '~/root';
import { readFormData } from '~/modules/forms/read-form.server';
import { titled } from '~/modules/ui/meta';
import { passOnHeaders } from '~/modules/ui/headers';

export const headers = passOnHeaders;

export const meta = titled('auth.register.title');

export async function loader({ request, context }: LoaderFunctionArgs) {
  if (await getViewer(context, request)) throw redirect('/');
  const { locale } = await resolvePreferences(context, request, null);
  return profileFormOptions(locale);
}

export async function action({ request, context }: ActionFunctionArgs) {
  const formData = await readFormData(request);
  const limit = await consumeLimits(context, [['register', context.clientAddress]]);
  if (limit.limited) {
    const { message: text, init } = tooManyAttempts(limit);
    return data({ result: { status: 'error' as const, error: { '': [text] } } }, init);
  }
  if (isHoneypotFilled(formData)) {
    return data({ result: { status: 'error' as const, error: { '': [message('errors.formProblem')] } } }, { status: 400 });
  }
  const submission = parseWithZod(formData, { schema: serverRegisterSchema });
  if (submission.status !== 'success') {
    return data({ result: submission.reply({ hideFields: ['password'] }) }, { status: 400 });
  }
  const now = new Date();
  const outcome = await registerAccount(context, submission.value, now);
  if (!outcome.ok) {
    return data({ result: submission.reply({ fieldErrors: { email: [message('errors.emailTaken')] }, hideFields: ['password'] }) }, { status: 409 });
  }
  const setCookie = await startSession(context, request, outcome.userId, now);
  return redirectWithFlash(
    context,
    request,
    '/profile',
    { key: 'auth.register.checkEmail', params: { email: submission.value.email }, tone: 'success' },
    { 'Set-Cookie': setCookie },
  );
}

export default function Register() {
  const { t } = useTranslation();
  const { countries, timeZones } = useLoaderData<typeof loader>();
  const root = useRouteLoaderData<typeof rootLoader>('root');
  const actionData = useActionData<typeof action>();
  const [form, fields] = useForm({
    id: 'register',
    lastResult: actionData?.result,
    constraint: getZodConstraint(registerSchema),
    defaultValue: { locale: root?.locale ?? 'en', timeZone: root?.timeZone ?? 'UTC' },
    shouldValidate: 'onBlur',
    shouldRevalidate: 'onInput',
    onValidate: ({ formData }) => parseWithZod(formData, { schema: registerSchema }),
  });
  return (
    <section className="page narrow">
      <h1>{t('auth.register.title')}</h1>
      <p className="muted">{t('auth.register.intro')}</p>
      <Form method="post" className="stack" {...getFormProps(form)}>
        <FormErrors errors={form.errors} id={form.errorId} />
        <Honeypot />
        <TextField meta={fields.email} type="email" label={t('auth.fields.email')} autoComplete="email" />
        <TextField meta={fields.password} type="password" label={t('auth.fields.password')} hint={t('auth.fields.passwordHint')} autoComplete="new-password" />
        <ProfileFields
          fields={fields}
          countries={countries}
          timeZones={timeZones}
          onDetectedTimeZone={(zone) => {
            if (!root?.timeZoneDetected && timeZones.includes(zone)) form.update({ name: fields.timeZone.name, value: zone });
          }}
        />
        <div className="actions">
          <button type="submit">{t('auth.register.submit')}</button>
          <Link to="/login">{t('auth.register.alreadyHave')}</Link>
        </div>
      </Form>
    </section>
  );
}
