import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import { formatCode } from '~/modules/certificates/code';
import { PLATFORM_NAME } from '~/modules/certificates/platform';
import { PDF_FIELD } from '~/modules/certificates/verify-form';
import { checkUploadedPdf, verifyCode } from '~/modules/certificates/verify.server';
import { titled } from '~/modules/ui/meta';

export const meta = titled('verify.title');

/**
 * /verify: a code form (GET, so the result has an address) and a PDF upload
 * that says whether the file is, byte for byte, a certificate issued here.
 * Public: no sign-in.
 */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const input = (new URL(request.url).searchParams.get('code') ?? '').slice(0, 100);
  if (input.trim() === '') return { input: '', problem: null };
  const verification = await verifyCode(context.db, input);
  if (verification.result === 'found') throw redirect(`/verify/${verification.certificate.code}`);
  return data({ input, problem: verification.result }, { status: verification.result === 'unknown' ? 404 : 400 });
}

export async function action({ request, context }: ActionFunctionArgs) {
  const check = await checkUploadedPdf(context.db, request);
  if (!check.ok) return data({ upload: { problem: check.problem, code: null } }, { status: check.status });
  // A file that matches nothing is refused: altered, or never issued here.
  if (!check.match) return data({ upload: { problem: 'uploadNoMatch' as const, code: null } }, { status: 422 });
  return { upload: { problem: null, code: check.match.code } };
}

export default function VerifyPage() {
  const { t } = useTranslation();
  const { input, problem } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const upload = actionData?.upload;
  const platform = { platform: PLATFORM_NAME };
  return (
    <div className="stack-page">
      <section className="page" aria-labelledby="verify-heading">
        <h1 id="verify-heading">{t('verify.title')}</h1>
        <p>{t('verify.intro', platform)}</p>
        <h2 id="code-heading">{t('verify.codeTitle')}</h2>
        <Form method="get" className="stack" aria-labelledby="code-heading">
          <div className="field">
            <label htmlFor="verify-code">{t('verify.codeLabel')}</label>
            <p id="verify-code-hint" className="hint">
              {t('verify.codeHint')}
            </p>
            <input
              id="verify-code"
              name="code"
              defaultValue={input}
              autoComplete="off"
              spellCheck={false}
              autoCapitalize="characters"
              maxLength={100}
              required
              aria-invalid={problem ? true : undefined}
              aria-describedby={problem ? 'verify-code-hint verify-code-error' : 'verify-code-hint'}
            />
            {problem ? (
              <p id="verify-code-error" className="error" role="alert">
                {t(`verify.${problem}`)}
              </p>
            ) : null}
          </div>
          <div className="actions">
            <button type="submit">{t('verify.check')}</button>
          </div>
        </Form>
      </section>
      <section className="page" aria-labelledby="upload-heading">
        <h2 id="upload-heading" style={{ marginTop: 0 }}>
          {t('verify.uploadTitle')}
        </h2>
        {upload ? (
          upload.code ? (
            <div className="flash flash--success" role="status">
              <p style={{ margin: 0 }}>{t('verify.uploadMatch')}</p>
              <p style={{ margin: '0.5rem 0 0' }}>
                <Link to={`/verify/${upload.code}`}>{t('verify.seeCertificate', { code: formatCode(upload.code) })}</Link>
              </p>
            </div>
          ) : (
            <p className="flash flash--error" role="alert">
              {t(`verify.${upload.problem ?? 'uploadNoMatch'}`, platform)}
            </p>
          )
        ) : null}
        <Form method="post" encType="multipart/form-data" className="stack">
          <div className="field">
            <label htmlFor="verify-pdf">{t('verify.uploadLabel')}</label>
            <p id="verify-pdf-hint" className="hint">
              {t('verify.uploadHint', platform)}
            </p>
            <input id="verify-pdf" type="file" name={PDF_FIELD} accept="application/pdf,.pdf" required aria-describedby="verify-pdf-hint" />
          </div>
          <div className="actions">
            <button type="submit">{t('verify.upload')}</button>
          </div>
        </Form>
      </section>
    </div>
  );
}
