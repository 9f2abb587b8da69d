import { getFormProps, useForm, type SubmissionResult } from '@conform-to/react';
import { getZodConstraint, parseWithZod } from '@conform-to/zod/v4';
import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData, useLocation, useSearchParams } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import { FormErrors, TextAreaField } from '~/components/forms';
import { Pagination } from '~/components/pagination';
import { moveFromWaitlist, removeParticipant } from '~/modules/enrolment/enrolment.server';
import { inviteByEmail, listInvitations, revokeInvitation } from '~/modules/enrolment/invitations.server';
import { findParticipant, listParticipants, requireParticipantManager } from '~/modules/enrolment/participants.server';
import { INVITE_MAX, inviteSchema, PARTICIPANT_SEARCH_MAX, PARTICIPANT_STATUSES, participantActionSchema, participantFilterSchema } from '~/modules/enrolment/schemas';
import { message } from '~/modules/forms/messages';
import { readFormData } from '~/modules/forms/read-form.server';
import { findOffering } from '~/modules/offerings/authoring.server';
import { notFound } from '~/modules/policy/guard.server';
import { formatDateTime } from '~/modules/time/format';
import { redirectWithFlash } from '~/modules/ui/flash.server';
import { offeringPageTitle } from '~/modules/ui/meta';
import { parseSearchParams } from '~/modules/ui/search-params.server';
import { countryName } from '~/modules/users/reference-data.server';
import { ResultsTable } from '~/components/results-table';

export const meta: MetaFunction = ({ matches }) => offeringPageTitle(matches, 'enrolment.participants.title');

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { viewer, access } = await requireParticipantManager(context, request, params.id);
  const filter = parseSearchParams(request, participantFilterSchema, viewer.locale);
  const [offering, list, invitations, removing] = await Promise.all([
    findOffering(context.db, access.id),
    listParticipants(context.db, access.id, filter),
    listInvitations(context.db, access.id),
    filter.remove ? findParticipant(context.db, access.id, filter.remove) : null,
  ]);
  if (!offering) notFound();
  // A confirmation for a row of another offering, or one that has no place to lose, is a page that does not exist.
  if (filter.remove && (!removing || (removing.status !== 'enrolled' && removing.status !== 'waitlisted'))) notFound();
  return {
    offering: { id: offering.id, slug: offering.slug, capacity: offering.capacity, seatsTaken: offering.seatsTaken, waitlistEnabled: offering.waitlistEnabled },
    ...list,
    rows: list.rows.map((row) => ({ ...row, countryName: countryName(row.country, viewer.locale) })),
    invitations,
    removing,
    filter: { status: filter.status ?? '', q: filter.q ?? '' },
    timeZone: viewer.timeZone,
  };
}

type ActionData =
  | { intent: 'invite'; result: SubmissionResult<string[]> }
  | { intent: 'row'; rowId: string; error: string; raiseTo?: number; name?: string };

