import { getFormProps, useForm, type SubmissionResult } from '@conform-to/react';
import { getZodConstraint, parseWithZod } from '@conform-to/zod/v4';
import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData, useMatches } from '@remix-run/react';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { FormErrors, SelectField, TextField } from '~/components/forms';
import { MarkdownEditor } from '~/components/markdown-editor';
import { ActivityContentView, SessionWhen } from '~/components/structure-activity-view';
import { NumberField } from '~/components/forms';
import { DateTimeField, DefaultSubmit, TabHeading, TickField } from '~/components/structure-fields';
import { QuizEditor, quizProblems } from '~/components/structure-quiz-editor';
import { message, translateMessage } from '~/modules/forms/messages';
import { renderMarkdown } from '~/modules/markdown/markdown';
import { requireOfferingAuthoring } from '~/modules/offerings/access.server';
import { problemErrors } from '~/modules/offerings/authoring.server';
import { parseStructureForm } from '~/modules/offerings/structure-forms.server';
import {
  activitySchema,
  markdownFieldOf,
  PAGE_BODY_MAX,
  PROMPT_MAX,
  QUIZ_INTRO_MAX,
  toActivityUpdate,
  type ActivityFormShape,
  type AnyActivityForm,
} from '~/modules/offerings/structure-schemas';
import { activityPageData, findActivityEditing, updateActivity } from '~/modules/offerings/structure.server';
import { notFound } from '~/modules/policy/guard.server';
import { formatDateTime } from '~/modules/time/format';
import { redirectWithFlash } from '~/modules/ui/flash.server';
import { isUuid } from '~/modules/ui/ids';
import { readFormData } from '~/modules/forms/read-form.server';

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `${data.activity.title} · ${data.offering.title} · Kollega` : 'Kollega' }];

const MARKDOWN_MAX = { body: PAGE_BODY_MAX, intro: QUIZ_INTRO_MAX, prompt: PROMPT_MAX } as const;

/** The offering, the activity and the offering's sessions; 404 for anything that is not there (or not a uuid). */
async function loadEditing(context: LoaderFunctionArgs['context'], offeringId: string, activityId: string | undefined) {
  if (!isUuid(activityId)) notFound();
  const found = await findActivityEditing(context.db, offeringId, activityId);
  if (!found) notFound();
  return found;
}

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { viewer, canEdit, access } = await requireOfferingAuthoring(context, request, params.id, 'inspect');
  if (!isUuid(params.activityId)) notFound();
  // Read-only viewers get no answer key (activityPageData leaves it out).
  const page = await activityPageData(context.db, { offeringId: access.id, activityId: params.activityId, canEdit });
  if (!page) notFound();
  return { ...page, canEdit, timeZone: viewer.timeZone };
}

type ActionData = { result: SubmissionResult<string[]>; previewHtml: string | null };

export async function action({ request, context, params }: ActionFunctionArgs) {
  const { access } = await requireOfferingAuthoring(context, request, params.id, 'edit');
  const { offering, activity, sessions } = await loadEditing(context, access.id, params.activityId);
  const kind = activity.kind;
  const schema = activitySchema(kind, { zone: offering.organiserTimeZone, sessionIds: sessions.map((s) => s.id) });
  const formData = await readFormData(request);
  const submission = parseStructureForm(formData, schema);
  if (!submission) {
    return data<ActionData>({ result: { status: 'error', error: { '': [message('structure.errors.badForm')] } }, previewHtml: null }, { status: 400 });
  }
  // "Add question", "Remove choice" and the like: the changed form goes back, nothing is saved.
  if (submission.status === undefined) return data<ActionData>({ result: submission.reply(), previewHtml: null });

  if (formData.get('intent') === 'preview') {
    const field = markdownFieldOf(kind);
    const text = field ? formData.get(field) : null;
    const previewHtml = typeof text === 'string' && field && text.length <= MARKDOWN_MAX[field] ? renderMarkdown(text) : null;
    return data<ActionData>({ result: submission.reply(), previewHtml }, { status: submission.status === 'error' ? 400 : 200 });
  }
  if (submission.status !== 'success') return data<ActionData>({ result: submission.reply(), previewHtml: null }, { status: 400 });

  const result = await updateActivity(
    context.db,
    { offeringId: offering.id, activityId: activity.id, kind, update: toActivityUpdate(kind, submission.value) },
    new Date(),
  );
  if (!result.ok) {
    if (result.reason === 'not-found') notFound();
    if (result.reason === 'rules') {
      const formErrors = [message('authoring.errors.notSavedRules'), ...problemErrors(result.problems).formErrors];
      return data<ActionData>({ result: submission.reply({ formErrors }), previewHtml: null }, { status: 400 });
    }
    return data<ActionData>(
      { result: submission.reply({ fieldErrors: { liveSessionId: [message('structure.errors.chooseSession')] } }), previewHtml: null },
      { status: 400 },
    );
  }
  return redirectWithFlash(context, request, `/trainer/offerings/${offering.id}/activities/${activity.id}`, { key: 'structure.flash.activitySaved', tone: 'success' });
}

