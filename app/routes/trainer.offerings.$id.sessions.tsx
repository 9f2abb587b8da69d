import { getFormProps, useForm, type SubmissionResult } from '@conform-to/react';
import { getZodConstraint, parseWithZod } from '@conform-to/zod/v4';
import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData, useLocation } from '@remix-run/react';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { FormErrors, TextAreaField, TextField } from '~/components/forms';
import { NumberField } from '~/components/forms';
import { DateTimeField } from '~/components/offering-fields';
import { cancelSessionSchema } from '~/modules/calendar/cancel-session';
import { message } from '~/modules/forms/messages';
import { findOffering, problemErrors } from '~/modules/offerings/authoring.server';
import { requireOfferingAuthoring } from '~/modules/offerings/access.server';
import { KIND_DEFAULTS } from '~/modules/offerings/kinds';
import { DEFAULT_THRESHOLD_PERCENT } from '~/modules/live/attendance';
import { readZonedField, removeSessionSchema, sessionSchema } from '~/modules/offerings/schemas';
import { addLiveSession, cancelLiveSession, removeLiveSession, sessionsForAuthoring, updateLiveSession } from '~/modules/offerings/sessions.server';
import { notFound } from '~/modules/policy/guard.server';
import { formatDateTime } from '~/modules/time/format';
import { toZonedLocal } from '~/modules/time/zoned';
import { redirectWithFlash } from '~/modules/ui/flash.server';
import { readFormData } from '~/modules/forms/read-form.server';
import { offeringPageTitle } from '~/modules/ui/meta';

export const meta: MetaFunction = ({ matches }) => offeringPageTitle(matches, 'authoring.layout.sessions');

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { viewer, canEdit } = await requireOfferingAuthoring(context, request, params.id, 'inspect');
  const offering = await findOffering(context.db, params.id!);
  if (!offering) notFound();
  // Join links only when the viewer may edit (sessionsForAuthoring leaves them out otherwise).
  const sessions = await sessionsForAuthoring(context.db, offering.id, { canEdit });
  const search = new URL(request.url).searchParams;
  // An edit or cancel link to a session that is gone (or a mangled one) is a page that does not exist;
  // one to a session cancelled meanwhile shows the list, where it reads as cancelled.
  const pick = (id: string | null) => {
    if (!canEdit || !id) return undefined;
    const found = sessions.find((s) => s.id === id);
    if (!found) notFound();
    return found.cancelled ? undefined : found;
  };
  const editing = pick(search.get('edit'));
  const cancelling = pick(search.get('cancel'));
  const zone = offering.organiserTimeZone;
  return {
    offering: { id: offering.id, kind: offering.kind, status: offering.status, organiserTimeZone: zone },
    sessions,
    editing: editing
      ? {
          id: editing.id,
          title: editing.title,
          startsAt: toZonedLocal(editing.startsAt, zone),
          durationMinutes: String(editing.durationMinutes),
          attendanceThresholdPercent: String(editing.attendanceThresholdPercent),
          joinUrl: editing.joinUrl ?? '',
          capacityNote: editing.capacityNote,
        }
      : null,
    cancelling: cancelling ? { id: cancelling.id, title: cancelling.title } : null,
    defaultDuration: KIND_DEFAULTS[offering.kind].sessionMinutes,
    canEdit,
    viewerTimeZone: viewer.timeZone,
  };
}

type ActionData = {
  intent: 'add' | 'update' | 'remove' | 'cancel';
  result: SubmissionResult<string[]> | null;
  error: string[];
  /** The session was cancelled meanwhile (another tab, another trainer): it can no longer change. */
  alreadyCancelled?: boolean;
};

