import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node';
import { getViewer } from '~/modules/auth/viewer.server';
import { enrol, loadEnrolmentFacts, unenrol } from '~/modules/enrolment/enrolment.server';
import { refusalMessage, unenrolRefusalMessage } from '~/modules/enrolment/messages';
import { personFromViewer } from '~/modules/enrolment/panel.server';
import { enrolmentIntentSchema } from '~/modules/enrolment/schemas';
import { readFormData } from '~/modules/forms/read-form.server';
import { notFound, policyEnvironment } from '~/modules/policy/guard.server';
import { can } from '~/modules/policy/policy';
import { redirectWithFlash } from '~/modules/ui/flash.server';
import { badRequest } from '~/modules/ui/search-params.server';

/**
 * What the offering page's enrolment panel posts: enrol (or join the
 * waitlist) and unenrol (or leave the waitlist). Every outcome goes back to
 * the panel with a message in the viewer's language, refusals included.
 */
export async function action({ request, context, params }: ActionFunctionArgs) {
  const slug = params.slug ?? '';
  if (slug.length === 0 || slug.length > 200) notFound();
  const page = `/offerings/${encodeURIComponent(slug)}`;
  const viewer = await getViewer(context, request);
  if (!viewer) throw redirect(`/login?redirectTo=${encodeURIComponent(page)}`);
  const formData = await readFormData(request);
  const parsed = enrolmentIntentSchema.safeParse({ intent: formData.get('intent') });
  if (!parsed.success) badRequest(viewer.locale, 'errors.invalidChoice');

  const facts = await loadEnrolmentFacts(context.db, { slug }, viewer);
  if (!facts) notFound();
  const { offering } = facts;
  if (!can(viewer, { action: 'offering.enrol', offering: { status: offering.status, trainerIds: offering.trainerIds } }, policyEnvironment(context))) notFound();
  const back = `${page}#enrolment`;
  const title = offering.title;
  const now = new Date();

  if (parsed.data.intent === 'unenrol') {
    const outcome = await unenrol(context, { offeringId: offering.id, userId: viewer.id }, now);
    if (!outcome.ok) {
      if (outcome.refusal.reason === 'not-found') notFound();
      const said = unenrolRefusalMessage(outcome.refusal);
      return redirectWithFlash(context, request, back, { key: said.key, params: said.params, tone: 'error' });
    }
    return redirectWithFlash(context, request, back, {
      key: outcome.previous === 'enrolled' ? 'enrolment.flash.unenrolled' : 'enrolment.flash.leftWaitlist',
      params: { title },
      tone: 'success',
    });
  }

  const outcome = await enrol(context, { offering: { offeringId: offering.id }, facts, person: personFromViewer(viewer) }, now);
  if (!outcome.ok) {
    const { refusal } = outcome;
    if (refusal.reason === 'not-found') notFound();
    const said =
      refusal.reason === 'invitation-used'
        ? { key: 'enrolment.refusal.invitationUsed' as const, params: {} }
        : refusalMessage(refusal, { timeZone: viewer.timeZone, locale: viewer.locale });
    return redirectWithFlash(context, request, back, { key: said.key, params: said.params, tone: 'error' });
  }
  return redirectWithFlash(
    context,
    request,
    back,
    outcome.status === 'enrolled'
      ? { key: 'enrolment.flash.enrolled', params: { title }, tone: 'success' }
      : { key: 'enrolment.flash.waitlisted', params: { title, position: String(outcome.position ?? '') }, tone: 'info' },
  );
}

/** Nothing to show here: an address typed or bookmarked by hand goes to the offering page. */
export function loader({ params }: LoaderFunctionArgs) {
  return redirect(`/offerings/${encodeURIComponent(params.slug ?? '')}#enrolment`);
}
