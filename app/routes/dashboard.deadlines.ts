import { redirect, type ActionFunctionArgs } from '@remix-run/node';
import { readFormData } from '~/modules/forms/read-form.server';
import { findOwnEnrolment, shiftDeadlines, shiftDeadlinesSchema } from '~/modules/learning/deadlines.server';
import { SHIFT_REFUSAL_KEYS, type ShiftRefusal } from '~/modules/learning/pacing';
import { notFound, policyEnvironment, requirePermission } from '~/modules/policy/guard.server';
import { can } from '~/modules/policy/policy';
import { formatDateTime } from '~/modules/time/format';
import { redirectWithFlash } from '~/modules/ui/flash.server';
import { isUuid } from '~/modules/ui/ids';

const DASHBOARD = '/dashboard';

/** Nothing to show here: the form lives on the dashboard. */
export function loader() {
  return redirect(DASHBOARD);
}

/** "Shift my deadlines" for one offering; every outcome goes back to the dashboard with a message. */
export async function action({ request, context }: ActionFunctionArgs) {
  const viewer = await requirePermission(context, request, { action: 'learning.dashboard' });
  const formData = await readFormData(request);
  const offeringId = formData.get('offeringId');
  if (!isUuid(offeringId)) notFound();
  const enrolment = await findOwnEnrolment(context.db, offeringId, viewer.id);
  if (!enrolment) notFound();

  const refuse = (reason: ShiftRefusal, params: Record<string, string>) =>
    redirectWithFlash(context, request, DASHBOARD, { key: SHIFT_REFUSAL_KEYS[reason], params, tone: 'error' });

  if (!can(viewer, { action: 'learning.shiftDeadlines', enrolment }, policyEnvironment(context))) return refuse('not-enrolled', { title: enrolment.title });
  const parsed = shiftDeadlinesSchema.safeParse({ days: formData.get('days') });
  if (!parsed.success) return refuse('invalid-days', { title: enrolment.title });

  const outcome = await shiftDeadlines(context.db, { offeringId, userId: viewer.id, days: parsed.data.days }, new Date());
  if (!outcome.ok) {
    return refuse(outcome.reason, {
      title: outcome.title,
      deadline: outcome.deadline ? formatDateTime(outcome.deadline, viewer.timeZone, viewer.locale) : '',
    });
  }
  return redirectWithFlash(context, request, DASHBOARD, {
    key: outcome.days === 1 ? 'dashboard.shift.movedOneDay' : 'dashboard.shift.moved',
    params: { title: outcome.title, days: String(outcome.days), left: String(outcome.shiftsLeft) },
    tone: 'success',
  });
}