/** A change to a cancelled session: 409, with a message that says so, whatever form it came from. */
function alreadyCancelled(intent: ActionData['intent']) {
  return data<ActionData>({ intent, result: null, error: [], alreadyCancelled: true }, { status: 409 });
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const { viewer, access } = await requireOfferingAuthoring(context, request, params.id, 'edit');
  const offering = await findOffering(context.db, access.id);
  if (!offering) notFound();
  const formData = await readFormData(request);
  const now = new Date();
  const here = `/trainer/offerings/${offering.id}/sessions`;

  if (formData.get('intent') === 'remove') {
    const parsed = removeSessionSchema.safeParse({ intent: 'remove', sessionId: formData.get('sessionId') });
    if (!parsed.success) notFound();
    const outcome = await removeLiveSession(context, { offeringId: offering.id, actorId: viewer.id, sessionId: parsed.data.sessionId }, now);
    if (!outcome.ok) {
      if (outcome.reason !== 'rules') notFound();
      const { formErrors } = problemErrors(outcome.problems);
      return data<ActionData>({ intent: 'remove', result: null, error: [message('authoring.errors.notSavedRules'), ...formErrors] }, { status: 400 });
    }
    return redirectWithFlash(context, request, here, { key: 'authoring.flash.sessionRemoved', tone: 'success' });
  }

  if (formData.get('intent') === 'cancel') {
    const submission = parseWithZod(formData, { schema: cancelSessionSchema });
    if (submission.status !== 'success') return data<ActionData>({ intent: 'cancel', result: submission.reply(), error: [] }, { status: 400 });
    const { sessionId, reason } = submission.value;
    const outcome = await cancelLiveSession(context, { offeringId: offering.id, actorId: viewer.id, sessionId, reason }, now);
    if (!outcome.ok) {
      if (outcome.reason === 'already-cancelled') return alreadyCancelled('cancel');
      if (outcome.reason !== 'rules') notFound();
      const { formErrors } = problemErrors(outcome.problems);
      return data<ActionData>(
        { intent: 'cancel', result: submission.reply({ formErrors: [message('authoring.errors.notSavedRules'), ...formErrors] }), error: [] },
        { status: 400 },
      );
    }
    return redirectWithFlash(context, request, here, { key: 'calendar.sessions.cancelledFlash', tone: 'success' });
  }

  const zone = offering.organiserTimeZone;
  const submission = parseWithZod(formData, { schema: sessionSchema(zone) });
  if (submission.status !== 'success') {
    const intent = formData.get('intent') === 'update' ? 'update' : 'add';
    return data<ActionData>({ intent, result: submission.reply(), error: [] }, { status: 400 });
  }
  const value = submission.value;
  const read = readZonedField(value.startsAt, zone);
  if (!read.ok || !read.instant) throw new Error('validated start did not read');
  const fields = {
    title: value.title,
    startsAt: read.instant,
    organiserTimeZone: zone,
    durationMinutes: value.durationMinutes,
    attendanceThresholdPercent: value.attendanceThresholdPercent,
    joinUrl: value.joinUrl ?? '',
    capacityNote: value.capacityNote ?? '',
  };
  const outcome =
    value.intent === 'update'
      ? await updateLiveSession(context, { offeringId: offering.id, actorId: viewer.id, sessionId: value.sessionId!, fields }, now)
      : await addLiveSession(context, { offeringId: offering.id, actorId: viewer.id, fields }, now);
  if (!outcome.ok) {
    if (outcome.reason === 'already-cancelled') return alreadyCancelled(value.intent);
    if (outcome.reason !== 'rules') notFound();
    const { formErrors } = problemErrors(outcome.problems);
    return data<ActionData>(
      { intent: value.intent, result: submission.reply({ formErrors: [message('authoring.errors.notSavedRules'), ...formErrors] }), error: [] },
      { status: 400 },
    );
  }
  return redirectWithFlash(context, request, here, {
    key: value.intent === 'update' ? 'authoring.flash.sessionUpdated' : 'authoring.flash.sessionAdded',
    tone: 'success',
  });
}

type LoaderData = ReturnType<typeof useLoaderData<typeof loader>>;

