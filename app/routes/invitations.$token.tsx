import { data, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import { getViewer, requireViewer, type Viewer } from '~/modules/auth/viewer.server';
import { resolvePreferences } from '~/modules/i18n/preferences.server';
import { acceptInvitation, invitationStanding, type InvitationStanding } from '~/modules/enrolment/invitations.server';
import { refusalMessage, type Said } from '~/modules/enrolment/messages';
import { personFromViewer } from '~/modules/enrolment/panel.server';
import { readFormData } from '~/modules/forms/read-form.server';
import { translateKey } from '~/modules/i18n/translate';
import { passOnHeaders } from '~/modules/ui/headers';
import { redirectWithFlash } from '~/modules/ui/flash.server';
import { titled } from '~/modules/ui/meta';

export const headers = passOnHeaders;

export const meta = titled('enrolment.invitationPage.title');

/** The link's token must not leak to other sites through the Referer header, nor stay in a shared cache. */
const PRIVATE = { 'Referrer-Policy': 'no-referrer', 'Cache-Control': 'no-store' };

type View = {
  state: Exclude<InvitationStanding['state'], 'ready'> | 'ready';
  title: string | null;
  slug: string | null;
  maskedEmail: string | null;
  /** Why accepting would not enrol the person now. */
  refusal: Said | null;
  offer: 'enrol' | 'waitlist' | null;
  signInHref: string;
};

function viewOf(standing: InvitationStanding, request: Request, prefs: { timeZone: string; locale: string }): View {
  const path = new URL(request.url).pathname;
  const invitation = 'invitation' in standing ? standing.invitation : null;
  const base = {
    state: standing.state,
    title: invitation?.title ?? null,
    slug: invitation?.slug ?? null,
    maskedEmail: 'maskedEmail' in standing ? standing.maskedEmail : null,
    refusal: null,
    offer: null,
    signInHref: `/login?redirectTo=${encodeURIComponent(path)}`,
  };
  if (standing.state !== 'ready') return base;
  const { check } = standing;
  return check.ok
    ? { ...base, offer: check.expect === 'seat' ? 'enrol' : 'waitlist' }
    : { ...base, refusal: refusalMessage(check.refusal, prefs) };
}

const STATUS: Record<View['state'], number> = { invalid: 404, revoked: 410, used: 410, 'accepted-by-you': 200, 'sign-in': 200, 'wrong-account': 403, ready: 200 };

async function pageFor(context: LoaderFunctionArgs['context'], request: Request, token: string, viewer: Viewer | null) {
  const prefs = await resolvePreferences(context, request, viewer);
  const standing = await invitationStanding(context.db, token, viewer ? personFromViewer(viewer) : null, new Date());
  return viewOf(standing, request, prefs);
}

/** Opening the link shows the invitation; only the button accepts it (mail scanners open links too). */
export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const viewer = await getViewer(context, request);
  const view = await pageFor(context, request, params.token ?? '', viewer);
  return data(view, { status: STATUS[view.state], headers: PRIVATE });
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const viewer = await requireViewer(context, request);
  const formData = await readFormData(request);
  const token = params.token ?? '';
  if (formData.get('intent') !== 'accept') return data({ view: await pageFor(context, request, token, viewer), refusal: null }, { status: 400, headers: PRIVATE });
  const outcome = await acceptInvitation(context, { token, person: personFromViewer(viewer) }, new Date());
  if (outcome.ok) {
    const to = `/offerings/${encodeURIComponent(outcome.offering.slug)}#enrolment`;
    const title = outcome.offering.title;
    return redirectWithFlash(
      context,
      request,
      to,
      outcome.status === 'enrolled'
        ? { key: 'enrolment.flash.enrolled', params: { title }, tone: 'success' }
        : { key: 'enrolment.flash.waitlisted', params: { title, position: String(outcome.position ?? '') }, tone: 'info' },
    );
  }
  // Something changed since the page was shown (used in another tab, the offering filled up, the window closed): show it afresh.
  const view = await pageFor(context, request, token, viewer);
  const refusal: Said | null =
    'refusal' in outcome
      ? outcome.refusal.reason === 'invitation-used'
        ? { key: 'enrolment.refusal.invitationUsed', params: {} }
        : outcome.refusal.reason === 'not-found'
          ? null
          : refusalMessage(outcome.refusal, { timeZone: viewer.timeZone, locale: viewer.locale })
      : null;
  return data({ view, refusal }, { status: 409, headers: PRIVATE });
}

export default function InvitationPage() {
  const { t } = useTranslation();
  const loaded = useLoaderData<typeof loader>();
  const acted = useActionData<typeof action>();
  const view = acted?.view ?? loaded;
  const refusal = acted?.refusal ?? view.refusal;
  const offeringHref = view.slug ? `/offerings/${encodeURIComponent(view.slug)}` : null;
  return (
    <section className="page narrow">
      <h1>{view.title ? t('enrolment.invitationPage.heading', { title: view.title }) : t('enrolment.invitationPage.title')}</h1>
      {view.state === 'invalid' ? <p>{t('enrolment.invitationPage.invalid')}</p> : null}
      {view.state === 'revoked' ? <p>{t('enrolment.invitationPage.revoked')}</p> : null}
      {view.state === 'used' ? <p>{t('enrolment.invitationPage.used')}</p> : null}
      {view.state === 'accepted-by-you' ? <p>{t('enrolment.invitationPage.acceptedByYou')}</p> : null}
      {view.state === 'sign-in' ? (
        <>
          <p>{t('enrolment.invitationPage.signIn', { email: view.maskedEmail })}</p>
          <p className="actions">
            <Link to={view.signInHref} className="button">
              {t('enrolment.invitationPage.signInButton')}
            </Link>
            <Link to="/register">{t('enrolment.invitationPage.register')}</Link>
          </p>
          <p className="muted">{t('enrolment.invitationPage.noAccount')}</p>
        </>
      ) : null}
      {view.state === 'wrong-account' ? <p>{t('enrolment.invitationPage.wrongAccount', { email: view.maskedEmail })}</p> : null}
      {refusal ? (
        <div className="form-error" role="alert">
          <p style={{ margin: 0 }}>{translateKey(t, refusal.key, refusal.params)}</p>
        </div>
      ) : null}
      {view.state === 'ready' && view.offer ? (
        <Form method="post" className="stack" style={{ marginTop: '1rem' }}>
          {view.offer === 'waitlist' ? <p>{t('enrolment.invitationPage.waitlistNote')}</p> : null}
          <input type="hidden" name="intent" value="accept" />
          <div className="actions">
            <button type="submit">{view.offer === 'waitlist' ? t('enrolment.invitationPage.acceptWaitlist') : t('enrolment.invitationPage.accept')}</button>
          </div>
        </Form>
      ) : null}
      {offeringHref && view.state !== 'invalid' ? (
        <p style={{ marginTop: '1rem' }}>
          <Link to={offeringHref}>{t('enrolment.invitationPage.toOffering')}</Link>
        </p>
      ) : null}
    </section>
  );
}
