import { getFormProps, useForm } from '@conform-to/react';
import { getZodConstraint, parseWithZod } from '@conform-to/zod/v4';
import { data, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import { CalendarSubscription } from '~/components/calendar-subscription';
import { CheckboxField, FormErrors, TextField } from '~/components/forms';
import { ProfileFields } from '~/components/profile-fields';
import { changePassword, getProfile, pendingEmailChange, updateProfile } from '~/modules/auth/accounts.server';
import { reissueForNameChange } from '~/modules/certificates/issue.server';
import { countCurrentCertificates } from '~/modules/certificates/queries.server';
import { serverChangePasswordSchema, serverProfileSchema } from '~/modules/auth/forms.server';
import { changePasswordSchema, profileSchema } from '~/modules/auth/schemas';
import { deleteOwnSession, listUserSessions } from '~/modules/auth/sessions.server';
import { ensureFeedToken, feedUrls, findFeedToken, resetFeedToken } from '~/modules/calendar/feeds.server';
import { message } from '~/modules/forms/messages';
import { notFound, requireOwnAccount } from '~/modules/policy/guard.server';
import { isUuid } from '~/modules/ui/ids';
import { formatDate, formatDateTime } from '~/modules/time/format';
import { redirectWithFlash } from '~/modules/ui/flash.server';
import { profileFormOptions } from '~/modules/users/form-options.server';
import { readFormData } from '~/modules/forms/read-form.server';
import { titled } from '~/modules/ui/meta';

export const meta = titled('profile.title');

export async function loader({ request, context }: LoaderFunctionArgs) {
  const viewer = await requireOwnAccount(context, request);
  const now = new Date();
  const profile = await getProfile(context.db, viewer.id);
  if (!profile) throw new Response('Not found', { status: 404 });
  const certificateCount = await countCurrentCertificates(context.db, viewer.id);
  const sessions = await listUserSessions(context.db, viewer.id);
  const feedToken = await findFeedToken(context.db, viewer.id);
  return {
    profile: { ...profile, emailVerified: profile.emailVerifiedAt !== null },
    pendingEmail: await pendingEmailChange(context.db, viewer.id, profile.email, now),
    certificateCount,
    sessions: sessions.map((s) => ({ ...s, current: s.id === viewer.sessionId })),
    calendar: {
      urls: feedToken ? feedUrls(context.config.appUrl, feedToken) : null,
      confirmReset: feedToken !== null && new URL(request.url).searchParams.get('confirm') === 'calendar-reset',
    },
    ...profileFormOptions(viewer.locale),
  };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const viewer = await requireOwnAccount(context, request);
  const formData = await readFormData(request);
  const intent = formData.get('intent');
  const now = new Date();
  if (intent === 'revoke-session') {
    const sessionId = formData.get('sessionId');
    if (!isUuid(sessionId) || sessionId === viewer.sessionId || !(await deleteOwnSession(context.db, viewer.id, sessionId))) notFound();
    return redirectWithFlash(context, request, '/profile', { key: 'profile.sessionRevoked', tone: 'success' });
  }
  if (intent === 'calendar-create' || intent === 'calendar-reset') {
    if (intent === 'calendar-create') await ensureFeedToken(context.db, viewer.id, now);
    else await resetFeedToken(context.db, viewer.id, now);
    return redirectWithFlash(context, request, '/profile#calendar', {
      key: intent === 'calendar-create' ? 'calendar.subscription.created' : 'calendar.subscription.resetDone',
      tone: 'success',
    });
  }
  if (intent === 'password') {
    const submission = parseWithZod(formData, { schema: serverChangePasswordSchema });
    if (submission.status !== 'success') {
      return data({ intent, result: submission.reply({ hideFields: ['currentPassword', 'newPassword'] }) }, { status: 400 });
    }
    const changed = await changePassword(context, viewer.id, viewer.sessionId, submission.value.currentPassword, submission.value.newPassword, now);
    if (!changed) {
      return data(
        { intent, result: submission.reply({ fieldErrors: { currentPassword: [message('errors.wrongPassword')] }, hideFields: ['currentPassword', 'newPassword'] }) },
        { status: 400 },
      );
    }
    return redirectWithFlash(context, request, '/profile', { key: 'profile.passwordChanged', tone: 'success' });
  }
  const submission = parseWithZod(formData, { schema: serverProfileSchema });
  if (submission.status !== 'success') return data({ intent: 'profile', result: submission.reply() }, { status: 400 });
  const outcome = await updateProfile(context, viewer.id, submission.value, now);
  if (!outcome.ok) {
    return data({ intent: 'profile', result: submission.reply({ fieldErrors: { email: [message('errors.emailTaken')] } }) }, { status: 409 });
  }
  // A changed name on certificates re-issues the current ones (after the profile is saved, so they carry the new name).
  const reissued = await reissueForNameChange(context, viewer.id, now);
  if (reissued > 0) return redirectWithFlash(context, request, '/profile', { key: 'certificates.flash.reissued', params: { count: String(reissued) }, tone: 'success' });
  return redirectWithFlash(
    context,
    request,
    '/profile',
    outcome.emailChangeSentTo
      ? { key: 'profile.emailChanged', params: { email: outcome.emailChangeSentTo }, tone: 'success' }
      : { key: 'profile.saved', tone: 'success' },
  );
}

/** Tells the holder that changing their name on certificates issues their current certificates again. */
function CertificateNameNotice() {
  const { t } = useTranslation();
  const { certificateCount } = useLoaderData<typeof loader>();
  return (
    <section className="page" aria-labelledby="certificates-heading">
      <h2 id="certificates-heading" style={{ marginTop: 0 }}>
        {t('certificates.profile.title')}
      </h2>
      <p>{t('certificates.profile.intro')}</p>
      <p className="muted" style={{ margin: 0 }}>
        {t('certificates.profile.count', { count: certificateCount })}
      </p>
    </section>
  );
}

function statusTone(status: string) {
  return status === 'validated' ? 'ok' : status === 'pending' ? 'warn' : status === 'rejected' ? 'bad' : 'neutral';
}

export default function Profile() {
  const { t, i18n } = useTranslation();
  const { profile, pendingEmail, sessions, calendar, countries, timeZones } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [form, fields] = useForm({
    id: 'profile',
    lastResult: actionData?.intent === 'profile' ? actionData.result : undefined,
    constraint: getZodConstraint(profileSchema),
    defaultValue: {
      email: profile.email,
      fullName: profile.fullName,
      certificateName: profile.certificateName,
      country: profile.country,
      school: profile.school,
      schoolRole: profile.schoolRole,
      locale: profile.locale,
      timeZone: profile.timeZone,
      notifyOnReplies: profile.notifyOnReplies ? 'on' : undefined,
    },
    shouldValidate: 'onBlur',
    onValidate: ({ formData }) => parseWithZod(formData, { schema: profileSchema }),
  });
  const [passwordForm, passwordFields] = useForm({
    id: 'change-password',
    lastResult: actionData?.intent === 'password' ? actionData.result : undefined,
    constraint: getZodConstraint(changePasswordSchema),
    shouldValidate: 'onBlur',
    onValidate: ({ formData }) => parseWithZod(formData, { schema: changePasswordSchema }),
  });
  const locale = i18n.language;
  return (
    <div className="stack-page">
      <section className="page">
        <h1>{t('profile.title')}</h1>
        <p className="muted">{t('profile.memberSince', { date: formatDate(profile.createdAt, profile.timeZone, locale) })}</p>
        <p>
          {t('validation.statusLabel')}:{' '}
          <span className={`badge badge--${statusTone(profile.staffStatus)}`}>{t(`validation.status.${profile.staffStatus}`)}</span>{' '}
          <Link to="/profile/validation">{t('validation.request.title')}</Link>
        </p>
        {!profile.emailVerified || pendingEmail ? (
          <div className="flash flash--info">
            <p style={{ margin: 0 }}>{pendingEmail ? t('profile.pendingEmail', { email: pendingEmail }) : t('auth.verify.pending')}</p>
            <Form method="post" action="/verify-email">
              <button type="submit" className="link-button">
                {t('auth.verify.resend')}
              </button>
            </Form>
          </div>
        ) : null}
        <Form method="post" className="stack" {...getFormProps(form)}>
          <input type="hidden" name="intent" value="profile" />
          <FormErrors errors={form.errors} id={form.errorId} />
          <TextField meta={fields.email} type="email" label={t('auth.fields.email')} autoComplete="email" />
          <ProfileFields fields={fields} countries={countries} timeZones={timeZones} />
          <CheckboxField meta={fields.notifyOnReplies} label={t('profile.notifyOnReplies')} />
          <div className="actions">
            <button type="submit">{t('common.save')}</button>
          </div>
        </Form>
      </section>

      <CertificateNameNotice />

      <section className="page" aria-labelledby="password-heading">
        <h2 id="password-heading" style={{ marginTop: 0 }}>
          {t('profile.passwordTitle')}
        </h2>
        <Form method="post" className="stack" {...getFormProps(passwordForm)}>
          <input type="hidden" name="intent" value="password" />
          <FormErrors errors={passwordForm.errors} id={passwordForm.errorId} />
          <TextField meta={passwordFields.currentPassword} type="password" label={t('auth.fields.currentPassword')} autoComplete="current-password" />
          <TextField meta={passwordFields.newPassword} type="password" label={t('auth.fields.newPassword')} hint={t('auth.fields.passwordHint')} autoComplete="new-password" />
          <div className="actions">
            <button type="submit">{t('profile.passwordTitle')}</button>
          </div>
        </Form>
      </section>

      <CalendarSubscription urls={calendar.urls} confirmReset={calendar.confirmReset} />

      <section className="page" aria-labelledby="sessions-heading">
        <h2 id="sessions-heading" style={{ marginTop: 0 }}>
          {t('profile.sessionsTitle')}
        </h2>
        <ul className="session-list">
          {sessions.map((s) => {
            const when = formatDateTime(s.lastSeenAt, profile.timeZone, locale);
            return (
              <li key={s.id}>
                <span>
                  {t('profile.lastUsed', { when })} — {s.userAgent || '—'}
                  {s.current ? <strong> ({t('profile.thisSession')})</strong> : null}
                </span>
                {s.current ? null : (
                  <Form method="post">
                    <input type="hidden" name="intent" value="revoke-session" />
                    <input type="hidden" name="sessionId" value={s.id} />
                    <button type="submit" className="link-button" aria-label={t('profile.revokeSessionFor', { when })}>
                      {t('profile.revokeSession')}
                    </button>
                  </Form>
                )}
              </li>
            );
          })}
        </ul>
        <Form method="post" action="/logout">
          <input type="hidden" name="scope" value="everywhere" />
          <p className="muted">{t('auth.logout.everywhereHint')}</p>
          <button type="submit" className="button-danger">
            {t('auth.logout.everywhere')}
          </button>
        </Form>
      </section>

      <section className="page" aria-labelledby="privacy-heading">
        <h2 id="privacy-heading" style={{ marginTop: 0 }}>
          {t('privacy.profile.title')}
        </h2>
        <p>{t('privacy.profile.intro')}</p>
        <ul>
          <li>
            <Link to="/profile/data">{t('privacy.profile.exportLink')}</Link>
          </li>
          <li>
            <Link to="/profile/delete">{t('privacy.profile.deleteLink')}</Link>
          </li>
        </ul>
      </section>
    </div>
  );
}
