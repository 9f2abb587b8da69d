import { getFormProps, useForm, type SubmissionResult } from '@conform-to/react';
import { parseWithZod } from '@conform-to/zod/v4';
import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node';
import { Form, useActionData, useLoaderData, useLocation, useNavigation } from '@remix-run/react';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { FormErrors, SelectField, TextAreaField, TextField } from '~/components/forms';
import { message } from '~/modules/forms/messages';
import { readFormData } from '~/modules/forms/read-form.server';
import { requireOfferingPermission } from '~/modules/offerings/access.server';
import { listLiveSessions } from '~/modules/offerings/sessions.server';
import { notFound } from '~/modules/policy/guard.server';
import { MESSAGE_BODY_MAX, MESSAGE_SUBJECT_MAX, offeringMessageSchema } from '~/modules/reminders/message-schema';
import { MESSAGES_LISTED } from '~/modules/reminders/message-schema';
import { countActiveParticipants, listOfferingMessages, newMessageToken, sendOfferingMessage } from '~/modules/reminders/messages.server';
import { formatDateTime } from '~/modules/time/format';
import { describeSessionTime } from '~/modules/time/session-time';
import { redirectWithFlash } from '~/modules/ui/flash.server';
import { offeringPageTitle } from '~/modules/ui/meta';

export const meta: MetaFunction = ({ matches }) => offeringPageTitle(matches, 'messages.title');

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { viewer, access } = await requireOfferingPermission(context, request, params.id, 'offering.message');
  const [sessions, sent, participantCount] = await Promise.all([
    listLiveSessions(context.db, access.id),
    listOfferingMessages(context.db, access.id),
    countActiveParticipants(context.db, access.id),
  ]);
  return {
    // A fresh token per page view: it becomes the message's id, so sending the same form twice sends once.
    token: newMessageToken(),
    sessions: sessions.map((s) => ({ id: s.id, title: s.title, startsAt: s.startsAt, organiserTimeZone: s.organiserTimeZone, cancelled: s.cancelledAt !== null })),
    sent,
    participantCount,
    timeZone: viewer.timeZone,
  };
}

type ActionData = { result: SubmissionResult<string[]> };

export async function action({ request, context, params }: ActionFunctionArgs) {
  const { viewer, access } = await requireOfferingPermission(context, request, params.id, 'offering.message');
  const formData = await readFormData(request);
  const sessions = await listLiveSessions(context.db, access.id);
  const submission = parseWithZod(formData, { schema: offeringMessageSchema(sessions.map((s) => s.id)) });
  if (submission.status !== 'success') return data<ActionData>({ result: submission.reply() }, { status: 400 });

  const outcome = await sendOfferingMessage(
    context,
    { offeringId: access.id, sender: { id: viewer.id, fullName: viewer.fullName }, message: submission.value },
    new Date(),
  );
  if (!outcome.ok) {
    if (outcome.reason === 'offering-not-found') notFound();
    const error = outcome.reason === 'no-recipients' ? message('messages.errors.noRecipients') : message('messages.errors.unknownSession');
    return data<ActionData>({ result: submission.reply({ formErrors: [error] }) }, { status: 409 });
  }
  return redirectWithFlash(context, request, `/trainer/offerings/${access.id}/messages`, {
    key: outcome.alreadySent ? 'messages.flash.alreadySent' : 'messages.flash.sent',
    params: { count: String(outcome.recipients) },
    tone: 'success',
  });
}

type LoaderData = ReturnType<typeof useLoaderData<typeof loader>>;