function SessionForm({
  zone,
  editing,
  defaultDuration,
  lastResult,
  kind,
}: {
  zone: string;
  editing: LoaderData['editing'];
  defaultDuration: number;
  lastResult?: SubmissionResult<string[]> | null;
  kind: LoaderData['offering']['kind'];
}) {
  const { t } = useTranslation();
  const schema = useMemo(() => sessionSchema(zone), [zone]);
  const [form, fields] = useForm({
    id: editing ? `session-${editing.id}` : 'session-new',
    lastResult: lastResult ?? undefined,
    constraint: getZodConstraint(schema),
    defaultValue: editing ?? { durationMinutes: String(defaultDuration), attendanceThresholdPercent: String(DEFAULT_THRESHOLD_PERCENT) },
    shouldValidate: 'onBlur',
    shouldRevalidate: 'onInput',
    onValidate: ({ formData }) => parseWithZod(formData, { schema }),
  });
  return (
    <section className="page" aria-labelledby="session-form-heading">
      <h2 id="session-form-heading" style={{ marginTop: 0 }}>
        {editing ? t('authoring.sessions.editHeading', { title: editing.title }) : t('authoring.sessions.addHeading')}
      </h2>
      <Form method="post" className="stack" {...getFormProps(form)}>
        <FormErrors errors={form.errors} id={form.errorId} />
        <input type="hidden" name="intent" value={editing ? 'update' : 'add'} />
        {editing ? <input type="hidden" name="sessionId" value={editing.id} /> : null}
        <TextField meta={fields.title} label={t('authoring.sessions.title')} />
        <DateTimeField meta={fields.startsAt} zone={zone} label={t('authoring.sessions.startsAt')} hint={t('authoring.sessions.startsAtHint')} />
        <NumberField
          meta={fields.durationMinutes}
          label={t('authoring.sessions.duration')}
          hint={kind === 'webinar' || kind === 'webinar_series' ? t('authoring.sessions.durationHintWebinar') : t('authoring.sessions.durationHint')}
        />
        <NumberField meta={fields.attendanceThresholdPercent} label={t('authoring.sessions.threshold')} hint={t('authoring.sessions.thresholdHint')} />
        <TextField meta={fields.joinUrl} type="url" label={t('authoring.sessions.joinUrl')} hint={t('authoring.sessions.joinUrlHint')} />
        <TextField meta={fields.capacityNote} label={t('authoring.sessions.capacityNote')} hint={t('authoring.sessions.capacityNoteHint')} />
        <div className="actions">
          <button type="submit">{editing ? t('common.save') : t('authoring.sessions.add')}</button>
          {editing ? <Link to=".">{t('common.cancel')}</Link> : null}
        </div>
      </Form>
    </section>
  );
}

function CancelSessionForm({ session, lastResult }: { session: { id: string; title: string }; lastResult?: SubmissionResult<string[]> | null }) {
  const { t } = useTranslation();
  const [form, fields] = useForm({
    id: `cancel-${session.id}`,
    lastResult: lastResult ?? undefined,
    constraint: getZodConstraint(cancelSessionSchema),
    shouldValidate: 'onBlur',
    shouldRevalidate: 'onInput',
    onValidate: ({ formData }) => parseWithZod(formData, { schema: cancelSessionSchema }),
  });
  return (
    <section className="page" aria-labelledby="cancel-session-heading" id="cancel-session">
      <h2 id="cancel-session-heading" style={{ marginTop: 0 }}>
        {t('calendar.sessions.cancelHeading', { title: session.title })}
      </h2>
      <p>{t('calendar.sessions.cancelIntro')}</p>
      <Form method="post" className="stack" {...getFormProps(form)}>
        <FormErrors errors={form.errors} id={form.errorId} />
        <input type="hidden" name="intent" value="cancel" />
        <input type="hidden" name="sessionId" value={session.id} />
        <TextAreaField meta={fields.reason} label={t('calendar.sessions.reason')} hint={t('calendar.sessions.reasonHint')} />
        <div className="actions">
          <button type="submit" className="button-danger">
            {t('calendar.sessions.confirmCancel')}
          </button>
          <Link to=".">{t('calendar.sessions.keep')}</Link>
        </div>
      </Form>
    </section>
  );
}

