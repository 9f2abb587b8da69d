import { getFormProps, useForm } from '@conform-to/react';
import { getZodConstraint, parseWithZod } from '@conform-to/zod/v4';
import { data, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData, useSearchParams } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import { FormErrors, SelectField } from '~/components/forms';
import { Pagination } from '~/components/pagination';
import { message } from '~/modules/forms/messages';
import { serverT } from '~/modules/i18n/i18n';
import type { Locale } from '~/modules/i18n/locales';
import { notFound, requirePermission } from '~/modules/policy/guard.server';
import type { Role } from '~/modules/policy/policy';
import { redirectWithFlash } from '~/modules/ui/flash.server';
import { isUuid } from '~/modules/ui/ids';
import { parseSearchParams } from '~/modules/ui/search-params.server';
import { countryName, countryOptions } from '~/modules/users/reference-data.server';
import { GRANTABLE_ROLES, grantRoleSchema, removeRoleSchema, USER_SEARCH_MAX, userSearchSchema } from '~/modules/users/role-schemas';
import { findUserSummary, grantRole, removeRole, searchUsers, serverGrantRoleSchema } from '~/modules/users/roles.server';
import { readFormData } from '~/modules/forms/read-form.server';
import { titled } from '~/modules/ui/meta';
import { ResultsTable } from '~/components/results-table';

export const meta = titled('admin.users.title');

export async function loader({ request, context }: LoaderFunctionArgs) {
  const viewer = await requirePermission(context, request, { action: 'admin.users.manage' });
  const filter = parseSearchParams(request, userSearchSchema, viewer.locale);
  let selected = null;
  if (filter.user) {
    selected = isUuid(filter.user) ? await findUserSummary(context.db, filter.user) : null;
    if (!selected) notFound();
  }
  const result = await searchUsers(context.db, { query: filter.q, page: filter.page });
  return {
    ...result,
    rows: result.rows.map((row) => ({
      ...row,
      countryName: countryName(row.country, viewer.locale),
      roles: row.roles.map((grant) => ({ ...grant, countryName: grant.country ? countryName(grant.country, viewer.locale) : '' })),
    })),
    query: filter.q ?? '',
    selected,
    countries: selected ? countryOptions(viewer.locale) : [],
    viewerId: viewer.id,
  };
}

function roleName(locale: Locale, role: Role, country: string | undefined): string {
  const t = serverT(locale);
  const name = t(`admin.users.roleNames.${role}`);
  return role === 'nso' && country ? t('admin.users.roleWithCountry', { role: name, country: countryName(country, locale) }) : name;
}

/** Back to the list the admin was looking at, with the grant form closed. */
function listUrl(request: Request): string {
  const url = new URL(request.url);
  url.searchParams.delete('user');
  const search = url.searchParams.toString();
  return url.pathname + (search ? `?${search}` : '');
}

export async function action({ request, context }: ActionFunctionArgs) {
  const viewer = await requirePermission(context, request, { action: 'admin.users.manage' });
  const formData = await readFormData(request);
  if (!isUuid(formData.get('userId'))) notFound();
  const now = new Date();

  if (formData.get('intent') === 'grant') {
    const submission = parseWithZod(formData, { schema: serverGrantRoleSchema });
    if (submission.status !== 'success') return data({ intent: 'grant' as const, result: submission.reply(), error: null }, { status: 400 });
    const { userId, role, country } = submission.value;
    const outcome = await grantRole(context, { actorId: viewer.id, userId, role, country }, now);
    if (!outcome.ok) {
      if (outcome.reason === 'user-not-found') notFound();
      return data(
        { intent: 'grant' as const, result: submission.reply({ fieldErrors: { country: [message('errors.nsoNeedsCountry')] } }), error: null },
        { status: 400 },
      );
    }
    return redirectWithFlash(context, request, listUrl(request), {
      key: outcome.changed ? 'admin.users.granted' : 'admin.users.alreadyHasRole',
      params: { name: outcome.fullName, role: roleName(viewer.locale, role, country) },
      tone: outcome.changed ? 'success' : 'info',
    });
  }

  const submission = parseWithZod(formData, { schema: removeRoleSchema });
  if (submission.status !== 'success') {
    return data({ intent: 'remove' as const, result: null, error: message('errors.invalidChoice') }, { status: 400 });
  }
  const { userId, role, country } = submission.value;
  const outcome = await removeRole(context, { actorId: viewer.id, userId, role, country }, now);
  if (!outcome.ok) {
    if (outcome.reason === 'user-not-found') notFound();
    return data({ intent: 'remove' as const, result: null, error: message('errors.cannotRemoveOwnAdmin') }, { status: 400 });
  }
  return redirectWithFlash(context, request, listUrl(request), {
    key: outcome.changed ? 'admin.users.removed' : 'admin.users.roleAlreadyRemoved',
    params: { name: outcome.fullName, role: roleName(viewer.locale, role, country) },
    tone: outcome.changed ? 'success' : 'info',
  });
}

type LoaderData = ReturnType<typeof useLoaderData<typeof loader>>;

