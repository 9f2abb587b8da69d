import { parseWithZod } from '@conform-to/zod/v4';
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import { SessionTime } from '~/components/session-time';
import { FormErrors } from '~/components/forms';
import { AssignmentPanel } from '~/components/learn-assignment';
import { DiscussionThreads, type PostData } from '~/components/learn-discussion';
import { type FormReply } from '~/components/learn-forms';
import { QuizPanel } from '~/components/learn-quiz';
import { PhaseNotice, RequiredBadge, StatusBadge } from '~/components/learn-status';
import { formatInstant } from '~/modules/catalogue/datetime';
import { linkSubmissionSchema, postSchema, textSubmissionSchema } from '~/modules/learning/schemas';
import { message } from '~/modules/forms/messages';
import { readFormData } from '~/modules/forms/read-form.server';
import type { TranslationKey } from '~/modules/i18n/keys';
import { createPost, editPost, findPost, type ThreadPost } from '~/modules/learning/discussions.server';
import { loadLearnerActivity, markPageDone, requireLearner, submitQuiz, type ActivityView } from '~/modules/learning/player.server';
import { submitAssignment } from '~/modules/learning/submissions.server';
import { notFound, policyEnvironment } from '~/modules/policy/guard.server';
import { can } from '~/modules/policy/policy';
import { redirectWithFlash, type Flash } from '~/modules/ui/flash.server';
import { isUuid } from '~/modules/ui/ids';
import { pageTitle } from '~/modules/ui/meta';

export const meta: MetaFunction<typeof loader> = ({ data, error, matches }) =>
  data && !error ? [{ title: `${data.page.activity.title} · ${data.offering.title} – Kollega` }] : pageTitle(matches, 'errors.notFoundTitle');

type PublicView =
  | Exclude<ActivityView, { kind: 'discussion' }>
  | { kind: 'discussion'; promptHtml: string; threads: { post: PostData; replies: PostData[] }[] };

const activityPath = (slug: string, activityId: string) => `/learn/${encodeURIComponent(slug)}/activities/${activityId}`;

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const learner = await requireLearner(context, request, params.slug);
  // On the waitlist: the course page says so and links to the offering.
  if (learner.state === 'waitlisted') throw redirect(`/learn/${encodeURIComponent(learner.offering.slug)}`);
  if (!isUuid(params.activityId)) notFound();
  const { viewer, offering, enrolment } = learner;
  const now = new Date();
  const page = await loadLearnerActivity(context.db, { offering, enrolment, activityId: params.activityId }, now);
  if (!page) notFound();
  const env = policyEnvironment(context);
  // Who may edit which post is the policy's call; ids of other people stay on the server.
  const toData = ({ authorId, ...post }: ThreadPost) => ({
    ...post,
    canEdit:
      !page.locked && !page.readOnly && can(viewer, { action: 'discussion.edit', post: { authorId, createdAt: post.createdAt, hidden: post.hidden }, now }, env),
  });
  const view: PublicView | null = page.locked
    ? null
    : page.view.kind === 'discussion'
      ? { ...page.view, threads: page.view.threads.map(({ post, replies }) => ({ post: toData(post), replies: replies.map(toData) })) }
      : page.view;
  return {
    offering: { slug: offering.slug, title: offering.title, startsAt: offering.startsAt },
    page: page.locked ? page : { ...page, view },
    timeZone: viewer.timeZone,
  };
}

type Refusal =
  | 'not-found'
  | 'locked'
  | 'read-only'
  | 'stale-form'
  | 'no-questions'
  | 'nothing-answered'
  | 'already-passed'
  | 'no-attempts-left'
  | 'awaiting-review'
  | 'already-accepted'
  | 'invalid'
  | 'parent-not-found'
  | 'not-editable';

const REFUSALS: Record<Exclude<Refusal, 'not-found'>, { status: number; key: TranslationKey }> = {
  locked: { status: 403, key: 'learn.errors.locked' },
  'read-only': { status: 403, key: 'learn.errors.readOnly' },
  'stale-form': { status: 409, key: 'learn.errors.staleQuiz' },
  'no-questions': { status: 409, key: 'learn.errors.noQuestions' },
  'nothing-answered': { status: 400, key: 'learn.errors.nothingAnswered' },
  'already-passed': { status: 409, key: 'learn.errors.alreadyPassed' },
  'no-attempts-left': { status: 409, key: 'learn.errors.noAttemptsLeft' },
  'awaiting-review': { status: 409, key: 'learn.errors.awaitingReview' },
  'already-accepted': { status: 409, key: 'learn.errors.alreadyAccepted' },
  invalid: { status: 400, key: 'errors.formProblem' },
  'parent-not-found': { status: 400, key: 'learn.errors.parentGone' },
  'not-editable': { status: 403, key: 'learn.errors.editTooLate' },
};

