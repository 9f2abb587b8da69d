import { data, type LinksFunction, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node';
import {
  Form,
  Link,
  Links,
  Meta,
  NavLink,
  Outlet,
  Scripts,
  ScrollRestoration,
  isRouteErrorResponse,
  useLocation,
  useRouteError,
  useRouteLoaderData,
} from '@remix-run/react';
import { useEffect, type ReactNode } from 'react';
import { I18nextProvider, useTranslation } from 'react-i18next';
import { useNonce } from './components/nonce';
import { getViewer } from './modules/auth/viewer.server';
import { i18nFor } from './modules/i18n/i18n';
import { LOCALE_NAMES, LOCALES, type Locale } from './modules/i18n/locales';
import { translateKey } from './modules/i18n/translate';
import { resolvePreferences } from './modules/i18n/preferences.server';
import { TIME_ZONE_COOKIE } from './modules/i18n/time-zone';
import { policyEnvironment } from './modules/policy/guard.server';
import { pageTitle } from './modules/ui/meta';
import { navigationFor } from './modules/ui/navigation.server';
import { readFlash } from './modules/ui/flash.server';
import stylesHref from './styles/app.css?url';

export const links: LinksFunction = () => [
  { rel: 'stylesheet', href: stylesHref },
  { rel: 'icon', href: '/favicon.svg', type: 'image/svg+xml' },
];

/** Pages set their own titles; this one names the error pages the root boundary draws. */
export const meta: MetaFunction = ({ error, matches }) => {
  if (!error) return [{ title: 'Kollega' }];
  const status = isRouteErrorResponse(error) ? error.status : 500;
  const key = status === 404 ? 'errors.notFoundTitle' : status === 403 ? 'errors.forbiddenTitle' : status < 500 ? 'errors.badRequestTitle' : 'errors.serverErrorTitle';
  return pageTitle(matches, key);
};

export async function loader({ request, context }: LoaderFunctionArgs) {
  const viewer = await getViewer(context, request);
  const preferences = await resolvePreferences(context, request, viewer);
  const { flash, setCookie } = await readFlash(context, request);
  return data(
    {
      ...preferences,
      viewer: viewer && { fullName: viewer.fullName, emailVerified: viewer.emailVerified },
      navigation: navigationFor(viewer, policyEnvironment(context)),
      demoMode: context.config.demoMode,
      flash,
    },
    { headers: setCookie ? { 'Set-Cookie': setCookie } : {} },
  );
}

export type RootData = Awaited<ReturnType<typeof loader>>['data'];

/** Remember the browser's zone for visitors who have not signed in, so times show in their zone. */
function useDetectedTimeZone(detected: boolean) {
  useEffect(() => {
    const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    if (!detected && zone) {
      document.cookie = `${TIME_ZONE_COOKIE}=${encodeURIComponent(zone)}; path=/; max-age=31536000; samesite=lax`;
    }
  }, [detected]);
}

function LanguageSwitcher({ locale }: { locale: Locale }) {
  const { t } = useTranslation();
  const location = useLocation();
  return (
    <Form method="post" action="/set-language" className="language-switcher">
      <input type="hidden" name="redirectTo" value={location.pathname + location.search} />
      <label htmlFor="language-select">{t('app.language')}</label>
      {/* Keyed by language: signing in can change it without a full page load. */}
      <select id="language-select" name="locale" defaultValue={locale} key={locale}>
        {LOCALES.map((code) => (
          <option key={code} value={code} lang={code}>
            {LOCALE_NAMES[code]}
          </option>
        ))}
      </select>
      <button type="submit" className="button-secondary">
        {t('app.changeLanguage')}
      </button>
    </Form>
  );
}

function Header({ root }: { root: RootData }) {
  const { t } = useTranslation();
  return (
    <header className="site-header">
      <div className="site-header__inner">
        <Link to="/" className="brand">
          {t('app.name')}
        </Link>
        <nav aria-label={t('app.mainNavigation')}>
          <ul className="nav-list">
            {root.navigation.map((item) => (
              <li key={item.to}>
                <NavLink to={item.to}>{t(item.label)}</NavLink>
              </li>
            ))}
            {root.viewer ? (
              <li>
                <Form method="post" action="/logout">
                  <button type="submit" className="link-button">
                    {t('nav.signOut')}
                  </button>
                </Form>
              </li>
            ) : null}
          </ul>
        </nav>
        <LanguageSwitcher locale={root.locale} />
      </div>
      {root.demoMode ? <p className="demo-banner">{t('app.demoBanner')}</p> : null}
    </header>
  );
}

export function Layout({ children }: { children: ReactNode }) {
  const root = useRouteLoaderData<typeof loader>('root');
  const locale = root?.locale ?? 'en';
  // Shared per language (per process on the server, per page load in the browser), not made per render.
  const i18n = i18nFor(locale);
  const nonce = useNonce();
  return (
    <html lang={locale}>
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <Meta />
        <Links />
      </head>
      <body>
        <I18nextProvider i18n={i18n}>
          <a className="skip-link" href="#main">
            {i18n.t('app.skipToContent')}
          </a>
          {root ? <Header root={root} /> : null}
          <main id="main" tabIndex={-1}>
            {root?.flash ? (
              <div className={`flash flash--${root.flash.tone}`} role="status">
                {translateKey(i18n.t, root.flash.key, root.flash.params)}
              </div>
            ) : null}
            {children}
          </main>
          <footer className="site-footer">
            <p>{i18n.t('app.footer')}</p>
          </footer>
        </I18nextProvider>
        <ScrollRestoration nonce={nonce} />
        <Scripts nonce={nonce} />
      </body>
    </html>
  );
}

export default function App() {
  const root = useRouteLoaderData<typeof loader>('root');
  useDetectedTimeZone(root?.timeZoneDetected ?? true);
  return <Outlet />;
}

export function ErrorBoundary() {
  const error = useRouteError();
  const { t } = useTranslation();
  let title = t('errors.serverErrorTitle');
  let message = t('errors.serverError');
  if (isRouteErrorResponse(error)) {
    if (error.status === 404) {
      title = t('errors.notFoundTitle');
      message = t('errors.notFound');
    } else if (error.status === 403) {
      title = t('errors.forbiddenTitle');
      message = t('errors.forbidden');
    } else if (error.status < 500) {
      title = t('errors.badRequestTitle');
      message = typeof error.data === 'object' && error.data && 'message' in error.data ? String(error.data.message) : message;
    }
  } else {
    console.error(error);
  }
  return (
    <section className="page narrow">
      <h1>{title}</h1>
      <p>{message}</p>
      <p>
        <Link to="/">{t('errors.goHome')}</Link>
      </p>
    </section>
  );
}