function GrantForm({ selected, countries }: { selected: NonNullable<LoaderData['selected']>; countries: LoaderData['countries'] }) {
  const { t } = useTranslation();
  const actionData = useActionData<typeof action>();
  const [searchParams] = useSearchParams();
  const [form, fields] = useForm({
    id: `grant-${selected.id}`,
    lastResult: actionData?.intent === 'grant' ? actionData.result : undefined,
    constraint: getZodConstraint(grantRoleSchema),
    shouldValidate: 'onBlur',
    // Clear the error as soon as it is fixed, so the button does not move under the pointer on blur.
    shouldRevalidate: 'onInput',
    onValidate: ({ formData }) => parseWithZod(formData, { schema: grantRoleSchema }),
  });
  const closed = new URLSearchParams(searchParams);
  closed.delete('user');
  return (
    <section className="card" aria-labelledby="grant-heading" style={{ marginBottom: '1.5rem' }}>
      <h2 id="grant-heading" style={{ marginTop: 0 }}>
        {t('admin.users.grantFor', { name: selected.fullName })}
      </h2>
      <p className="muted">{selected.email}</p>
      <Form method="post" className="stack" {...getFormProps(form)}>
        <FormErrors errors={form.errors} id={form.errorId} />
        <input type="hidden" name="intent" value="grant" />
        <input type="hidden" name="userId" value={selected.id} />
        <SelectField
          meta={fields.role}
          label={t('admin.users.role')}
          placeholder={t('admin.users.chooseRole')}
          options={GRANTABLE_ROLES.map((role) => ({ value: role, label: t(`admin.users.roleNames.${role}`) }))}
        />
        <SelectField meta={fields.country} label={t('admin.users.nsoCountry')} placeholder={t('admin.users.chooseCountry')} options={countries} />
        <div className="actions">
          <button type="submit">{t('admin.users.grant')}</button>
          <Link to={`?${closed.toString()}`}>{t('common.cancel')}</Link>
        </div>
      </Form>
    </section>
  );
}

export default function AdminUsers() {
  const { t } = useTranslation();
  const { rows, total, page, pages, query, selected, countries, viewerId } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [searchParams] = useSearchParams();
  const grantHref = (userId: string) => {
    const next = new URLSearchParams(searchParams);
    next.set('user', userId);
    return `?${next.toString()}`;
  };
  return (
    <section className="page">
      <h1>{t('admin.users.title')}</h1>
      <p className="muted">{t('admin.users.intro')}</p>
      <Form method="get" role="search" className="actions" style={{ alignItems: 'end', marginBottom: '1rem' }}>
        <div className="field">
          <label htmlFor="user-search">{t('admin.users.searchLabel')}</label>
          <input id="user-search" type="search" name="q" defaultValue={query} maxLength={USER_SEARCH_MAX} />
        </div>
        <button type="submit" className="button-secondary">
          {t('common.search')}
        </button>
      </Form>
      {selected ? <GrantForm key={selected.id} selected={selected} countries={countries} /> : null}
      <FormErrors errors={actionData?.error ? [actionData.error] : null} />
      <ResultsTable total={total} shown={rows.length} empty={t('admin.users.empty')} label={t('admin.users.title')} columns={[t('admin.users.name'), t('admin.users.email'), t('admin.users.country'), t('admin.users.roles'), t('admin.users.actions')]}>
        {rows.map((row) => (
          <tr key={row.id}>
            <td>{row.deleted ? <em>{t('privacy.deletedUser')}</em> : row.fullName}</td>
            <td>{row.deleted ? null : row.email}</td>
            <td>{row.countryName}</td>
            <td>
              {row.roles.length === 0 ? (
                <span className="muted">{t('admin.users.roleNames.participant')}</span>
              ) : (
                <ul style={{ margin: 0, paddingLeft: 0, listStyle: 'none' }}>
                  {row.roles.map((grant) => {
                    const name = t(`admin.users.roleNames.${grant.role}`);
                    const label = grant.countryName ? t('admin.users.roleWithCountry', { role: name, country: grant.countryName }) : name;
                    return (
                      <li key={`${grant.role}-${grant.country}`} className="actions" style={{ gap: '0.5rem' }}>
                        <span>{label}</span>
                        <Form method="post">
                          <input type="hidden" name="intent" value="remove" />
                          <input type="hidden" name="userId" value={row.id} />
                          <input type="hidden" name="role" value={grant.role} />
                          {grant.country ? <input type="hidden" name="country" value={grant.country} /> : null}
                          <button
                            type="submit"
                            className="link-button"
                            aria-label={t('admin.users.removeRole', { role: label, name: row.fullName })}
                            title={grant.role === 'admin' && row.id === viewerId ? t('errors.cannotRemoveOwnAdmin') : undefined}
                          >
                            {t('admin.users.remove')}
                          </button>
                        </Form>
                      </li>
                    );
                  })}
                </ul>
              )}
            </td>
            <td>
              {row.deleted ? null : (
                <Link to={grantHref(row.id)} aria-label={t('admin.users.grantFor', { name: row.fullName })}>
                  {t('admin.users.grant')}
                </Link>
              )}
            </td>
          </tr>
        ))}
      </ResultsTable>
      <Pagination page={page} pages={pages} />
    </section>
  );
}
