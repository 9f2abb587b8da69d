import { getFormProps, useForm, type SubmissionResult } from '@conform-to/react';
import { getZodConstraint, parseWithZod } from '@conform-to/zod/v4';
import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData, useMatches } from '@remix-run/react';
import { useEffect, useMemo, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { FormErrors, SelectField, TextAreaField, TextField } from '~/components/forms';
import { NumberField } from '~/components/forms';
import { DateTimeField, TabHeading } from '~/components/structure-fields';
import { message } from '~/modules/forms/messages';
import { serverT } from '~/modules/i18n/i18n';
import { problemErrors } from '~/modules/offerings/authoring.server';
import type { PublishProblem } from '~/modules/offerings/rules';
import type { TranslationKey } from '~/modules/i18n/keys';
import { requireOfferingAuthoring } from '~/modules/offerings/access.server';
import { ACTIVITY_KINDS, hasModules, type ActivityKind } from '~/modules/offerings/kinds';
import { parseStructureForm } from '~/modules/offerings/structure-forms.server';
import { addActivitySchema, moduleSchema, WEEKLY_MAX, weeklySchema, type ModuleInput, type PacingMode } from '~/modules/offerings/structure-schemas';
import {
  createActivity,
  createModule,
  createWeeklyModules,
  loadStructure,
  moveActivity,
  moveModule,
  offeringFrame,
  progressCounts,
  removeActivity,
  removeModule,
  restoreActivity,
  revisionOf,
  updateModule,
  type ActivityRow,
} from '~/modules/offerings/structure.server';
import { notFound } from '~/modules/policy/guard.server';
import { formatDateTime } from '~/modules/time/format';
import { toZonedLocal } from '~/modules/time/zoned';
import { redirectWithFlash } from '~/modules/ui/flash.server';
import { isUuid } from '~/modules/ui/ids';
import { badRequest } from '~/modules/ui/search-params.server';
import { readFormData } from '~/modules/forms/read-form.server';
import { offeringPageTitle } from '~/modules/ui/meta';

export const meta: MetaFunction = ({ matches }) => offeringPageTitle(matches, 'authoring.layout.structure');

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { viewer, canEdit } = await requireOfferingAuthoring(context, request, params.id, 'inspect');
  const offering = await offeringFrame(context.db, params.id!);
  if (!offering) notFound();
  const [structure, progress] = await Promise.all([
    loadStructure(context.db, offering.id),
    canEdit ? progressCounts(context.db, offering.id) : Promise.resolve(new Map<string, number>()),
  ]);
  const zone = offering.organiserTimeZone;
  const item = (a: ActivityRow) => ({
    id: a.id,
    kind: a.kind,
    title: a.title,
    required: a.required,
    estimatedMinutes: a.estimatedMinutes,
    dueAt: a.dueAt,
    progress: progress.get(a.id) ?? 0,
  });
  const modules = structure.modules.map((m) => ({
    id: m.id,
    title: m.title,
    summary: m.summary,
    releaseAt: m.releaseAt,
    releaseAtLocal: toZonedLocal(m.releaseAt, zone),
    releaseOffsetDays: m.releaseOffsetDays,
    activities: m.activities.map(item),
  }));
  const offeringActivities = structure.offeringActivities.map(item);
  return {
    offering: { ...offering, courses: hasModules(offering.kind) },
    canEdit,
    timeZone: viewer.timeZone,
    modules,
    offeringActivities,
    removed: structure.removed.map((a) => ({ id: a.id, kind: a.kind, title: a.title, removedAt: a.removedAt!, moduleId: a.moduleId })),
    sessions: structure.sessions.map((s) => ({ id: s.id, title: s.title, startsAt: s.startsAt, cancelled: s.cancelledAt !== null })),
    // Changes whenever the structure does, so the add forms start empty after a successful post.
    revision: revisionOf([modules, offeringActivities, structure.removed.map((a) => a.id)]),
  };
}

type Confirmation = { kind: 'activity' | 'module'; id: string; title: string; participants: number };
type ActionData =
  | { form: string; result: SubmissionResult<string[]> }
  | { confirm: Confirmation }
  /** A change the publish rules of a published offering refused: the messages for the top of the page. */
  | { refused: string[] };