export default function OfferingSessions() {
  const { t, i18n } = useTranslation();
  const { offering, sessions, editing, cancelling, defaultDuration, canEdit, viewerTimeZone } = useLoaderData<typeof loader>();
  // Each navigation (a saved session included) starts a fresh form; a refused one keeps what was typed.
  const location = useLocation();
  const actionData = useActionData<typeof action>() as ActionData | undefined;
  const locale = i18n.language;
  const formResult =
    actionData && actionData.intent !== 'remove' && actionData.intent !== 'cancel' && (actionData.intent === 'update') === !!editing ? actionData.result : undefined;
  return (
    <>
      <section className="page" aria-labelledby="sessions-heading">
        <h2 id="sessions-heading" style={{ marginTop: 0 }}>
          {t('authoring.sessions.heading')}
        </h2>
        <p className="muted">{t(`authoring.sessions.kindRule.${offering.kind}`)}</p>
        {actionData?.intent === 'remove' ? <FormErrors errors={actionData.error} /> : null}
        {actionData?.alreadyCancelled ? (
          <div className="form-error" role="alert">
            <p style={{ margin: 0 }}>{t('calendar.sessions.alreadyCancelled')}</p>
          </div>
        ) : null}
        {sessions.length === 0 ? (
          <p>{t('authoring.sessions.none')}</p>
        ) : (
          <div className="table-wrap" tabIndex={0} role="region" aria-label={t('authoring.sessions.heading')}>
            <table>
              <thead>
                <tr>
                  <th scope="col">{t('authoring.sessions.title')}</th>
                  <th scope="col">{t('authoring.sessions.when')}</th>
                  <th scope="col">{t('authoring.sessions.duration')}</th>
                  {canEdit ? <th scope="col">{t('authoring.sessions.joinUrl')}</th> : null}
                  {canEdit ? <th scope="col">{t('authoring.sessions.actions')}</th> : null}
                </tr>
              </thead>
              <tbody>
                {sessions.map((s) => (
                  <tr key={s.id}>
                    <td>
                      {s.title}
                      {s.cancelled ? (
                        <>
                          {' '}
                          <span className="badge badge--bad">{t('authoring.sessions.cancelled')}</span>
                        </>
                      ) : null}
                      {s.capacityNote ? (
                        <p className="muted" style={{ margin: 0 }}>
                          {s.capacityNote}
                        </p>
                      ) : null}
                    </td>
                    <td>
                      {formatDateTime(s.startsAt, viewerTimeZone, locale)}
                      {s.organiserTimeZone !== viewerTimeZone ? (
                        <p className="muted" style={{ margin: 0 }}>
                          {t('authoring.sessions.organiserTime', { time: formatDateTime(s.startsAt, s.organiserTimeZone, locale), zone: s.organiserTimeZone })}
                        </p>
                      ) : null}
                    </td>
                    <td>{t('authoring.sessions.minutes', { count: s.durationMinutes })}</td>
                    {/* Join links are for the offering's own trainers; the loader sends them to nobody else. */}
                    {canEdit ? <td style={{ wordBreak: 'break-all' }}>{s.joinUrl || <span className="muted">{t('authoring.sessions.noLink')}</span>}</td> : null}
                    {canEdit ? (
                      <td>
                        <div className="actions">
                          {s.cancelled ? null : (
                            <>
                              <Link to={`?edit=${s.id}`} aria-label={t('authoring.sessions.editNamed', { title: s.title })}>
                                {t('authoring.sessions.edit')}
                              </Link>
                              <Link to={`?cancel=${s.id}#cancel-session`} aria-label={t('calendar.sessions.cancelNamed', { title: s.title })}>
                                {t('calendar.sessions.cancel')}
                              </Link>
                            </>
                          )}
                          <Link to={`/trainer/offerings/${offering.id}/sessions/${s.id}`} aria-label={t('calendar.sessions.attendanceNamed', { title: s.title })}>
                            {t('calendar.sessions.attendance')}
                          </Link>
                          <Form method="post">
                            <input type="hidden" name="sessionId" value={s.id} />
                            <button
                              type="submit"
                              name="intent"
                              value="remove"
                              className="link-button"
                              aria-label={t('authoring.sessions.removeNamed', { title: s.title })}
                            >
                              {t('authoring.sessions.remove')}
                            </button>
                          </Form>
                        </div>
                      </td>
                    ) : null}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
      {cancelling ? (
        <CancelSessionForm
          key={`${cancelling.id}-${location.key}`}
          session={cancelling}
          lastResult={actionData?.intent === 'cancel' ? actionData.result : undefined}
        />
      ) : null}
      {canEdit ? (
        <SessionForm
          key={`${editing?.id ?? 'new'}-${location.key}`}
          zone={offering.organiserTimeZone}
          editing={editing}
          defaultDuration={defaultDuration}
          lastResult={formResult}
          kind={offering.kind}
        />
      ) : null}
    </>
  );
}