type LoaderData = ReturnType<typeof useLoaderData<typeof loader>>;

export default function ActivityPage() {
  const { t, i18n } = useTranslation();
  const loaderData = useLoaderData<typeof loader>();
  const { offering, activity, canEdit, sessions, timeZone } = loaderData;
  const nested = useMatches().some((match) => match.id === 'routes/trainer.offerings.$id');
  const structureUrl = `/trainer/offerings/${offering.id}/structure`;
  const session = sessions.find((s) => s.id === activity.liveSessionId) ?? null;
  return (
    <section className="page" aria-labelledby="activity-heading" style={{ display: 'grid', gap: '1rem' }}>
      <p style={{ margin: 0 }}>
        <Link to={structureUrl}>← {t('structure.editor.back')}</Link>
      </p>
      <TabHeading nested={nested} id="activity-heading">
        {t(`offerings.activityKinds.${activity.kind}`)}: {activity.title}
      </TabHeading>
      <p className="muted" style={{ margin: 0 }}>
        {activity.moduleTitle ? t('structure.editor.inModule', { title: activity.moduleTitle }) : t('structure.editor.atOfferingLevel')}
      </p>
      {canEdit ? (
        <ActivityEditor key={loaderData.revision} data={loaderData} />
      ) : (
        <>
          {!nested ? (
            <div className="flash flash--info" role="note">
              {t('structure.readOnly')}
            </div>
          ) : null}
          <p>
            <span className={`badge badge--${activity.required ? 'ok' : 'neutral'}`}>
              {activity.required ? t('structure.activities.required') : t('structure.activities.optional')}
            </span>{' '}
            {t('structure.activities.minutes', { minutes: activity.estimatedMinutes })}
            {activity.dueAt ? (
              <>
                {' · '}
                <span suppressHydrationWarning>
                  {t('structure.activities.due', { date: formatDateTime(activity.dueAt, timeZone, i18n.language) })}
                </span>
              </>
            ) : null}
          </p>
          <ActivityContentView content={activity.content} html={loaderData.previewHtml} session={session} timeZone={timeZone} locale={i18n.language} />
        </>
      )}
    </section>
  );
}