/** The rule messages of a refused change, after the note that nothing was saved. */
const rulesMessages = (problems: PublishProblem[]) => [message('authoring.errors.notSavedRules'), ...problemErrors(problems).formErrors];
const refused = (problems: PublishProblem[]) => data<ActionData>({ refused: rulesMessages(problems) }, { status: 400 });

const badForm = (form: string) =>
  data<ActionData>({ form, result: { status: 'error', error: { '': [message('structure.errors.badForm')] } } }, { status: 400 });

/** An id the form names; anything but a uuid is answered like a missing page. */
function idFrom(formData: FormData, name: string): string {
  const value = formData.get(name);
  if (!isUuid(value)) notFound();
  return value;
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const { viewer, access } = await requireOfferingAuthoring(context, request, params.id, 'edit');
  const offering = await offeringFrame(context.db, access.id);
  if (!offering) notFound();
  const offeringId = offering.id;
  const formData = await readFormData(request);
  const intent = formData.get('intent');
  const now = new Date();
  const here = `/trainer/offerings/${offeringId}/structure`;
  const done = (key: TranslationKey, anchor?: string, flashParams?: Record<string, string>) =>
    redirectWithFlash(context, request, anchor ? `${here}#${anchor}` : here, { key, params: flashParams, tone: 'success' });
  const direction = () => {
    const value = formData.get('direction');
    if (value !== 'up' && value !== 'down') badRequest(viewer.locale, 'structure.errors.badForm');
    return value;
  };

  switch (intent) {
    case 'addModule':
    case 'editModule': {
      const moduleId = intent === 'editModule' ? idFrom(formData, 'moduleId') : null;
      const form = moduleId ? `module-${moduleId}` : 'add-module';
      const submission = parseStructureForm(formData, moduleSchema({ zone: offering.organiserTimeZone, pacing: offering.pacingMode }));
      if (!submission) return badForm(form);
      if (submission.status !== 'success') return data<ActionData>({ form, result: submission.reply() }, { status: 400 });
      const result = moduleId
        ? await updateModule(context.db, offeringId, moduleId, submission.value, now)
        : await createModule(context.db, offeringId, submission.value, now);
      if (!result.ok) {
        if (result.reason === 'not-found') notFound();
        return data<ActionData>({ form, result: submission.reply({ formErrors: [message('structure.errors.noModules')] }) }, { status: 400 });
      }
      return done(moduleId ? 'structure.flash.moduleSaved' : 'structure.flash.moduleAdded', `module-${result.moduleId}`);
    }

    case 'moveModule': {
      const moduleId = idFrom(formData, 'moduleId');
      const result = await moveModule(context.db, offeringId, moduleId, direction(), now);
      if (!result.ok) notFound();
      return done('structure.flash.moved', `module-${moduleId}`);
    }

    case 'removeModule': {
      const moduleId = idFrom(formData, 'moduleId');
      const result = await removeModule(context, { actorId: viewer.id, offeringId, moduleId, confirmed: formData.get('confirm') === 'yes' }, now);
      if (!result.ok) {
        if (result.reason === 'not-found') notFound();
        if (result.reason === 'rules') return refused(result.problems);
        return data<ActionData>({ confirm: { kind: 'module', id: moduleId, title: result.title, participants: result.participants } });
      }
      return done(result.outcome === 'hidden' ? 'structure.flash.moduleRemovedKept' : 'structure.flash.moduleRemoved');
    }

    case 'weekly': {
      const submission = parseStructureForm(formData, weeklySchema);
      if (!submission) return badForm('weekly');
      if (submission.status !== 'success') return data<ActionData>({ form: 'weekly', result: submission.reply() }, { status: 400 });
      const t = serverT(viewer.locale);
      const titles = Array.from({ length: submission.value.count }, (_, i) => t('structure.weekly.weekTitle', { n: i + 1 }));
      const result = await createWeeklyModules(context.db, offeringId, titles, now);
      if (!result.ok) {
        if (result.reason === 'not-found') notFound();
        const key = result.reason === 'no-start' ? 'structure.errors.noStart' : 'structure.errors.noModules';
        return data<ActionData>({ form: 'weekly', result: submission.reply({ formErrors: [message(key)] }) }, { status: 400 });
      }
      return done('structure.flash.weeklyCreated', undefined, { count: String(result.created) });
    }

    case 'addActivity': {
      const raw = formData.get('moduleId');
      const moduleId = raw === null || raw === '' ? null : idFrom(formData, 'moduleId');
      const form = `add-activity-${moduleId ?? 'offering'}`;
      const submission = parseStructureForm(formData, addActivitySchema);
      if (!submission) return badForm(form);
      if (submission.status !== 'success') return data<ActionData>({ form, result: submission.reply() }, { status: 400 });
      const result = await createActivity(context.db, { offeringId, moduleId, ...submission.value }, now);
      if (!result.ok) {
        if (result.reason === 'not-found') notFound();
        const reply =
          result.reason === 'rules'
            ? submission.reply({ formErrors: rulesMessages(result.problems) })
            : result.reason === 'live-at-offering-level'
            ? submission.reply({ fieldErrors: { kind: [message('structure.errors.liveAtOfferingLevel')] } })
            : submission.reply({ formErrors: [message(result.reason === 'module-required' ? 'structure.errors.moduleRequired' : 'structure.errors.noModules')] });
        return data<ActionData>({ form, result: reply }, { status: 400 });
      }
      return redirectWithFlash(context, request, `/trainer/offerings/${offeringId}/activities/${result.activityId}`, {
        key: 'structure.flash.activityAdded',
        tone: 'success',
      });
    }

    case 'moveActivity': {
      const activityId = idFrom(formData, 'activityId');
      const result = await moveActivity(context.db, offeringId, activityId, direction(), now);
      if (!result.ok) notFound();
      return done('structure.flash.moved', `activity-${activityId}`);
    }

    case 'removeActivity': {
      const activityId = idFrom(formData, 'activityId');
      const result = await removeActivity(context, { actorId: viewer.id, offeringId, activityId, confirmed: formData.get('confirm') === 'yes' }, now);
      if (!result.ok) {
        if (result.reason === 'not-found') notFound();
        if (result.reason === 'rules') return refused(result.problems);
        return data<ActionData>({ confirm: { kind: 'activity', id: activityId, title: result.title, participants: result.participants } });
      }
      return done(result.outcome === 'hidden' ? 'structure.flash.activityHidden' : 'structure.flash.activityDeleted');
    }

    case 'restoreActivity': {
      const activityId = idFrom(formData, 'activityId');
      const raw = formData.get('moduleId');
      const moduleId = raw === null || raw === '' ? null : idFrom(formData, 'moduleId');
      const result = await restoreActivity(context, { actorId: viewer.id, offeringId, activityId, moduleId }, now);
      if (!result.ok) {
        if (result.reason === 'not-found') notFound();
        if (result.reason === 'rules') return refused(result.problems);
        badRequest(viewer.locale, 'structure.errors.moduleRequired');
      }
      return done('structure.flash.activityRestored', `activity-${activityId}`);
    }

    default:
      badRequest(viewer.locale, 'structure.errors.badForm');
  }
}

