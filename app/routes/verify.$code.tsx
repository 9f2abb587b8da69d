import { data, redirect, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node';
import { Link, useLoaderData } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import { getViewer } from '~/modules/auth/viewer.server';
import { formatCode, normaliseCode } from '~/modules/certificates/code';
import { describeMinutes } from '~/modules/certificates/duration';
import { verifyCode } from '~/modules/certificates/verify.server';
import { resolvePreferences } from '~/modules/i18n/preferences.server';
import { formatDate } from '~/modules/time/format';
import { pageTitle } from '~/modules/ui/meta';

export const meta: MetaFunction<typeof loader> = ({ data: loaded, matches }) =>
  loaded && 'certificate' in loaded && loaded.certificate
    ? pageTitle(matches, 'verify.certificateTitle', { code: formatCode(loaded.certificate.code) })
    : pageTitle(matches, 'verify.title');

/**
 * The public claim behind a code, with its status; no sign-in. A code typed
 * with dashes, spaces or lower case is sent on to its one canonical address.
 */
export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const input = params.code ?? '';
  const verification = await verifyCode(context.db, input);
  if (verification.result === 'found' && verification.certificate.code !== input) throw redirect(`/verify/${verification.certificate.code}`);
  const viewer = await getViewer(context, request);
  const { timeZone } = await resolvePreferences(context, request, viewer);
  if (verification.result !== 'found') {
    return data({ certificate: null, problem: verification.result, input: normaliseCode(input).slice(0, 40), timeZone }, { status: verification.result === 'unknown' ? 404 : 400 });
  }
  return { certificate: verification.certificate, problem: null, input, timeZone };
}

export default function VerifiedCertificatePage() {
  const { t, i18n } = useTranslation();
  const { certificate, problem, timeZone } = useLoaderData<typeof loader>();
  const locale = i18n.language;
  const day = (iso: string | Date) => formatDate(iso, timeZone, locale);
  if (!certificate) {
    return (
      <section className="page" aria-labelledby="verify-heading">
        <h1 id="verify-heading">{t('verify.title')}</h1>
        <p className="flash flash--error" role="status">
          {t(`verify.${problem ?? 'unknown'}`)}
        </p>
        <p>
          <Link to="/verify">{t('verify.another')}</Link>
        </p>
      </section>
    );
  }
  const { snapshot, status } = certificate;
  return (
    <section className="page" aria-labelledby="verify-heading">
      <h1 id="verify-heading">{t('verify.certificateTitle', { code: formatCode(certificate.code) })}</h1>
      <div className={`flash ${status.kind === 'valid' ? 'flash--success' : 'flash--error'}`} role="status">
        <p style={{ margin: 0 }}>
          <strong>
            {t('verify.statusLabel')}: {t(`certificates.status.${status.kind}`)}.
          </strong>{' '}
          {status.kind === 'valid'
            ? t('verify.valid')
            : status.kind === 'revoked'
              ? t('verify.revoked', { date: day(status.at) })
              : status.kind === 'superseded'
                ? t('verify.superseded', { date: day(status.at) })
                : t('verify.withdrawn')}
        </p>
        {status.kind === 'revoked' ? <p style={{ margin: '0.5rem 0 0' }}>{t('verify.revokedReason', { reason: status.reason })}</p> : null}
        {status.kind === 'superseded' && status.byCode ? (
          <p style={{ margin: '0.5rem 0 0' }}>
            <Link to={`/verify/${status.byCode}`}>{t('verify.supersededLink', { code: formatCode(status.byCode) })}</Link>
          </p>
        ) : null}
      </div>
      {status.kind === 'withdrawn' ? null : (
        <dl className="facts">
          <dt>{t('verify.holder')}</dt>
          <dd>{snapshot.holderName}</dd>
          <dt>{t('verify.offering')}</dt>
          <dd>{snapshot.offeringTitle}</dd>
          <dt>{t('verify.kind')}</dt>
          <dd>{t(`offerings.kinds.${snapshot.offeringKind}`)}</dd>
          {snapshot.attendedMinutes !== null ? (
            <>
              <dt>{t('verify.attended')}</dt>
              <dd>{describeMinutes(snapshot.attendedMinutes, locale)}</dd>
            </>
          ) : snapshot.expectedMinutes ? (
            <>
              <dt>{t('verify.expected')}</dt>
              <dd>{describeMinutes(snapshot.expectedMinutes, locale)}</dd>
            </>
          ) : null}
          {snapshot.startsAt && snapshot.endsAt ? (
            <>
              <dt>{t('verify.dates')}</dt>
              <dd>
                {day(snapshot.startsAt)} – {day(snapshot.endsAt)}
              </dd>
            </>
          ) : null}
          <dt>{t('verify.completed')}</dt>
          <dd>{day(snapshot.completedAt)}</dd>
          <dt>{t('verify.issued')}</dt>
          <dd>{day(certificate.issuedAt)}</dd>
          <dt>{t('verify.issuer')}</dt>
          <dd>{t('verify.issuerValue', { organisation: snapshot.issuer.organisationName, platform: snapshot.issuer.platformName, url: snapshot.issuer.url })}</dd>
          {snapshot.trainers.length > 0 ? (
            <>
              <dt>{t('verify.trainers')}</dt>
              <dd>{snapshot.trainers.join(', ')}</dd>
            </>
          ) : null}
          <dt>{t('verify.code')}</dt>
          <dd>{formatCode(certificate.code)}</dd>
        </dl>
      )}
      <p>
        <Link to="/verify">{t('verify.another')}</Link>
      </p>
    </section>
  );
}