function ActivityEditor({ data: loaderData }: { data: LoaderData }) {
  const { t, i18n } = useTranslation();
  const actionData = useActionData<typeof action>();
  const { offering, activity, sessions, timeZone } = loaderData;
  const zone = offering.organiserTimeZone;
  const sessionIds = useMemo(() => sessions.map((s) => s.id), [sessions]);
  const schema = useMemo(() => activitySchema(activity.kind, { zone, sessionIds }), [activity.kind, zone, sessionIds]);
  const [form, fields] = useForm<ActivityFormShape, AnyActivityForm>({
    id: `activity-${activity.id}`,
    lastResult: actionData?.result,
    constraint: getZodConstraint(schema),
    defaultValue: loaderData.defaultValue,
    shouldValidate: 'onBlur',
    shouldRevalidate: 'onInput',
    onValidate: ({ formData }) => parseWithZod(formData, { schema }),
  });
  const previewHtml = actionData?.previewHtml ?? loaderData.previewHtml;
  const problems = activity.kind === 'quiz' ? quizProblems(fields) : [];
  const chosen = sessions.find((s) => s.id === (fields.liveSessionId.value ?? activity.liveSessionId));

  return (
    <>
      <Form method="post" className="stack" {...getFormProps(form)}>
        <DefaultSubmit label={t('structure.editor.save')} />
        <FormErrors errors={form.errors} id={form.errorId} />
        {problems.length > 0 ? (
          <div className="form-error" role="alert">
            {problems.map((p) => (
              <p key={p.id} style={{ margin: 0 }}>
                <a href={`#${p.id}`} style={{ color: 'inherit' }}>
                  {t('structure.editor.quiz.problem', { n: p.n, problem: p.errors.map((e) => translateMessage(t, e)).join(' ') })}
                </a>
              </p>
            ))}
          </div>
        ) : null}
        <fieldset style={{ border: 'none', padding: 0, margin: 0, display: 'grid', gap: '1rem' }}>
          <legend style={{ fontWeight: 700, fontSize: '1.15rem', marginBottom: '0.5rem' }}>{t('structure.editor.commonHeading')}</legend>
          <TextField meta={fields.title} label={t('structure.editor.title')} maxLength={400} />
          <TickField meta={fields.required} label={t('structure.editor.required')} />
          <div className="actions" style={{ alignItems: 'start' }}>
            <NumberField meta={fields.estimatedMinutes} label={t('structure.editor.estimatedMinutes')} hint={t('structure.editor.estimatedHint')} />
            <DateTimeField meta={fields.dueAt} label={t('structure.editor.dueAt', { zone })} hint={t('structure.editor.dueHint')} />
          </div>
        </fieldset>

        <fieldset style={{ border: 'none', padding: 0, margin: 0, display: 'grid', gap: '1rem' }}>
          <legend style={{ fontWeight: 700, fontSize: '1.15rem', marginBottom: '0.5rem' }}>{t('structure.editor.contentHeading')}</legend>
          {activity.kind === 'page' ? (
            <>
              <MarkdownEditor meta={fields.body} label={t('structure.editor.page.body')} previewHtml={previewHtml} maxLength={PAGE_BODY_MAX} rows={18} />
              <TextField meta={fields.videoUrl} type="url" label={t('structure.editor.page.videoUrl')} hint={t('structure.editor.page.videoHint')} />
            </>
          ) : null}
          {activity.kind === 'quiz' ? (
            <>
              <MarkdownEditor meta={fields.intro} label={t('structure.editor.quiz.intro')} previewHtml={previewHtml} maxLength={QUIZ_INTRO_MAX} rows={5} />
              <QuizEditor form={form} fields={fields} />
            </>
          ) : null}
          {activity.kind === 'assignment' ? (
            <>
              <MarkdownEditor meta={fields.prompt} label={t('structure.editor.assignment.prompt')} previewHtml={previewHtml} maxLength={PROMPT_MAX} rows={8} />
              <SelectField
                meta={fields.submission}
                label={t('structure.editor.assignment.submission')}
                options={[
                  { value: 'text', label: t('structure.editor.assignment.text') },
                  { value: 'link', label: t('structure.editor.assignment.link') },
                ]}
                style={{ maxWidth: '16rem' }}
              />
            </>
          ) : null}
          {activity.kind === 'discussion' ? (
            <MarkdownEditor meta={fields.prompt} label={t('structure.editor.discussion.prompt')} previewHtml={previewHtml} maxLength={PROMPT_MAX} rows={6} />
          ) : null}
          {activity.kind === 'live_session' ? (
            sessions.length === 0 ? (
              <p className="flash flash--info" role="note">
                {t('structure.editor.live.noSessions')}
              </p>
            ) : (
              <>
                <SelectField
                  meta={fields.liveSessionId}
                  label={t('structure.editor.live.session')}
                  placeholder={t('structure.editor.live.chooseSession')}
                  options={sessions.map((s) => ({ value: s.id, label: s.cancelled ? t('structure.sessionCancelled', { title: s.title }) : s.title }))}
                />
                {chosen ? (
                  <p className="muted" style={{ margin: 0 }}>
                    <SessionWhen session={chosen} timeZone={timeZone} locale={i18n.language} />
                  </p>
                ) : null}
              </>
            )
          ) : null}
        </fieldset>
        <div className="actions">
          <button type="submit" name="intent" value="save">
            {t('structure.editor.save')}
          </button>
        </div>
      </Form>
      <Form method="post" action={`/trainer/offerings/${offering.id}/structure`}>
        <input type="hidden" name="intent" value="removeActivity" />
        <input type="hidden" name="activityId" value={activity.id} />
        <button type="submit" className="button-danger">
          {t('structure.editor.remove')}
        </button>
      </Form>
    </>
  );
}