type LoaderData = ReturnType<typeof useLoaderData<typeof loader>>;
type Item = LoaderData['modules'][number]['activities'][number];
type ModuleView = LoaderData['modules'][number];

function resultFor(actionData: ActionData | undefined, form: string): SubmissionResult<string[]> | undefined {
  return actionData && 'form' in actionData && actionData.form === form ? actionData.result : undefined;
}

/** Whether this page sits inside the offering's authoring layout (which shows the title, tabs and read-only note). */
function useNested(): boolean {
  return useMatches().some((match) => match.id === 'routes/trainer.offerings.$id');
}

export default function StructurePage() {
  const { t } = useTranslation();
  const loaderData = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const nested = useNested();
  const { offering, canEdit, modules, offeringActivities, removed, revision } = loaderData;

  if (actionData && 'confirm' in actionData) return <ConfirmRemoval confirm={actionData.confirm} nested={nested} />;

  return (
    <section className="page" aria-labelledby="structure-heading">
      <TabHeading nested={nested} id="structure-heading">
        {nested ? t('structure.title') : t('structure.pageTitle', { title: offering.title })}
      </TabHeading>
      {!nested && !canEdit ? (
        <div className="flash flash--info" role="note">
          {t('structure.readOnly')}
        </div>
      ) : null}
      {actionData && 'refused' in actionData ? <FormErrors errors={actionData.refused} /> : null}
      {offering.courses ? (
        <>
          <p className="muted">{t('structure.courseIntro')}</p>
          <p className="muted">{t(`structure.pacing.${offering.pacingMode}`)}</p>
          {canEdit && offering.pacingMode === 'cohort' ? <p className="muted">{t('structure.timesIn', { zone: offering.organiserTimeZone })}</p> : null}
          {modules.length === 0 ? <p>{t('structure.modules.empty')}</p> : null}
          <ol style={{ listStyle: 'none', padding: 0, margin: '1rem 0', display: 'grid', gap: '1rem' }} aria-label={t('structure.modules.heading')}>
            {modules.map((module, index) => (
              <li key={module.id}>
                <ModuleCard module={module} n={index + 1} last={index === modules.length - 1} data={loaderData} actionData={actionData} />
              </li>
            ))}
          </ol>
          {canEdit ? (
            <div className="grid-2" style={{ marginTop: '1.5rem' }}>
              <AddModuleForm key={`add-${revision}`} data={loaderData} lastResult={resultFor(actionData, 'add-module')} />
              <WeeklyForm key={`weekly-${revision}`} data={loaderData} lastResult={resultFor(actionData, 'weekly')} />
            </div>
          ) : null}
        </>
      ) : (
        <>
          <h3>{t('structure.activities.offeringHeading')}</h3>
          <p className="muted">{t('structure.liveIntro')}</p>
          <SessionList data={loaderData} />
          <ActivityTable activities={offeringActivities} label={t('structure.activities.offeringHeading')} data={loaderData} />
          {canEdit ? (
            <AddActivityForm
              key={`add-activity-${revision}`}
              moduleId={null}
              label={t('structure.activities.addHeading')}
              lastResult={resultFor(actionData, 'add-activity-offering')}
            />
          ) : null}
        </>
      )}
      {removed.length > 0 ? <RemovedActivities data={loaderData} /> : null}
    </section>
  );
}