/** Back to the list as the trainer left it, with any confirmation step closed. */
function listUrl(request: Request): string {
  const url = new URL(request.url);
  url.searchParams.delete('remove');
  const search = url.searchParams.toString();
  return url.pathname + (search ? `?${search}` : '');
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const { viewer, access } = await requireParticipantManager(context, request, params.id);
  const formData = await readFormData(request);
  const now = new Date();
  const back = listUrl(request);

  if (formData.get('intent') === 'invite') {
    const submission = parseWithZod(formData, { schema: inviteSchema });
    if (submission.status !== 'success') return data<ActionData>({ intent: 'invite', result: submission.reply() }, { status: 400 });
    const outcome = await inviteByEmail(context, { offeringId: access.id, actor: viewer, emails: submission.value.emails }, now);
    if (!outcome) notFound();
    return redirectWithFlash(context, request, back, {
      key: outcome.alreadyParticipating.length > 0 ? 'enrolment.flash.invitationsSentSomeSkipped' : 'enrolment.flash.invitationsSent',
      params: { count: String(outcome.sent.length), list: outcome.alreadyParticipating.join(', ') },
      tone: 'success',
    });
  }

  const parsed = participantActionSchema.safeParse(Object.fromEntries(formData));
  // Unknown buttons and ids that are not ids name nothing on this page.
  if (!parsed.success) notFound();
  const input = parsed.data;

  if (input.intent === 'revoke') {
    const outcome = await revokeInvitation(context, { offeringId: access.id, invitationId: input.invitationId, actorId: viewer.id }, now);
    if (!outcome.ok) {
      if (outcome.reason === 'not-found') notFound();
      const error = message(outcome.reason === 'accepted' ? 'enrolment.errors.invitationAccepted' : 'enrolment.errors.invitationAlreadyRevoked');
      return data<ActionData>({ intent: 'row', rowId: input.invitationId, error }, { status: 409 });
    }
    return redirectWithFlash(context, request, back, { key: 'enrolment.flash.invitationRevoked', params: { email: outcome.email }, tone: 'success' });
  }

  if (input.intent === 'remove') {
    const outcome = await removeParticipant(context, { offeringId: access.id, enrolmentId: input.enrolmentId, actorId: viewer.id }, now);
    if (!outcome.ok) {
      if (outcome.refusal.reason === 'not-found') notFound();
      const person = await findParticipant(context.db, access.id, input.enrolmentId);
      if (!person) notFound();
      const error =
        outcome.refusal.reason === 'completed'
          ? message('enrolment.errors.cannotRemoveCompleted', { name: person.fullName })
          : message('enrolment.errors.alreadyRemoved', { name: person.fullName });
      return data<ActionData>({ intent: 'row', rowId: input.enrolmentId, error }, { status: 409 });
    }
    const promoted = outcome.promoted.map((p) => p.fullName).join(', ');
    return redirectWithFlash(context, request, back, {
      key: promoted ? 'enrolment.flash.removedPromoted' : 'enrolment.flash.removed',
      params: { name: outcome.fullName, promoted },
      tone: 'success',
    });
  }

  const outcome = await moveFromWaitlist(
    context,
    { offeringId: access.id, enrolmentId: input.enrolmentId, actorId: viewer.id, raiseCapacity: input.intent === 'promote-raise' },
    now,
  );
  if (!outcome.ok) {
    if (outcome.reason === 'not-found') notFound();
    if (outcome.reason === 'not-waitlisted') {
      return data<ActionData>({ intent: 'row', rowId: input.enrolmentId, error: message('enrolment.errors.notWaitlisted') }, { status: 409 });
    }
    return data<ActionData>(
      {
        intent: 'row',
        rowId: input.enrolmentId,
        error: message('enrolment.errors.noFreeSeat', { capacity: outcome.capacity, name: outcome.fullName }),
        raiseTo: outcome.capacity + 1,
        name: outcome.fullName,
      },
      { status: 409 },
    );
  }
  return redirectWithFlash(context, request, back, {
    key: outcome.capacityRaisedTo === null ? 'enrolment.flash.moved' : 'enrolment.flash.movedRaised',
    params: { name: outcome.fullName, capacity: String(outcome.capacityRaisedTo ?? '') },
    tone: 'success',
  });
}

type LoaderData = ReturnType<typeof useLoaderData<typeof loader>>;
type Row = LoaderData['rows'][number];

const STATUS_BADGES = { enrolled: 'badge--ok', completed: 'badge--ok', waitlisted: 'badge--warn', withdrawn: 'badge--neutral' } as const;

function Summary({ offering, counts }: Pick<LoaderData, 'offering' | 'counts'>) {
  const { t } = useTranslation();
  return (
    <p>
      {offering.capacity === null
        ? t('enrolment.participants.placesUnlimited', { taken: offering.seatsTaken })
        : t('enrolment.participants.places', { taken: offering.seatsTaken, capacity: offering.capacity })}{' '}
      {t('enrolment.participants.summary', counts)}
      {offering.capacity !== null && !offering.waitlistEnabled ? ` ${t('enrolment.participants.noWaitlist')}` : null}
    </p>
  );
}

function RowActions({ row, actionData }: { row: Row; actionData: ActionData | undefined }) {
  const { t } = useTranslation();
  const [params] = useSearchParams();
  const confirmHref = () => {
    const next = new URLSearchParams(params);
    next.set('remove', row.enrolmentId);
    return `?${next.toString()}#remove-${row.enrolmentId}`;
  };
  const rowError = actionData?.intent === 'row' && actionData.rowId === row.enrolmentId ? actionData : null;
  if (row.status !== 'enrolled' && row.status !== 'waitlisted') return null;
  return (
    <div className="stack" style={{ display: 'grid', gap: '0.5rem' }}>
      {rowError ? <FormErrors errors={[rowError.error]} /> : null}
      <div className="actions">
        {row.status === 'waitlisted' ? (
          <Form method="post">
            <input type="hidden" name="enrolmentId" value={row.enrolmentId} />
            <button type="submit" name="intent" value="promote" className="button-secondary" aria-label={t('enrolment.participants.moveUpFor', { name: row.fullName })}>
              {t('enrolment.participants.moveUp')}
            </button>
          </Form>
        ) : null}
        <Link to={confirmHref()} aria-label={t('enrolment.participants.removeFor', { name: row.fullName })}>
          {t('enrolment.participants.remove')}
        </Link>
      </div>
      {rowError?.raiseTo ? (
        <Form method="post">
          <input type="hidden" name="enrolmentId" value={row.enrolmentId} />
          <button type="submit" name="intent" value="promote-raise">
            {t('enrolment.participants.raiseAndMove', { capacity: rowError.raiseTo, name: rowError.name ?? row.fullName })}
          </button>
        </Form>
      ) : null}
    </div>
  );
}

