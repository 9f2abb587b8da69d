import { getFormProps, useForm, type SubmissionResult } from '@conform-to/react';
import { getZodConstraint, parseWithZod } from '@conform-to/zod/v4';
import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node';
import { Form, useActionData, useLoaderData, useLocation } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import { CheckboxField, FormErrors, SelectField, TextAreaField, TextField } from '~/components/forms';
import { FieldErrors, NumberField } from '~/components/forms';
import { ChoiceGroup, DateTimeField, ProblemList, type ProblemView } from '~/components/offering-fields';
import { message, translateMessage } from '~/modules/forms/messages';
import {
  addOfferingTrainer,
  changeOfferingStatus,
  detailsFormValues,
  offeringForAuthoring,
  problemErrors,
  removeOfferingTrainer,
  saveOfferingDetails,
} from '~/modules/offerings/authoring.server';
import { requireOfferingAuthoring } from '~/modules/offerings/access.server';
import { ELIGIBILITIES, hasModules, isLiveKind, TARGET_AUDIENCES } from '~/modules/offerings/kinds';
import { detailsSchema, languageOptions, statusChangeSchema, trainerChangeSchema } from '~/modules/offerings/schemas';
import { notFound } from '~/modules/policy/guard.server';
import { formatDateTime } from '~/modules/time/format';
import { redirectWithFlash } from '~/modules/ui/flash.server';
import { timeZoneOptions } from '~/modules/users/reference-data.server';
import { readFormData } from '~/modules/forms/read-form.server';
import { offeringPageTitle } from '~/modules/ui/meta';

export const meta: MetaFunction = ({ matches }) => offeringPageTitle(matches, 'authoring.layout.details');

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { viewer, canEdit } = await requireOfferingAuthoring(context, request, params.id, 'inspect');
  const found = await offeringForAuthoring(context.db, params.id!);
  if (!found) notFound();
  const { offering: o } = found;
  return {
    offering: {
      id: o.id,
      kind: o.kind,
      status: o.status,
      organiserTimeZone: o.organiserTimeZone,
      startsAt: o.startsAt,
      endsAt: o.endsAt,
      seatsTaken: o.seatsTaken,
    },
    values: detailsFormValues(o),
    trainers: found.trainers,
    problems: found.problems as ProblemView[],
    sessionCount: found.sessionCount,
    canEdit,
    viewerId: viewer.id,
    viewerTimeZone: viewer.timeZone,
    languages: languageOptions(viewer.locale),
    timeZones: timeZoneOptions(),
  };
}

type ActionData =
  | { form: 'details'; result: SubmissionResult<string[]>; problems: ProblemView[]; saved: boolean }
  | { form: 'status'; error: string }
  | { form: 'trainers'; result: SubmissionResult<string[]> };