function ReleaseText({ module, data: { offering, timeZone } }: { module: ModuleView; data: LoaderData }) {
  const { t, i18n } = useTranslation();
  if (offering.pacingMode === 'cohort') {
    return module.releaseAt ? (
      <span suppressHydrationWarning>{t('structure.modules.opensAt', { date: formatDateTime(module.releaseAt, timeZone, i18n.language) })}</span>
    ) : (
      <>{t('structure.modules.opensAtStart')}</>
    );
  }
  return module.releaseOffsetDays ? <>{t('structure.modules.opensAfter', { days: module.releaseOffsetDays })}</> : <>{t('structure.modules.opensAtStart')}</>;
}

function MoveButtons({ intent, idName, id, label, first, last }: { intent: string; idName: string; id: string; label: (d: 'up' | 'down') => string; first: boolean; last: boolean }) {
  if (first && last) return null;
  return (
    <Form method="post" preventScrollReset className="actions" style={{ gap: '0.25rem' }}>
      <input type="hidden" name="intent" value={intent} />
      <input type="hidden" name={idName} value={id} />
      {first ? null : (
        <button type="submit" name="direction" value="up" className="button-secondary" aria-label={label('up')} title={label('up')} style={{ padding: '0.2rem 0.6rem' }}>
          ↑
        </button>
      )}
      {last ? null : (
        <button type="submit" name="direction" value="down" className="button-secondary" aria-label={label('down')} title={label('down')} style={{ padding: '0.2rem 0.6rem' }}>
          ↓
        </button>
      )}
    </Form>
  );
}

