import { data, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node';
import { Form, Link, useLoaderData } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import { FormErrors } from '~/components/forms';
import { resendVerification, verifyEmail } from '~/modules/auth/accounts.server';
import { tooManyAttempts } from '~/modules/auth/limit-response.server';
import { consumeLimits } from '~/modules/auth/rate-limit.server';
import { requireViewer } from '~/modules/auth/viewer.server';
import { redirectWithFlash } from '~/modules/ui/flash.server';
import { titled } from '~/modules/ui/meta';
import { passOnHeaders } from '~/modules/ui/headers';

export const headers = passOnHeaders;

export const meta = titled('auth.verify.title');

/** Opening the emailed link verifies the address; a wrong or used link says so (400), with a way to get a new one. */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const token = new URL(request.url).searchParams.get('token') ?? '';
  if (!token || token.length > 200) return data({ outcome: 'invalid' as const, email: null }, { status: 400 });
  const result = await verifyEmail(context, token, new Date());
  if (result.ok) return { outcome: 'verified' as const, email: result.value.email };
  return data({ outcome: result.reason, email: null }, { status: 400 });
}

/** Sends a new link to the signed-in person (limited to a few an hour). */
export async function action({ request, context }: ActionFunctionArgs) {
  const viewer = await requireViewer(context, request);
  const limit = await consumeLimits(context, [['verifyResend', viewer.id]]);
  if (limit.limited) {
    const { message, init } = tooManyAttempts(limit);
    return data({ errors: [message] }, init);
  }
  const sentTo = await resendVerification(context, viewer.id, new Date());
  return redirectWithFlash(context, request, '/profile', sentTo
    ? { key: 'auth.verify.resent', params: { email: sentTo }, tone: 'success' }
    : { key: 'auth.verify.done', params: { email: viewer.email }, tone: 'info' });
}

export default function VerifyEmail() {
  const { t } = useTranslation();
  const { outcome, email } = useLoaderData<typeof loader>();
  return (
    <section className="page narrow">
      <h1>{t('auth.verify.title')}</h1>
      {outcome === 'verified' ? (
        <>
          <p className="flash flash--success" role="status">
            {t('auth.verify.done', { email })}
          </p>
          <p>
            <Link to="/profile">{t('nav.profile')}</Link>
          </p>
        </>
      ) : (
        <>
          <FormErrors errors={[outcome === 'expired' ? 'errors.tokenExpired' : outcome === 'email-taken' ? 'errors.emailTaken' : 'errors.tokenInvalid']} />
          <Form method="post" action="/verify-email" style={{ marginTop: '1rem' }}>
            <button type="submit">{t('auth.verify.resend')}</button>
          </Form>
        </>
      )}
    </section>
  );
}