function ConfirmRemoval({ removing }: { removing: NonNullable<LoaderData['removing']> }) {
  const { t } = useTranslation();
  const [params] = useSearchParams();
  const cancel = new URLSearchParams(params);
  cancel.delete('remove');
  return (
    <section className="card" aria-labelledby="confirm-remove-heading" id={`remove-${removing.enrolmentId}`} style={{ marginBottom: '1rem' }}>
      <h3 id="confirm-remove-heading" style={{ marginTop: 0 }}>
        {t('enrolment.participants.confirmRemoveTitle', { name: removing.fullName })}
      </h3>
      <p>
        {removing.status === 'waitlisted'
          ? t('enrolment.participants.confirmRemoveWaitlisted', { name: removing.fullName })
          : t('enrolment.participants.confirmRemoveEnrolled', { name: removing.fullName })}
      </p>
      <Form method="post" className="actions">
        <input type="hidden" name="enrolmentId" value={removing.enrolmentId} />
        <button type="submit" name="intent" value="remove" className="button-danger">
          {t('enrolment.participants.confirmRemove')}
        </button>
        <Link to={`?${cancel.toString()}`}>{t('common.cancel')}</Link>
      </Form>
    </section>
  );
}

function InviteForm({ lastResult }: { lastResult: ActionData | undefined }) {
  const { t } = useTranslation();
  const location = useLocation();
  const [form, fields] = useForm({
    id: `invite-${location.key}`,
    lastResult: lastResult?.intent === 'invite' ? lastResult.result : undefined,
    constraint: getZodConstraint(inviteSchema),
    shouldValidate: 'onSubmit',
    shouldRevalidate: 'onInput',
    onValidate: ({ formData }) => parseWithZod(formData, { schema: inviteSchema }),
  });
  return (
    <Form method="post" className="stack" {...getFormProps(form)}>
      <FormErrors errors={form.errors} id={form.errorId} />
      <input type="hidden" name="intent" value="invite" />
      <TextAreaField meta={fields.emails} label={t('enrolment.invitations.emails')} hint={t('enrolment.invitations.emailsHint', { max: INVITE_MAX })} rows={5} />
      <div className="actions">
        <button type="submit">{t('enrolment.invitations.send')}</button>
      </div>
    </Form>
  );
}