function MessageForm({ token, sessions, participantCount, timeZone }: Pick<LoaderData, 'token' | 'sessions' | 'participantCount' | 'timeZone'>) {
  const { t, i18n } = useTranslation();
  const actionData = useActionData<typeof action>() as ActionData | undefined;
  const busy = useNavigation().state === 'submitting';
  const sessionIds = useMemo(() => sessions.map((s) => s.id), [sessions]);
  const schema = useMemo(() => offeringMessageSchema(sessionIds), [sessionIds]);
  const [form, fields] = useForm({
    id: 'offering-message',
    lastResult: actionData?.result,
    shouldValidate: 'onBlur',
    shouldRevalidate: 'onInput',
    onValidate: ({ formData }) => parseWithZod(formData, { schema }),
  });
  const options = sessions.map((s) => {
    const time = describeSessionTime(s.startsAt, s.organiserTimeZone, timeZone, i18n.language).viewer;
    return { value: s.id, label: t(s.cancelled ? 'messages.sessionOptionCancelled' : 'messages.sessionOption', { title: s.title, time }) };
  });
  return (
    <Form method="post" className="stack" {...getFormProps(form)}>
      <FormErrors errors={form.errors} id={form.errorId} />
      <input type="hidden" name="token" value={token} />
      {sessions.length > 0 ? (
        <SelectField meta={fields.sessionId} label={t('messages.session')} hint={t('messages.sessionHint')} options={options} placeholder={t('messages.wholeOffering')} />
      ) : null}
      <TextField meta={fields.subject} label={t('messages.subject')} maxLength={MESSAGE_SUBJECT_MAX} />
      <TextAreaField meta={fields.body} label={t('messages.body')} hint={t('messages.bodyHint', { max: MESSAGE_BODY_MAX })} rows={10} maxLength={MESSAGE_BODY_MAX} />
      <p>{t('messages.recipientsNow', { count: participantCount })}</p>
      <div className="actions">
        <button type="submit" disabled={busy}>
          {t('messages.send')}
        </button>
      </div>
    </Form>
  );
}

export default function OfferingMessages() {
  const { t, i18n } = useTranslation();
  const { token, sessions, sent, participantCount, timeZone } = useLoaderData<typeof loader>();
  // Each navigation (a sent message included) starts a fresh form; a refused one keeps what was typed.
  const location = useLocation();
  return (
    <>
      <section className="page" aria-labelledby="messages-heading">
        <h2 id="messages-heading" style={{ marginTop: 0 }}>
          {t('messages.heading')}
        </h2>
        <p>{t('messages.intro')}</p>
        <p className="muted">{t('reminders.note')}</p>
        {participantCount === 0 ? (
          <p role="status">{t('messages.noParticipants')}</p>
        ) : (
          <MessageForm key={location.key} token={token} sessions={sessions} participantCount={participantCount} timeZone={timeZone} />
        )}
      </section>
      <section className="page" aria-labelledby="sent-heading">
        <h2 id="sent-heading" style={{ marginTop: 0 }}>
          {t('messages.sentHeading')}
        </h2>
        {sent.length === 0 ? (
          <p>{t('messages.none')}</p>
        ) : (
          <>
            {sent.length >= MESSAGES_LISTED ? <p className="muted">{t('messages.listLimit', { count: MESSAGES_LISTED })}</p> : null}
            <div className="table-wrap" tabIndex={0} role="region" aria-label={t('messages.sentHeading')}>
              <table>
                <thead>
                  <tr>
                    <th scope="col">{t('messages.sentAt')}</th>
                    <th scope="col">{t('messages.subjectColumn')}</th>
                    <th scope="col">{t('messages.recipients')}</th>
                    <th scope="col">{t('messages.delivered')}</th>
                    <th scope="col">{t('messages.failed')}</th>
                    <th scope="col">{t('messages.pending')}</th>
                  </tr>
                </thead>
                <tbody>
                  {sent.map((m) => (
                    <tr key={m.id}>
                      <td>
                        {formatDateTime(m.createdAt, timeZone, i18n.language)}
                        <br />
                        <span className="muted">
                          {t('messages.from')}: {m.senderName ?? t('messages.unknownSender')}
                        </span>
                      </td>
                      <td>
                        <strong>{m.subject}</strong>
                        {m.session ? (
                          <>
                            <br />
                            <span className="muted">{t('messages.about', { session: m.session.title })}</span>
                          </>
                        ) : null}
                        <details>
                          <summary>{t('messages.showBody')}</summary>
                          {/* Plain text as the trainer wrote it: React escapes it, pre-wrap keeps the line breaks. */}
                          <p style={{ whiteSpace: 'pre-wrap', margin: '0.5rem 0 0' }}>{m.body}</p>
                        </details>
                      </td>
                      <td>{m.recipients}</td>
                      <td>{m.delivered}</td>
                      <td>{m.failed}</td>
                      <td>{m.pending}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </>
        )}
      </section>
    </>
  );
}