export async function action({ request, context, params }: ActionFunctionArgs) {
  const { viewer, access } = await requireOfferingAuthoring(context, request, params.id, 'edit');
  const formData = await readFormData(request);
  const intent = formData.get('intent');
  const now = new Date();
  const here = `/trainer/offerings/${access.id}`;

  if (intent === 'unpublish' || intent === 'archive' || intent === 'restore') {
    const parsed = statusChangeSchema.safeParse({ intent });
    if (!parsed.success) return data<ActionData>({ form: 'status', error: message('errors.invalidChoice') }, { status: 400 });
    const outcome = await changeOfferingStatus(context, { offeringId: access.id, actorId: viewer.id, intent: parsed.data.intent }, now);
    if (!outcome.ok) {
      if (outcome.reason === 'not-found') notFound();
      return data<ActionData>({ form: 'status', error: message('authoring.errors.wrongStatus') }, { status: 409 });
    }
    return redirectWithFlash(context, request, here, { key: `authoring.flash.${parsed.data.intent}`, tone: 'success' });
  }

  if (intent === 'addTrainer' || intent === 'removeTrainer') {
    const submission = parseWithZod(formData, { schema: trainerChangeSchema });
    if (submission.status !== 'success') return data<ActionData>({ form: 'trainers', result: submission.reply() }, { status: 400 });
    const change = submission.value;
    if (change.intent === 'addTrainer') {
      const outcome = await addOfferingTrainer(context, { offeringId: access.id, actorId: viewer.id, email: change.email }, now);
      if (!outcome.ok) {
        if (outcome.reason === 'not-found') notFound();
        const key = outcome.reason === 'no-such-trainer' ? 'authoring.errors.noSuchTrainer' : 'authoring.errors.alreadyTrainer';
        return data<ActionData>(
          { form: 'trainers', result: submission.reply({ fieldErrors: { email: [message(key)] } }) },
          { status: outcome.reason === 'no-such-trainer' ? 400 : 409 },
        );
      }
      return redirectWithFlash(context, request, here, { key: 'authoring.flash.trainerAdded', params: { name: outcome.fullName }, tone: 'success' });
    }
    const outcome = await removeOfferingTrainer(context, { offeringId: access.id, actorId: viewer.id, userId: change.userId }, now);
    if (!outcome.ok) {
      if (outcome.reason !== 'last-trainer') notFound();
      return data<ActionData>({ form: 'trainers', result: submission.reply({ formErrors: [message('authoring.errors.lastTrainer')] }) }, { status: 409 });
    }
    return redirectWithFlash(context, request, here, { key: 'authoring.flash.trainerRemoved', params: { name: outcome.fullName }, tone: 'success' });
  }

  const submission = parseWithZod(formData, { schema: detailsSchema });
  if (submission.status !== 'success') {
    return data<ActionData>({ form: 'details', result: submission.reply(), problems: [], saved: false }, { status: 400 });
  }
  const outcome = await saveOfferingDetails(context, { offeringId: access.id, actorId: viewer.id, details: submission.value }, now);
  if (!outcome.ok) {
    if (outcome.reason === 'not-found') notFound();
    const { formErrors, fieldErrors } = problemErrors(outcome.problems);
    const lead = message(outcome.saved ? 'authoring.errors.savedNotPublished' : 'authoring.errors.notSavedRules');
    return data<ActionData>(
      { form: 'details', result: submission.reply({ formErrors: [lead, ...formErrors], fieldErrors }), problems: outcome.problems, saved: outcome.saved },
      { status: 400 },
    );
  }
  return redirectWithFlash(context, request, here, { key: outcome.published ? 'authoring.flash.published' : 'authoring.flash.saved', tone: 'success' });
}

type LoaderData = ReturnType<typeof useLoaderData<typeof loader>>;

function PublishingPanel({
  offering,
  problems,
  canEdit,
  statusError,
}: {
  offering: LoaderData['offering'];
  problems: ProblemView[];
  canEdit: boolean;
  statusError?: string;
}) {
  const { t } = useTranslation();
  const base = `/trainer/offerings/${offering.id}`;
  const live = isLiveKind(offering.kind);
  const hrefFor = (field: string) => {
    if (field === 'sessions' || (live && (field === 'startsAt' || field === 'endsAt'))) return `${base}/sessions`;
    if (field === 'modules' || field === 'activities') return `${base}/structure`;
    return `#offering-details-${field}`;
  };
  return (
    <section className="page" aria-labelledby="publishing-heading">
      <h2 id="publishing-heading" style={{ marginTop: 0 }}>
        {t('authoring.publishing.heading')}
      </h2>
      <p>{t(`authoring.publishing.status.${offering.status}`)}</p>
      {offering.status !== 'archived' ? (
        problems.length === 0 ? (
          <p className="badge badge--ok">{t('authoring.publishing.ready')}</p>
        ) : (
          <>
            <p>{t('authoring.publishing.notReady', { count: problems.length })}</p>
            <ProblemList problems={problems} hrefFor={hrefFor} />
          </>
        )
      ) : null}
      {statusError ? <FormErrors errors={[statusError]} /> : null}
      {canEdit ? (
        <Form method="post" className="actions">
          {offering.status === 'published' ? (
            <button type="submit" name="intent" value="unpublish" className="button-secondary">
              {t('authoring.publishing.unpublish')}
            </button>
          ) : null}
          {offering.status === 'archived' ? (
            <button type="submit" name="intent" value="restore" className="button-secondary">
              {t('authoring.publishing.restore')}
            </button>
          ) : (
            <button type="submit" name="intent" value="archive" className="button-danger">
              {t('authoring.publishing.archive')}
            </button>
          )}
        </Form>
      ) : null}
      {offering.status === 'draft' && canEdit ? <p className="muted">{t('authoring.publishing.publishHint')}</p> : null}
    </section>
  );
}

