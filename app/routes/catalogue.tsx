import { redirect, type LinksFunction, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node';
import { Form, isRouteErrorResponse, Link, useLoaderData, useLocation, useRouteError } from '@remix-run/react';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import { OfferingCardList } from '~/components/offering-card';
import { Pagination } from '~/components/pagination';
import { getViewer } from '~/modules/auth/viewer.server';
import { loadCataloguePage } from '~/modules/catalogue/catalogue.server';
import { catalogueFilterSchema, catalogueHref, FILTER_NAMES, withoutEmptyParams, type FilterName } from '~/modules/catalogue/filters';
import { resolvePreferences } from '~/modules/i18n/preferences.server';
import { ELIGIBILITIES, OFFERING_KINDS, TARGET_AUDIENCES } from '~/modules/offerings/kinds';
import { pageTitle } from '~/modules/ui/meta';
import { parseSearchParams } from '~/modules/ui/search-params.server';
import catalogueStyles from '~/styles/catalogue.css?url';

export const links: LinksFunction = () => [{ rel: 'stylesheet', href: catalogueStyles }];

export const meta: MetaFunction = ({ matches, error }) => pageTitle(matches, error ? 'errors.badRequestTitle' : 'catalogue.title');

export async function loader({ request, context }: LoaderFunctionArgs) {
  const url = new URL(request.url);
  const short = withoutEmptyParams(url);
  if (short !== null) throw redirect(url.pathname + short);
  const viewer = await getViewer(context, request);
  const { locale, timeZone } = await resolvePreferences(context, request, viewer);
  const filters = parseSearchParams(request, catalogueFilterSchema, locale);
  return loadCataloguePage(context.db, filters, { now: new Date(), timeZone, locale });
}

type LoaderData = ReturnType<typeof useLoaderData<typeof loader>>;

/** The filters in force, each with a link that drops it (and goes back to page 1). */
function ActiveFilters({ data, t }: { data: LoaderData; t: TFunction }) {
  const { filters, choices } = data;
  const labelOf = (name: FilterName, value: string): string => {
    switch (name) {
      case 'q':
        return t('catalogue.searchFor', { q: value });
      case 'kind':
        return t(`offerings.kinds.${value as (typeof OFFERING_KINDS)[number]}`);
      case 'audience':
        return t(`offerings.audiences.${value as (typeof TARGET_AUDIENCES)[number]}`);
      case 'eligibility':
        return t(`offerings.eligibility.${value as (typeof ELIGIBILITIES)[number]}`);
      case 'open':
        return t('catalogue.openNow');
      case 'language':
        return choices.languages.find((c) => c.value === value)?.label ?? value;
      case 'month':
        return choices.months.find((c) => c.value === value)?.label ?? value;
      case 'topic':
        return value;
    }
  };
  const active = FILTER_NAMES.filter((name) => filters[name] !== '');
  if (active.length === 0) return null;
  return (
    <div className="active-filters">
      <span id="active-filters-label">{t('catalogue.activeFilters')}</span>
      <ul aria-labelledby="active-filters-label">
        {active.map((name) => {
          const label = labelOf(name, filters[name]);
          return (
            <li key={name}>
              <Link to={catalogueHref({ ...filters, [name]: undefined })} className="filter-chip" aria-label={t('catalogue.removeFilter', { label })}>
                {label} <span aria-hidden="true">×</span>
              </Link>
            </li>
          );
        })}
      </ul>
      <Link to="/catalogue">{t('catalogue.clearAll')}</Link>
    </div>
  );
}

function FilterForm({ data, t }: { data: LoaderData; t: TFunction }) {
  const { filters, choices } = data;
  const location = useLocation();
  return (
    <section aria-labelledby="filters-heading" className="catalogue-filters">
      <h2 id="filters-heading">{t('catalogue.filtersHeading')}</h2>
      {/* Keyed by the URL: after a navigation the fields show the filters in force, not what was typed before. */}
      <Form method="get" action="/catalogue" key={location.search} role="search" aria-labelledby="filters-heading">
        <div className="field catalogue-filters__search">
          <label htmlFor="catalogue-q">{t('catalogue.search')}</label>
          <input id="catalogue-q" type="search" name="q" defaultValue={filters.q} maxLength={200} aria-describedby="catalogue-q-hint" />
          <p id="catalogue-q-hint" className="hint">
            {t('catalogue.searchHint')}
          </p>
        </div>
        <div className="catalogue-filters__grid">
          <FilterSelect name="kind" label={t('catalogue.kind')} anyLabel={t('catalogue.anyKind')} value={filters.kind} options={OFFERING_KINDS.map((kind) => ({ value: kind, label: t(`offerings.kinds.${kind}`) }))} />
          <FilterSelect name="language" label={t('catalogue.language')} anyLabel={t('catalogue.anyLanguage')} value={filters.language} options={choices.languages} />
          <FilterSelect name="audience" label={t('catalogue.audience')} anyLabel={t('catalogue.anyAudience')} value={filters.audience} options={TARGET_AUDIENCES.map((audience) => ({ value: audience, label: t(`offerings.audiences.${audience}`) }))} />
          <FilterSelect name="topic" label={t('catalogue.topic')} anyLabel={t('catalogue.anyTopic')} value={filters.topic} options={choices.topics.map((topic) => ({ value: topic, label: topic }))} />
          <FilterSelect name="month" label={t('catalogue.month')} anyLabel={t('catalogue.anyMonth')} value={filters.month} options={choices.months} />
          <FilterSelect name="eligibility" label={t('catalogue.eligibility')} anyLabel={t('catalogue.anyEligibility')} value={filters.eligibility} options={ELIGIBILITIES.map((eligibility) => ({ value: eligibility, label: t(`offerings.eligibility.${eligibility}`) }))} />
        </div>
        <div className="actions">
          <div className="checkbox">
            <input id="catalogue-open" type="checkbox" name="open" value="1" defaultChecked={filters.open === '1'} />
            <label htmlFor="catalogue-open">{t('catalogue.openNow')}</label>
          </div>
          <button type="submit">{t('catalogue.apply')}</button>
        </div>
      </Form>
    </section>
  );
}

export default function Catalogue() {
  // One translator for the whole page, handed down: each useTranslation() costs a wrapper and a subscription per render.
  const { t } = useTranslation();
  const data = useLoaderData<typeof loader>();
  return (
    <div className="catalogue">
      <h1>{t('catalogue.title')}</h1>
      <p className="lead">{t('catalogue.intro', { zone: data.timeZone })}</p>
      <FilterForm data={data} t={t} />
      <section aria-labelledby="results-heading" className="catalogue-results">
        <h2 id="results-heading">{t('catalogue.resultsHeading')}</h2>
        <p role="status" className="catalogue-results__count">
          {t('catalogue.found', { count: data.total })}
        </p>
        <ActiveFilters data={data} t={t} />
        {data.cards.length === 0 ? (
          <div className="catalogue-empty">
            <p>{t('catalogue.empty')}</p>
            <p className="muted">{t('catalogue.emptyHint')}</p>
            <p>
              <Link to="/catalogue">{t('catalogue.browseAll')}</Link>
            </p>
          </div>
        ) : (
          <OfferingCardList cards={data.cards} label={t('catalogue.resultsHeading')} t={t} />
        )}
        <Pagination page={data.page} pages={data.pages} />
      </section>
    </div>
  );
}

/**
 * Bad filters (400) and unknown or hidden offerings (404) answer here, inside
 * the page's own layout with its title, and point back to the catalogue.
 */
export function ErrorBoundary() {
  const { t } = useTranslation();
  const error = useRouteError();
  if (!isRouteErrorResponse(error) || error.status >= 500) throw error;
  const notFound = error.status === 404;
  const detail = typeof error.data === 'object' && error.data && 'message' in error.data ? String(error.data.message) : t('errors.notFound');
  return (
    <section className="page narrow">
      <h1>{t(notFound ? 'errors.notFoundTitle' : 'errors.badRequestTitle')}</h1>
      <p>{notFound ? t('errors.notFound') : detail}</p>
      <p>
        <Link to="/catalogue">{t('catalogue.browseAll')}</Link>
      </p>
    </section>
  );
}

/** One labelled filter: "any" first, then the choices; the current filter is preselected. */
function FilterSelect({ name, label, anyLabel, value, options }: { name: string; label: string; anyLabel: string; value: string | undefined; options: { value: string; label: string }[] }) {
  return (
    <div className="field">
      <label htmlFor={`catalogue-${name}`}>{label}</label>
      <select id={`catalogue-${name}`} name={name} defaultValue={value}>
        <option value="">{anyLabel}</option>
        {options.map((option) => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
      </select>
    </div>
  );
}