function Invitations({ invitations, timeZone, actionData }: Pick<LoaderData, 'invitations' | 'timeZone'> & { actionData: ActionData | undefined }) {
  const { t, i18n } = useTranslation();
  const badge = { pending: 'badge--warn', accepted: 'badge--ok', revoked: 'badge--neutral' } as const;
  if (invitations.length === 0) return <p>{t('enrolment.invitations.empty')}</p>;
  return (
    <div className="table-wrap" tabIndex={0} role="region" aria-label={t('enrolment.invitations.title')}>
      <table>
        <thead>
          <tr>
            <th scope="col">{t('enrolment.invitations.email')}</th>
            <th scope="col">{t('enrolment.invitations.status')}</th>
            <th scope="col">{t('enrolment.invitations.sentAt')}</th>
            <th scope="col">{t('enrolment.invitations.actions')}</th>
          </tr>
        </thead>
        <tbody>
          {invitations.map((invitation) => (
            <tr key={invitation.id}>
              <td>{invitation.email}</td>
              <td>
                <span className={`badge ${badge[invitation.status]}`}>{t(`enrolment.invitations.statuses.${invitation.status}`)}</span>
                {invitation.status === 'accepted' && invitation.acceptedByName ? (
                  <p className="muted" style={{ margin: '0.25rem 0 0' }}>
                    {t('enrolment.invitations.acceptedBy', { name: invitation.acceptedByName })}
                  </p>
                ) : null}
              </td>
              <td>{formatDateTime(invitation.createdAt, timeZone, i18n.language)}</td>
              <td>
                {actionData?.intent === 'row' && actionData.rowId === invitation.id ? <FormErrors errors={[actionData.error]} /> : null}
                {invitation.status === 'pending' ? (
                  <Form method="post">
                    <input type="hidden" name="invitationId" value={invitation.id} />
                    <button
                      type="submit"
                      name="intent"
                      value="revoke"
                      className="link-button"
                      aria-label={t('enrolment.invitations.revokeFor', { email: invitation.email })}
                    >
                      {t('enrolment.invitations.revoke')}
                    </button>
                  </Form>
                ) : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export default function OfferingParticipants() {
  const { t, i18n } = useTranslation();
  const { offering, rows, total, page, pages, counts, invitations, removing, filter, timeZone } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>() as ActionData | undefined;
  const [params] = useSearchParams();
  const csv = new URLSearchParams();
  if (params.get('status')) csv.set('status', params.get('status')!);
  if (params.get('q')) csv.set('q', params.get('q')!);
  const csvQuery = csv.toString();
  const csvHref = `/trainer/offerings/${offering.id}/participants.csv${csvQuery ? `?${csvQuery}` : ''}`;
  return (
    <>
      <section className="page" aria-labelledby="participants-heading">
        <h2 id="participants-heading" style={{ marginTop: 0 }}>
          {t('enrolment.participants.title')}
        </h2>
        <Summary offering={offering} counts={counts} />
        <Form method="get" role="search" className="actions" style={{ alignItems: 'end', marginBottom: '1rem' }}>
          <div className="field">
            <label htmlFor="participants-status">{t('enrolment.participants.filterStatus')}</label>
            <select id="participants-status" name="status" defaultValue={filter.status}>
              <option value="">{t('enrolment.participants.allStatuses')}</option>
              {PARTICIPANT_STATUSES.map((status) => (
                <option key={status} value={status}>
                  {t(`enrolment.participants.statuses.${status}`)}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor="participants-search">{t('enrolment.participants.search')}</label>
            <input id="participants-search" type="search" name="q" defaultValue={filter.q} maxLength={PARTICIPANT_SEARCH_MAX} />
          </div>
          <button type="submit" className="button-secondary">
            {t('common.applyFilters')}
          </button>
          {/* A file, not a page: the browser downloads it. */}
          <a href={csvHref} download>
            {t('enrolment.participants.exportCsv')}
          </a>
        </Form>
        {removing ? <ConfirmRemoval removing={removing} /> : null}
        <ResultsTable total={total} shown={rows.length} empty={t('enrolment.participants.empty')} label={t('enrolment.participants.title')} columns={[t('enrolment.participants.participant'), t('enrolment.participants.school'), t('enrolment.participants.status'), t('enrolment.participants.enrolledAt'), t('enrolment.participants.actions')]}>
          {rows.map((row) => (
            <tr key={row.enrolmentId}>
              <td>
                {row.deleted ? (
                  <em>{t('privacy.deletedUser')}</em>
                ) : (
                  <>
                    {row.fullName}
                    <br />
                    <span className="muted">{row.email}</span>
                  </>
                )}
              </td>
              <td>
                {row.school}
                <br />
                <span className="muted">{row.countryName}</span>
              </td>
              <td>
                <span className={`badge ${STATUS_BADGES[row.status]}`}>{t(`enrolment.participants.statuses.${row.status}`)}</span>
                {row.status === 'waitlisted' && row.waitlistPosition ? (
                  <p style={{ margin: '0.25rem 0 0' }}>{t('enrolment.participants.position', { position: row.waitlistPosition })}</p>
                ) : null}
                {row.status === 'withdrawn' && row.removed ? (
                  <p className="muted" style={{ margin: '0.25rem 0 0' }}>
                    {t('enrolment.participants.removedByTrainer')}
                  </p>
                ) : null}
              </td>
              <td>
                {row.enrolledAt ? formatDateTime(row.enrolledAt, timeZone, i18n.language) : null}
                {row.completedAt ? (
                  <p className="muted" style={{ margin: '0.25rem 0 0' }}>
                    {t('enrolment.participants.completedOn', { date: formatDateTime(row.completedAt, timeZone, i18n.language) })}
                  </p>
                ) : null}
              </td>
              <td>
                <RowActions row={row} actionData={actionData} />
              </td>
            </tr>
          ))}
        </ResultsTable>
        <Pagination page={page} pages={pages} />
      </section>
      <section className="page" aria-labelledby="invitations-heading">
        <h2 id="invitations-heading" style={{ marginTop: 0 }}>
          {t('enrolment.invitations.title')}
        </h2>
        <p className="muted">{t('enrolment.invitations.intro')}</p>
        <InviteForm lastResult={actionData} />
        <h3>{t('enrolment.invitations.sent')}</h3>
        <Invitations invitations={invitations} timeZone={timeZone} actionData={actionData} />
      </section>
    </>
  );
}
