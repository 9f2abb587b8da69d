import { getFormProps, useForm } from '@conform-to/react';
import { getZodConstraint, parseWithZod } from '@conform-to/zod/v4';
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData, useSearchParams } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import { FormErrors, TextField } from '~/components/forms';
import { demoSignInDetails } from '~/modules/auth/demo.server';
import { tooManyAttempts } from '~/modules/auth/limit-response.server';
import { signIn } from '~/modules/auth/login.server';
import { loginSchema } from '~/modules/auth/schemas';
import { getViewer } from '~/modules/auth/viewer.server';
import { message } from '~/modules/forms/messages';
import { safeRedirect } from '~/modules/ui/safe-redirect';
import { readFormData } from '~/modules/forms/read-form.server';
import { titled } from '~/modules/ui/meta';
import { passOnHeaders } from '~/modules/ui/headers';

export const headers = passOnHeaders;

export const meta = titled('auth.login.title');

export async function loader({ request, context }: LoaderFunctionArgs) {
  const url = new URL(request.url);
  if (await getViewer(context, request)) throw redirect(safeRedirect(url.searchParams.get('redirectTo')));
  return { demo: demoSignInDetails(context.config) };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const formData = await readFormData(request);
  const submission = parseWithZod(formData, { schema: loginSchema });
  if (submission.status !== 'success') {
    return data({ result: submission.reply({ hideFields: ['password'] }) }, { status: 400 });
  }
  const { email, password, redirectTo } = submission.value;
  const outcome = await signIn(context, request, email, password, new Date());
  if (outcome.kind === 'locked') {
    const { message: text, init } = tooManyAttempts(outcome.check);
    return data({ result: submission.reply({ formErrors: [text], hideFields: ['password'] }) }, init);
  }
  if (outcome.kind === 'wrong-credentials') {
    return data({ result: submission.reply({ formErrors: [message('errors.invalidCredentials')], hideFields: ['password'] }) }, { status: 401 });
  }
  return redirect(safeRedirect(redirectTo), { headers: { 'Set-Cookie': outcome.setCookie } });
}

export default function Login() {
  const { t } = useTranslation();
  const { demo } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [searchParams] = useSearchParams();
  const [form, fields] = useForm({
    id: 'login',
    lastResult: actionData?.result,
    constraint: getZodConstraint(loginSchema),
    shouldValidate: 'onSubmit',
    onValidate: ({ formData }) => parseWithZod(formData, { schema: loginSchema }),
  });
  return (
    <div className="grid-2">
      <section className="page">
        <h1>{t('auth.login.title')}</h1>
        <Form method="post" className="stack" {...getFormProps(form)}>
          <FormErrors errors={form.errors} id={form.errorId} />
          <input type="hidden" name="redirectTo" value={searchParams.get('redirectTo') ?? '/'} />
          <TextField meta={fields.email} type="email" label={t('auth.fields.email')} autoComplete="username" />
          <TextField meta={fields.password} type="password" label={t('auth.fields.password')} autoComplete="current-password" />
          <div className="actions">
            <button type="submit">{t('auth.login.submit')}</button>
            <Link to="/forgot-password">{t('auth.login.forgot')}</Link>
          </div>
          <p>
            <Link to="/register">{t('auth.login.noAccount')}</Link>
          </p>
        </Form>
      </section>
      {demo ? (
        <section className="card" aria-labelledby="demo-accounts">
          <h2 id="demo-accounts" style={{ marginTop: 0 }}>
            {t('auth.login.demoTitle')}
          </h2>
          <p>{t('auth.login.demoIntro', { password: demo.password })}</p>
          <div className="table-wrap">
            <table>
              <thead>
                <tr>
                  <th scope="col">{t('auth.login.demoRole')}</th>
                  <th scope="col">{t('auth.login.demoEmail')}</th>
                </tr>
              </thead>
              <tbody>
                {demo.accounts.map((account) => (
                  <tr key={account.email}>
                    <td>{t(`admin.users.roleNames.${account.role}`)}</td>
                    <td>
                      <code>{account.email}</code>
                      <br />
                      <span className="muted">{account.name}</span>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </section>
      ) : null}
    </div>
  );
}