function ModuleCard({ module, n, last, data: loaderData, actionData }: { module: ModuleView; n: number; last: boolean; data: LoaderData; actionData: ActionData | undefined }) {
  const { t } = useTranslation();
  const editResult = resultFor(actionData, `module-${module.id}`);
  const headingId = `module-${module.id}-title`;
  return (
    <section id={`module-${module.id}`} className="card" aria-labelledby={headingId} style={{ display: 'grid', gap: '0.5rem' }}>
      <div className="actions" style={{ justifyContent: 'space-between' }}>
        <h3 id={headingId} style={{ margin: 0 }}>
          {t('structure.modules.numbered', { n, title: module.title })}
        </h3>
        {loaderData.canEdit ? (
          <MoveButtons
            intent="moveModule"
            idName="moduleId"
            id={module.id}
            first={n === 1}
            last={last}
            label={(d) => t(d === 'up' ? 'structure.modules.moveUpLabel' : 'structure.modules.moveDownLabel', { title: module.title })}
          />
        ) : null}
      </div>
      <p className="muted" style={{ margin: 0 }}>
        <ReleaseText module={module} data={loaderData} />
      </p>
      {module.summary ? <p style={{ margin: 0, whiteSpace: 'pre-wrap' }}>{module.summary}</p> : null}
      <ActivityTable activities={module.activities} label={t('structure.activities.list', { title: module.title })} data={loaderData} />
      {loaderData.canEdit ? (
        <>
          <AddActivityForm
            key={`add-activity-${loaderData.revision}`}
            moduleId={module.id}
            label={t('structure.activities.addLabel', { title: module.title })}
            lastResult={resultFor(actionData, `add-activity-${module.id}`)}
          />
          <details open={!!editResult}>
            <summary>{t('structure.modules.editLabel', { title: module.title })}</summary>
            <div style={{ display: 'grid', gap: '1rem', marginTop: '0.75rem' }}>
              <ModuleForm key={`edit-${loaderData.revision}`} data={loaderData} module={module} lastResult={editResult} />
              <Form method="post">
                <input type="hidden" name="intent" value="removeModule" />
                <input type="hidden" name="moduleId" value={module.id} />
                <button type="submit" className="button-danger" aria-label={t('structure.modules.removeLabel', { title: module.title })}>
                  {t('structure.modules.remove')}
                </button>
              </Form>
            </div>
          </details>
        </>
      ) : null}
    </section>
  );
}

