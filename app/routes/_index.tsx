import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { Link, useLoaderData } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import { getViewer } from '~/modules/auth/viewer.server';

export const meta: MetaFunction = () => [{ title: 'Kollega' }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const viewer = await getViewer(context, request);
  return { viewer: viewer && { fullName: viewer.fullName, staffStatus: viewer.staffStatus } };
}

export default function Home() {
  const { t } = useTranslation();
  const { viewer } = useLoaderData<typeof loader>();
  return (
    <div className="hero">
      {viewer ? (
        <>
          <h1>{t('home.welcomeBack', { name: viewer.fullName })}</h1>
          <p className="lead">{t('home.yourStatus', { status: t(`validation.status.${viewer.staffStatus}`) })}</p>
          {viewer.staffStatus === 'none' || viewer.staffStatus === 'rejected' ? (
            <p>
              <Link to="/profile/validation" className="button">
                {t('home.askValidation')}
              </Link>
            </p>
          ) : null}
        </>
      ) : (
        <>
          <h1>{t('home.title')}</h1>
          <p className="lead">{t('home.intro')}</p>
          <p className="actions">
            <Link to="/register" className="button">
              {t('home.getStarted')}
            </Link>
            <Link to="/login">{t('home.haveAccount')}</Link>
          </p>
        </>
      )}
    </div>
  );
}