function TrainersSection({ trainers, canEdit, lastResult }: { trainers: LoaderData['trainers']; canEdit: boolean; lastResult?: SubmissionResult<string[]> }) {
  const { t } = useTranslation();
  const [form, fields] = useForm<{ email: string }>({
    id: 'offering-trainers',
    lastResult,
    shouldValidate: 'onSubmit',
  });
  return (
    <section className="page" aria-labelledby="trainers-heading">
      <h2 id="trainers-heading" style={{ marginTop: 0 }}>
        {t('authoring.trainers.heading')}
      </h2>
      <FormErrors errors={form.errors} id={form.errorId} />
      <ul>
        {trainers.map((trainer) => (
          <li key={trainer.id} className="actions" style={{ gap: '0.5rem' }}>
            <span>
              {trainer.fullName} <span className="muted">{trainer.email}</span>
            </span>
            {canEdit && trainers.length > 1 ? (
              <Form method="post">
                <input type="hidden" name="userId" value={trainer.id} />
                <button
                  type="submit"
                  name="intent"
                  value="removeTrainer"
                  className="link-button"
                  aria-label={t('authoring.trainers.removeNamed', { name: trainer.fullName })}
                >
                  {t('authoring.trainers.remove')}
                </button>
              </Form>
            ) : null}
          </li>
        ))}
      </ul>
      {canEdit && trainers.length === 1 ? <p className="muted">{t('authoring.trainers.lastHint')}</p> : null}
      {canEdit ? (
        <Form method="post" className="stack" {...getFormProps(form)}>
          <input type="hidden" name="intent" value="addTrainer" />
          <TextField meta={fields.email} type="email" label={t('authoring.trainers.email')} hint={t('authoring.trainers.emailHint')} autoComplete="off" />
          <div className="actions">
            <button type="submit" className="button-secondary">
              {t('authoring.trainers.add')}
            </button>
          </div>
        </Form>
      ) : null}
    </section>
  );
}

export default function OfferingDetails() {
  const { offering, trainers, problems, canEdit } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>() as ActionData | undefined;
  // Each navigation (a successful save included) starts the forms afresh from the stored values; a refused post keeps what was typed.
  const location = useLocation();
  const details = actionData?.form === 'details' ? actionData : undefined;
  return (
    <>
      <PublishingPanel
        offering={offering}
        problems={details && details.problems.length > 0 ? details.problems : problems}
        canEdit={canEdit}
        statusError={actionData?.form === 'status' ? actionData.error : undefined}
      />
      <DetailsForm key={location.key} lastResult={details?.result} />
      <TrainersSection
        key={`trainers-${location.key}`}
        trainers={trainers}
        canEdit={canEdit}
        lastResult={actionData?.form === 'trainers' ? actionData.result : undefined}
      />
    </>
  );
}

