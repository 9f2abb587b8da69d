import { getFormProps, useForm } from '@conform-to/react';
import { getZodConstraint, parseWithZod } from '@conform-to/zod/v4';
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import { CheckboxField, FormErrors, TextField } from '~/components/forms';
import { endSession } from '~/modules/auth/sign-in.server';
import { getViewer } from '~/modules/auth/viewer.server';
import { message } from '~/modules/forms/messages';
import { readFormData } from '~/modules/forms/read-form.server';
import { notFound, requireOwnAccount } from '~/modules/policy/guard.server';
import { deleteAccount } from '~/modules/privacy/delete-account.server';
import { confirmOwnPassword, passwordRefusal } from '~/modules/privacy/password-check.server';
import { deleteAccountSchema } from '~/modules/privacy/schemas';
import { titled } from '~/modules/ui/meta';

export const meta = titled('privacy.delete.title');

/** Where the browser lands once the account is gone and it is signed out. */
const DONE_URL = '/profile/delete?done=1';

export async function loader({ request, context }: LoaderFunctionArgs) {
  // The confirmation is shown to the signed-out browser that just deleted its account; it holds nothing personal.
  if (new URL(request.url).searchParams.get('done') === '1' && !(await getViewer(context, request))) return { done: true };
  await requireOwnAccount(context, request);
  return { done: false };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const viewer = await requireOwnAccount(context, request);
  const submission = parseWithZod(await readFormData(request), { schema: deleteAccountSchema });
  if (submission.status !== 'success') return data({ result: submission.reply({ hideFields: ['password'] }) }, { status: 400 });
  const refused = passwordRefusal(await confirmOwnPassword(context, viewer, submission.value.password), submission);
  if (refused) return refused;
  const outcome = await deleteAccount(context, viewer.id, new Date());
  if (!outcome.ok) {
    if (outcome.reason === 'not-found') notFound();
    const refusal =
      outcome.reason === 'sole-trainer'
        ? message('privacy.errors.soleTrainer', { titles: outcome.offeringTitles.join(', ') })
        : message('privacy.errors.lastAdmin');
    return data({ result: submission.reply({ formErrors: [refusal], hideFields: ['password'] }) }, { status: 409 });
  }
  // Every session was deleted with the account; this clears the browser's cookie too.
  return redirect(DONE_URL, { headers: { 'Set-Cookie': await endSession(context, request) } });
}

export default function DeleteMyAccount() {
  const { t } = useTranslation();
  const { done } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [form, fields] = useForm({
    id: 'delete-account',
    lastResult: actionData?.result,
    constraint: getZodConstraint(deleteAccountSchema),
    shouldValidate: 'onBlur',
    // Once an error shows, it clears while typing, so the button does not move under the pointer as it is clicked.
    shouldRevalidate: 'onInput',
    onValidate: ({ formData }) => parseWithZod(formData, { schema: deleteAccountSchema }),
  });
  if (done) {
    return (
      <section className="page narrow">
        <h1>{t('privacy.delete.doneTitle')}</h1>
        <p role="status">{t('privacy.delete.doneBody')}</p>
        <p>
          <Link to="/">{t('nav.home')}</Link>
        </p>
      </section>
    );
  }
  return (
    <section className="page narrow">
      <h1>{t('privacy.delete.title')}</h1>
      <p>{t('privacy.delete.intro')}</p>
      <ul>
        <li>{t('privacy.delete.effects.enrolments')}</li>
        <li>{t('privacy.delete.effects.certificates')}</li>
        <li>{t('privacy.delete.effects.posts')}</li>
        <li>{t('privacy.delete.effects.data')}</li>
      </ul>
      <p>
        <Link to="/profile/data">{t('privacy.delete.exportFirst')}</Link>
      </p>
      <Form method="post" className="stack" {...getFormProps(form)}>
        <FormErrors errors={form.errors} id={form.errorId} />
        <TextField meta={fields.password} type="password" label={t('auth.fields.currentPassword')} autoComplete="current-password" />
        <CheckboxField meta={fields.confirm} label={t('privacy.delete.confirm')} />
        <div className="actions">
          <button type="submit" className="button-danger">
            {t('privacy.delete.submit')}
          </button>
        </div>
      </Form>
    </section>
  );
}