function ActivityTable({ activities, label, data: { canEdit, offering, timeZone } }: { activities: Item[]; label: string; data: LoaderData }) {
  const { t, i18n } = useTranslation();
  if (activities.length === 0) return <p className="muted">{t('structure.activities.empty')}</p>;
  return (
    <div className="table-wrap" role="region" aria-label={label} tabIndex={0}>
      <table>
        <thead>
          <tr>
            <th scope="col">{t('structure.activities.title')}</th>
            <th scope="col">{t('structure.activities.kind')}</th>
            <th scope="col">{t('structure.activities.requiredColumn')}</th>
            <th scope="col">{t('structure.activities.time')}</th>
            {canEdit ? <th scope="col">{t('structure.activities.actions')}</th> : null}
          </tr>
        </thead>
        <tbody>
          {activities.map((a, index) => (
            <tr key={a.id} id={`activity-${a.id}`}>
              <td>
                <Link to={`/trainer/offerings/${offering.id}/activities/${a.id}`} aria-label={t(canEdit ? 'structure.activities.editLabel' : 'structure.activities.viewLabel', { title: a.title })}>
                  {a.title}
                </Link>
                {a.dueAt ? (
                  <>
                    <br />
                    <span className="muted" suppressHydrationWarning>
                      {t('structure.activities.due', { date: formatDateTime(a.dueAt, timeZone, i18n.language) })}
                    </span>
                  </>
                ) : null}
                {a.progress > 0 ? (
                  <>
                    <br />
                    <span className="muted">{t('structure.activities.progress', { count: a.progress })}</span>
                  </>
                ) : null}
              </td>
              <td>{t(`offerings.activityKinds.${a.kind}`)}</td>
              <td>
                <span className={`badge badge--${a.required ? 'ok' : 'neutral'}`}>{a.required ? t('structure.activities.required') : t('structure.activities.optional')}</span>
              </td>
              <td>{t('structure.activities.minutes', { minutes: a.estimatedMinutes })}</td>
              {canEdit ? (
                <td>
                  <div className="actions" style={{ gap: '0.25rem', flexWrap: 'nowrap' }}>
                    <MoveButtons
                      intent="moveActivity"
                      idName="activityId"
                      id={a.id}
                      first={index === 0}
                      last={index === activities.length - 1}
                      label={(d) => t(d === 'up' ? 'structure.activities.moveUpLabel' : 'structure.activities.moveDownLabel', { title: a.title })}
                    />
                    <Form method="post">
                      <input type="hidden" name="intent" value="removeActivity" />
                      <input type="hidden" name="activityId" value={a.id} />
                      <button type="submit" className="button-danger" style={{ padding: '0.2rem 0.6rem' }} aria-label={t('structure.activities.removeLabel', { title: a.title })}>
                        {t('structure.activities.remove')}
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
  );
}

function useModuleSchema(zone: string, pacing: PacingMode) {
  return useMemo(() => moduleSchema({ zone, pacing }), [zone, pacing]);
}

function ModuleFields({ fields, data: { offering } }: { fields: ReturnType<typeof useForm<ModuleFormShape, ModuleInput>>[1]; data: LoaderData }) {
  const { t } = useTranslation();
  return (
    <>
      <TextField meta={fields.title} label={t('structure.modules.fields.title')} maxLength={400} />
      <TextAreaField meta={fields.summary} label={t('structure.modules.fields.summary')} hint={t('structure.modules.fields.summaryHint')} rows={2} />
      {offering.pacingMode === 'cohort' ? (
        <DateTimeField
          meta={fields.releaseAt}
          label={t('structure.modules.fields.releaseAt', { zone: offering.organiserTimeZone })}
          hint={t('structure.modules.fields.releaseAtHint')}
        />
      ) : (
        <NumberField meta={fields.releaseOffsetDays} label={t('structure.modules.fields.releaseOffsetDays')} hint={t('structure.modules.fields.releaseOffsetHint')} />
      )}
    </>
  );
}

type ModuleFormShape = { title: string; summary: string; releaseAt: string; releaseOffsetDays: number };

function ModuleForm({ data: loaderData, module, lastResult }: { data: LoaderData; module: ModuleView; lastResult?: SubmissionResult<string[]> }) {
  const { t } = useTranslation();
  const schema = useModuleSchema(loaderData.offering.organiserTimeZone, loaderData.offering.pacingMode);
  const [form, fields] = useForm<ModuleFormShape, ModuleInput>({
    id: `module-${module.id}`,
    lastResult,
    constraint: getZodConstraint(schema),
    defaultValue: {
      title: module.title,
      summary: module.summary,
      releaseAt: module.releaseAtLocal,
      releaseOffsetDays: module.releaseOffsetDays ?? undefined,
    },
    shouldValidate: 'onBlur',
    onValidate: ({ formData }) => parseWithZod(formData, { schema }),
  });
  return (
    <Form method="post" className="stack" {...getFormProps(form)}>
      <input type="hidden" name="intent" value="editModule" />
      <input type="hidden" name="moduleId" value={module.id} />
      <FormErrors errors={form.errors} id={form.errorId} />
      <ModuleFields fields={fields} data={loaderData} />
      <div className="actions">
        <button type="submit">{t('structure.modules.save')}</button>
      </div>
    </Form>
  );
}

function AddModuleForm({ data: loaderData, lastResult }: { data: LoaderData; lastResult?: SubmissionResult<string[]> }) {
  const { t } = useTranslation();
  const schema = useModuleSchema(loaderData.offering.organiserTimeZone, loaderData.offering.pacingMode);
  const [form, fields] = useForm<ModuleFormShape, ModuleInput>({
    id: 'add-module',
    lastResult,
    constraint: getZodConstraint(schema),
    shouldValidate: 'onSubmit',
    shouldRevalidate: 'onInput',
    onValidate: ({ formData }) => parseWithZod(formData, { schema }),
  });
  return (
    <section className="card" aria-labelledby="add-module-heading">
      <h3 id="add-module-heading" style={{ marginTop: 0 }}>
        {t('structure.modules.addHeading')}
      </h3>
      <Form method="post" className="stack" {...getFormProps(form)}>
        <input type="hidden" name="intent" value="addModule" />
        <FormErrors errors={form.errors} id={form.errorId} />
        <ModuleFields fields={fields} data={loaderData} />
        <div className="actions">
          <button type="submit">{t('structure.modules.add')}</button>
        </div>
      </Form>
    </section>
  );
}

function WeeklyForm({ data: { offering, timeZone }, lastResult }: { data: LoaderData; lastResult?: SubmissionResult<string[]> }) {
  const { t, i18n } = useTranslation();
  const [form, fields] = useForm<{ count: number }>({
    id: 'weekly',
    lastResult,
    constraint: getZodConstraint(weeklySchema),
    shouldValidate: 'onSubmit',
    shouldRevalidate: 'onInput',
    onValidate: ({ formData }) => parseWithZod(formData, { schema: weeklySchema }),
  });
  const cohort = offering.pacingMode === 'cohort';
  return (
    <section className="card" aria-labelledby="weekly-heading">
      <h3 id="weekly-heading" style={{ marginTop: 0 }}>
        {t('structure.weekly.heading')}
      </h3>
      <p>{cohort ? t('structure.weekly.intro') : t('structure.weekly.introSelfPaced')}</p>
      {cohort && offering.startsAt ? (
        <p className="muted" suppressHydrationWarning>
          {t('structure.weekly.startsAt', { date: formatDateTime(offering.startsAt, timeZone, i18n.language) })}
        </p>
      ) : null}
      {cohort && !offering.startsAt ? (
        <p className="flash flash--info" role="note">
          {t('structure.errors.noStart')}
        </p>
      ) : (
        <Form method="post" className="stack" {...getFormProps(form)}>
          <input type="hidden" name="intent" value="weekly" />
          <FormErrors errors={form.errors} id={form.errorId} />
          <NumberField meta={fields.count} label={t('structure.weekly.count')} hint={t('structure.weekly.countHint')} placeholder={`1–${WEEKLY_MAX}`} />
          <div className="actions">
            <button type="submit">{t('structure.weekly.submit')}</button>
          </div>
        </Form>
      )}
    </section>
  );
}

function AddActivityForm({ moduleId, label, lastResult }: { moduleId: string | null; label: string; lastResult?: SubmissionResult<string[]> }) {
  const { t } = useTranslation();
  const { offering } = useLoaderData<typeof loader>();
  const kinds: readonly ActivityKind[] = offering.courses ? ACTIVITY_KINDS : ACTIVITY_KINDS.filter((kind) => kind !== 'live_session');
  const [form, fields] = useForm<{ kind: ActivityKind; title: string }>({
    id: `add-activity-${moduleId ?? 'offering'}`,
    lastResult,
    constraint: getZodConstraint(addActivitySchema),
    shouldValidate: 'onSubmit',
    shouldRevalidate: 'onInput',
    onValidate: ({ formData }) => parseWithZod(formData, { schema: addActivitySchema }),
  });
  return (
    <details open={!!lastResult}>
      <summary>{label}</summary>
      <Form method="post" className="stack" style={{ marginTop: '0.75rem' }} {...getFormProps(form)}>
        <input type="hidden" name="intent" value="addActivity" />
        <input type="hidden" name="moduleId" value={moduleId ?? ''} />
        <FormErrors errors={form.errors} id={form.errorId} />
        <div className="actions" style={{ alignItems: 'start' }}>
          <SelectField
            meta={fields.kind}
            label={t('structure.activities.kind')}
            placeholder={t('structure.activities.chooseKind')}
            options={kinds.map((kind) => ({ value: kind, label: t(`offerings.activityKinds.${kind}`) }))}
          />
          <div style={{ flex: '1 1 16rem' }}>
            <TextField meta={fields.title} label={t('structure.activities.title')} maxLength={400} />
          </div>
        </div>
        <div className="actions">
          <button type="submit">{t('structure.activities.add')}</button>
        </div>
      </Form>
    </details>
  );
}

function SessionList({ data: { sessions, timeZone } }: { data: LoaderData }) {
  const { t, i18n } = useTranslation();
  return (
    <>
      <h4 style={{ marginBottom: '0.25rem' }}>{t('structure.sessionsHeading')}</h4>
      {sessions.length === 0 ? (
        <p className="muted">{t('structure.noSessions')}</p>
      ) : (
        <ul>
          {sessions.map((s) => (
            <li key={s.id}>
              {s.cancelled ? t('structure.sessionCancelled', { title: s.title }) : s.title}:{' '}
              <span suppressHydrationWarning>{formatDateTime(s.startsAt, timeZone, i18n.language)}</span>
            </li>
          ))}
        </ul>
      )}
    </>
  );
}

function RemovedActivities({ data: { removed, modules, offering, canEdit, timeZone } }: { data: LoaderData }) {
  const { t, i18n } = useTranslation();
  return (
    <details style={{ marginTop: '1.5rem' }}>
      <summary>{t('structure.activities.removedHeading', { count: removed.length })}</summary>
      <p className="muted">{t('structure.activities.removedIntro')}</p>
      <ul style={{ display: 'grid', gap: '0.75rem' }}>
        {removed.map((a) => (
          <li key={a.id}>
            <strong>{a.title}</strong> ({t(`offerings.activityKinds.${a.kind}`)}) —{' '}
            <span suppressHydrationWarning>{t('structure.activities.removedOn', { date: formatDateTime(a.removedAt, timeZone, i18n.language) })}</span>
            {canEdit && (!offering.courses || modules.length > 0) ? (
              <Form method="post" className="actions" style={{ marginTop: '0.25rem' }}>
                <input type="hidden" name="intent" value="restoreActivity" />
                <input type="hidden" name="activityId" value={a.id} />
                {offering.courses ? (
                  <div className="field">
                    <label htmlFor={`restore-${a.id}`}>{t('structure.activities.restoreTo', { title: a.title })}</label>
                    <select id={`restore-${a.id}`} name="moduleId" defaultValue={modules.some((m) => m.id === a.moduleId) ? a.moduleId! : modules[0]!.id}>
                      {modules.map((m, index) => (
                        <option key={m.id} value={m.id}>
                          {t('structure.modules.numbered', { n: index + 1, title: m.title })}
                        </option>
                      ))}
                    </select>
                  </div>
                ) : null}
                <button type="submit" className="button-secondary" aria-label={t('structure.activities.restoreLabel', { title: a.title })}>
                  {t('structure.activities.restore')}
                </button>
              </Form>
            ) : null}
          </li>
        ))}
      </ul>
    </details>
  );
}

/** The answer to a removal that would touch participants' progress: say so, and ask once more. */
function ConfirmRemoval({ confirm, nested }: { confirm: Confirmation; nested: boolean }) {
  const { t } = useTranslation();
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);
  const { offering } = useLoaderData<typeof loader>();
  const isModule = confirm.kind === 'module';
  const title = t(isModule ? 'structure.confirm.moduleHeading' : 'structure.confirm.activityHeading', { title: confirm.title });
  return (
    <section className="page" aria-labelledby="confirm-heading">
      {nested ? (
        <h2 id="confirm-heading" ref={heading} tabIndex={-1} style={{ marginTop: 0 }}>
          {title}
        </h2>
      ) : (
        <h1 id="confirm-heading" ref={heading} tabIndex={-1}>
          {title}
        </h1>
      )}
      <p>{t(isModule ? 'structure.confirm.moduleBody' : 'structure.confirm.activityBody', { count: confirm.participants })}</p>
      <Form method="post" action={`/trainer/offerings/${offering.id}/structure`} className="actions">
        <input type="hidden" name="intent" value={isModule ? 'removeModule' : 'removeActivity'} />
        <input type="hidden" name={isModule ? 'moduleId' : 'activityId'} value={confirm.id} />
        <input type="hidden" name="confirm" value="yes" />
        <button type="submit" className="button-danger">
          {t('structure.confirm.yes')}
        </button>
        <Link to={`/trainer/offerings/${offering.id}/structure`} className="button button-secondary">
          {t('structure.confirm.cancel')}
        </Link>
      </Form>
    </section>
  );
}