function DetailsForm({ lastResult }: { lastResult?: SubmissionResult<string[]> }) {
  const { t, i18n } = useTranslation();
  const { offering, values, canEdit, languages, timeZones, viewerTimeZone } = useLoaderData<typeof loader>();
  const [form, fields] = useForm({
    id: 'offering-details',
    lastResult,
    constraint: getZodConstraint(detailsSchema),
    defaultValue: values,
    shouldValidate: 'onBlur',
    shouldRevalidate: 'onInput',
    onValidate: ({ formData }) => parseWithZod(formData, { schema: detailsSchema }),
  });
  const live = isLiveKind(offering.kind);
  const course = hasModules(offering.kind);
  const zone = fields.organiserTimeZone.value ?? offering.organiserTimeZone;
  const locale = i18n.language;
  const windowText = (instant: Date | string | null) => (instant ? formatDateTime(instant, viewerTimeZone, locale) : t('authoring.details.notSet'));
  const windowErrors = [...(fields.startsAt.errors ?? []), ...(fields.endsAt.errors ?? [])];

  return (
    <section className="page" aria-labelledby="details-heading">
      <h2 id="details-heading" style={{ marginTop: 0 }}>
        {t('authoring.details.heading')}
      </h2>
      <Form method="post" className="stack" {...getFormProps(form)}>
        <FormErrors errors={form.errors} id={form.errorId} />
        <fieldset disabled={!canEdit} className="stack" style={{ border: 0, padding: 0, margin: 0, display: 'grid', gap: '1rem', minWidth: 0 }}>
          <legend className="muted" style={{ padding: 0 }}>
            {t(`offerings.kinds.${offering.kind}`)} — {t(`authoring.kindHelp.${offering.kind}`)}
          </legend>
          <TextField meta={fields.title} label={t('authoring.fields.title')} />
          <TextAreaField meta={fields.summary} label={t('authoring.fields.summary')} hint={t('authoring.fields.summaryHint')} rows={2} />
          <TextAreaField meta={fields.description} label={t('authoring.fields.description')} hint={t('authoring.fields.descriptionHint')} rows={8} />
          <SelectField meta={fields.language} label={t('authoring.fields.language')} options={languages} />
          <TextField meta={fields.topics} label={t('authoring.fields.topics')} hint={t('authoring.fields.topicsHint')} />
          <ChoiceGroup
            meta={fields.targetAudiences}
            legend={t('authoring.fields.targetAudiences')}
            options={TARGET_AUDIENCES.map((a) => ({ value: a, label: t(`offerings.audiences.${a}`) }))}
          />
          <SelectField
            meta={fields.eligibility}
            label={t('authoring.fields.eligibility')}
            options={ELIGIBILITIES.map((e) => ({ value: e, label: t(`offerings.eligibility.${e}`) }))}
          />
          <NumberField
            meta={fields.expectedHours}
            decimal
            label={t('authoring.fields.expectedHours')}
            hint={t(`authoring.fields.expectedHoursHint.${offering.kind}`)}
          />
          <SelectField
            meta={fields.organiserTimeZone}
            label={t('authoring.fields.organiserTimeZone')}
            hint={t('authoring.fields.organiserTimeZoneHint')}
            options={timeZones.map((z) => ({ value: z, label: z }))}
          />
          <DateTimeField meta={fields.enrolmentOpensAt} zone={zone} label={t('authoring.fields.enrolmentOpensAt')} />
          <DateTimeField meta={fields.enrolmentClosesAt} zone={zone} label={t('authoring.fields.enrolmentClosesAt')} />
          {live ? (
            <div className="field" id="offering-details-window">
              <span style={{ fontWeight: 600 }}>{t('authoring.details.window')}</span>
              <p className="hint">{t('authoring.details.windowFromSessions')}</p>
              <p style={{ margin: 0 }}>
                {windowText(offering.startsAt)} – {windowText(offering.endsAt)}
              </p>
              {windowErrors.length > 0 ? <p className="error">{windowErrors.map((e) => translateMessage(t, e)).join(' ')}</p> : null}
            </div>
          ) : (
            <>
              <DateTimeField meta={fields.startsAt} zone={zone} label={t('authoring.fields.startsAt')} />
              <DateTimeField meta={fields.endsAt} zone={zone} label={t('authoring.fields.endsAt')} />
            </>
          )}
          <DateTimeField
            meta={fields.completionDeadline}
            zone={zone}
            label={t('authoring.fields.completionDeadline')}
            hint={t('authoring.fields.completionDeadlineHint')}
          />
          <NumberField
            meta={fields.capacity}
            label={t('authoring.fields.capacity')}
            hint={offering.seatsTaken > 0 ? t('authoring.fields.capacityHintTaken', { count: offering.seatsTaken }) : t('authoring.fields.capacityHint')}
          />
          <CheckboxField meta={fields.waitlistEnabled} label={t('authoring.fields.waitlistEnabled')} />
          <CheckboxField meta={fields.certificateEnabled} label={t('authoring.fields.certificateEnabled')} />
          {course ? (
            <>
              <ChoiceGroup
                meta={fields.pacingMode}
                type="radio"
                legend={t('authoring.fields.pacingMode')}
                options={(['cohort', 'self_paced'] as const).map((mode) => ({
                  value: mode,
                  label: t(`authoring.pacing.${mode}`),
                  description: t(`authoring.pacing.${mode}Help`),
                }))}
              />
              <NumberField meta={fields.maxDeadlineShifts} label={t('authoring.fields.maxDeadlineShifts')} hint={t('authoring.fields.maxDeadlineShiftsHint')} />
            </>
          ) : null}
          {offering.kind === 'online_event' ? (
            <NumberField meta={fields.requiredSessions} label={t('authoring.fields.requiredSessions')} hint={t('authoring.fields.requiredSessionsHint')} />
          ) : null}
          {['sessions', 'activities', 'modules'].map((name) => {
            const meta = fields[name as 'title'];
            return meta.errors?.length ? (
              <div className="field" key={name}>
                <FieldErrors meta={meta} />
              </div>
            ) : null;
          })}
        </fieldset>
        {canEdit ? (
          <div className="actions">
            <button type="submit" name="intent" value="save">
              {t('common.save')}
            </button>
            {offering.status === 'draft' ? (
              <button type="submit" name="intent" value="publish" className="button-secondary">
                {t('authoring.details.saveAndPublish')}
              </button>
            ) : null}
          </div>
        ) : null}
      </Form>
    </section>
  );
}