/** A refused write: 404 for what is not there, else the form's message with a 4xx; typed text comes back with it. */
function refuse(form: string, reason: Refusal, submission?: { reply: (options: { formErrors: string[] }) => FormReply['result'] }) {
  if (reason === 'not-found') notFound();
  const { status, key } = REFUSALS[reason];
  const result: FormReply['result'] = submission ? submission.reply({ formErrors: [message(key)] }) : { status: 'error', error: { '': [message(key)] } };
  return data<FormReply>({ form, result }, { status });
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const learner = await requireLearner(context, request, params.slug);
  if (learner.state !== 'learner') notFound();
  const activityId = params.activityId;
  if (!isUuid(activityId)) notFound();
  const { viewer, offering } = learner;
  const formData = await readFormData(request);
  const now = new Date();
  const target = { offeringId: offering.id, userId: viewer.id, activityId };
  const here = activityPath(offering.slug, activityId);
  const succeed = (flash: Flash, completed: boolean, hash = '') =>
    redirectWithFlash(
      context,
      request,
      here + hash,
      completed ? { key: 'learn.flash.completed', params: { title: offering.title }, tone: 'success' } : flash,
    );

  switch (formData.get('intent')) {
    case 'done': {
      const result = await markPageDone(context.db, target, now);
      if (!result.ok) return refuse('done', result.reason);
      return succeed({ key: 'learn.flash.pageDone', tone: 'success' }, result.completed);
    }
    case 'quiz': {
      const entries = [...formData.entries()].filter(([name]) => name !== 'intent');
      const result = await submitQuiz(context.db, { ...target, entries }, now);
      if (!result.ok) return refuse('quiz', result.reason);
      const score = String(result.scorePercent);
      return succeed(
        result.passed
          ? { key: 'learn.flash.quizPassed', params: { score }, tone: 'success' }
          : { key: 'learn.flash.quizFailed', params: { score, pass: String(result.passMarkPercent) }, tone: 'info' },
        result.completed,
        '#quiz-form',
      );
    }
    case 'submit': {
      // Which field the form carries says which schema checks it; the domain compares with what the activity asks for.
      const asLink = formData.has('link');
      const submission = parseWithZod(formData, { schema: asLink ? linkSubmissionSchema : textSubmissionSchema });
      if (submission.status !== 'success') return data<FormReply>({ form: 'assignment-submit', result: submission.reply() }, { status: 400 });
      const value = submission.value as { text?: string; link?: string };
      const result = await submitAssignment(context.db, { ...target, text: value.text ?? '', link: value.link ?? '' }, now);
      if (!result.ok) return refuse('assignment-submit', result.reason, submission);
      return succeed({ key: 'learn.flash.submitted', tone: 'success' }, false);
    }
    case 'post':
    case 'reply': {
      const isReply = formData.get('intent') === 'reply';
      const parentId = isReply ? formData.get('parentId') : null;
      if (isReply && !isUuid(parentId)) notFound();
      const form = isReply ? `reply-${parentId}` : 'post-new';
      const submission = parseWithZod(formData, { schema: postSchema });
      if (submission.status !== 'success') return data<FormReply>({ form, result: submission.reply() }, { status: 400 });
      const result = await createPost(context, { ...target, parentId: parentId as string | null, body: submission.value.body }, now);
      if (!result.ok) return refuse(form, result.reason, submission);
      return succeed({ key: isReply ? 'learn.flash.replied' : 'learn.flash.posted', tone: 'success' }, result.completed, `#post-${result.postId}`);
    }
    case 'edit': {
      const postId = formData.get('postId');
      if (!isUuid(postId)) notFound();
      const post = await findPost(context.db, activityId, postId);
      // Someone else's post is not there to edit, whatever its id.
      if (!post || post.authorId !== viewer.id) notFound();
      const form = `edit-${post.id}`;
      if (!can(viewer, { action: 'discussion.edit', post, now }, policyEnvironment(context))) return refuse(form, 'not-editable');
      const submission = parseWithZod(formData, { schema: postSchema });
      if (submission.status !== 'success') return data<FormReply>({ form, result: submission.reply() }, { status: 400 });
      const result = await editPost(context.db, { ...target, postId: post.id, body: submission.value.body }, now);
      if (!result.ok) return refuse(form, result.reason, submission);
      return succeed({ key: 'learn.flash.edited', tone: 'success' }, false, `#post-${post.id}`);
    }
    default:
      return refuse('', 'invalid');
  }
}

type LoaderData = ReturnType<typeof useLoaderData<typeof loader>>;

function LiveSessionPanel({ session, timeZone, locale }: { session: { title: string; startsAt: Date | string; organiserTimeZone: string; durationMinutes: number; cancelled: boolean; recordingUrl: string | null } | null; timeZone: string; locale: string }) {
  const { t } = useTranslation();
  if (!session) return <p className="muted">{t('learn.live.noSession')}</p>;
  return (
    <>
      <p>
        <strong>{session.title}</strong>
        <br />
        <SessionTime startsAt={session.startsAt} organiserTimeZone={session.organiserTimeZone} timeZone={timeZone} locale={locale} />
        <br />
        <span className="muted">{t('learn.live.duration', { minutes: session.durationMinutes })}</span>
      </p>
      {session.cancelled ? (
        <div className="flash flash--error" role="note">
          {t('learn.live.cancelled')}
        </div>
      ) : session.recordingUrl ? (
        <p>
          <a href={session.recordingUrl} rel="noopener noreferrer nofollow">
            {t('learn.live.recording')}
          </a>
        </p>
      ) : (
        <p className="muted">{t('learn.live.joinLater')}</p>
      )}
    </>
  );
}

function ActivityBody({ page, timeZone, locale }: { page: Extract<LoaderData['page'], { locked: false }>; timeZone: string; locale: string }) {
  const { t } = useTranslation();
  const actionData = useActionData<typeof action>();
  const errorsOf = (form: string) => (actionData?.form === form ? (actionData.result.error?.[''] ?? null) : null);
  const view = page.view;
  if (!view) return null;
  switch (view.kind) {
    case 'page':
      return (
        <>
          {view.html ? <div className="markdown-preview" dangerouslySetInnerHTML={{ __html: view.html }} /> : null}
          {view.videoUrl ? (
            <p>
              {t('learn.page.video')}:{' '}
              <a href={view.videoUrl} rel="noopener noreferrer nofollow">
                {view.videoUrl}
              </a>
            </p>
          ) : null}
          {page.status === 'done' ? (
            <div className="flash flash--success" role="note">
              {t('learn.page.done')}
            </div>
          ) : page.readOnly ? null : (
            <Form method="post">
              <FormErrors errors={errorsOf('done')} />
              <button type="submit" name="intent" value="done">
                {t('learn.page.markDone')}
              </button>
            </Form>
          )}
        </>
      );
    case 'quiz':
      return <QuizPanel quiz={view} errors={errorsOf('quiz')} />;
    case 'assignment':
      return (
        <>
          <FormErrors errors={actionData?.form === 'assignment-submit' && view.canSubmit === false ? errorsOf('assignment-submit') : null} />
          <AssignmentPanel
            assignment={view}
            lastResult={actionData?.form === 'assignment-submit' ? actionData.result : undefined}
            timeZone={timeZone}
            locale={locale}
          />
        </>
      );
    case 'discussion':
      return (
        <>
          {view.promptHtml ? <div className="markdown-preview" dangerouslySetInnerHTML={{ __html: view.promptHtml }} /> : null}
          <h2>{t('learn.discussion.posts')}</h2>
          <FormErrors errors={actionData?.form === '' ? errorsOf('') : null} />
          <DiscussionThreads
            threads={view.threads}
            mode={{ kind: 'participant', canPost: !page.readOnly, reply: actionData ?? null }}
            timeZone={timeZone}
            locale={locale}
          />
        </>
      );
    case 'live_session':
      return <LiveSessionPanel session={view.session} timeZone={timeZone} locale={locale} />;
  }
}

export default function LearnerActivityPage() {
  const { t, i18n } = useTranslation();
  const { offering, page, timeZone } = useLoaderData<typeof loader>();
  const locale = i18n.language;
  const overview = `/learn/${encodeURIComponent(offering.slug)}`;
  return (
    <section className="page" aria-labelledby="activity-heading">
      <p style={{ margin: '0 0 0.5rem' }}>
        <Link to={overview}>← {t('learn.activity.back')}</Link>
      </p>
      <p className="muted" style={{ margin: 0 }}>
        {offering.title}
        {page.moduleTitle ? ` · ${t('learn.activity.inModule', { title: page.moduleTitle })}` : null}
      </p>
      <h1 id="activity-heading">
        <span className="muted" style={{ fontWeight: 400 }}>
          {t(`offerings.activityKinds.${page.activity.kind}`)}:
        </span>{' '}
        {page.activity.title}
      </h1>
      {page.locked ? (
        <div className="flash flash--info" role="note">
          <strong>{t('learn.activity.lockedTitle')}</strong>
          <p style={{ margin: '0.25rem 0 0' }} suppressHydrationWarning>
            {page.opensAt
              ? t('learn.activity.locked', {
                  date: formatInstant(page.opensAt, 'date', timeZone, locale),
                  time: formatInstant(page.opensAt, 'time', timeZone, locale),
                })
              : t('learn.activity.lockedNoDate')}
          </p>
        </div>
      ) : (
        <>
          <p className="actions" style={{ gap: '0.5rem' }}>
            <StatusBadge status={page.status} />
            <RequiredBadge required={page.activity.required} />
            {page.dueAt ? (
              <span className="muted" suppressHydrationWarning>
                {t('learn.overview.due', { date: formatInstant(page.dueAt, 'dateTime', timeZone, locale) })}
              </span>
            ) : null}
          </p>
          {page.readOnly ? (
            <div className="flash flash--info" role="note">
              {t('learn.activity.readOnly')}
            </div>
          ) : page.phase === 'late-completion' ? (
            <PhaseNotice phase={page.phase} startsAt={offering.startsAt} deadline={page.deadline} timeZone={timeZone} locale={locale} />
          ) : null}
          <ActivityBody page={page} timeZone={timeZone} locale={locale} />
        </>
      )}
    </section>
  );
}
