import { getFormProps, useForm, type SubmissionResult } from '@conform-to/react';
import { getZodConstraint, parseWithZod } from '@conform-to/zod/v4';
import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node';
import { Form, useActionData, useLoaderData } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import { FormErrors, TextAreaField } from '~/components/forms';
import { DiscussionThreads } from '~/components/learn-discussion';
import { formatInstant } from '~/modules/catalogue/datetime';
import { message } from '~/modules/forms/messages';
import { readFormData } from '~/modules/forms/read-form.server';
import { listOfferingDiscussions, setPostHidden } from '~/modules/learning/discussions.server';
import { FEEDBACK_MAX, reviewSchema } from '~/modules/learning/schemas';
import { listReviewQueue, reviewSubmission } from '~/modules/learning/submissions.server';
import { renderMarkdown } from '~/modules/markdown/markdown';
import { requireOfferingPermission } from '~/modules/offerings/access.server';
import { notFound, requirePermission } from '~/modules/policy/guard.server';
import { redirectWithFlash } from '~/modules/ui/flash.server';
import { isUuid } from '~/modules/ui/ids';
import { offeringPageTitle } from '~/modules/ui/meta';

export const meta: MetaFunction = ({ matches }) => offeringPageTitle(matches, 'review.title');

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { viewer, access } = await requireOfferingPermission(context, request, params.id, 'learning.review');
  const [queue, discussions] = await Promise.all([listReviewQueue(context.db, access.id), listOfferingDiscussions(context.db, access.id)]);
  return {
    queue: queue.map(({ body, ...item }) => ({ ...item, bodyHtml: body ? renderMarkdown(body) : '' })),
    discussions: discussions.map((discussion) => ({
      ...discussion,
      threads: discussion.threads.map(({ post, replies }) => {
        const toData = ({ authorId: _authorId, ...p }: typeof post) => ({ ...p, canEdit: false });
        return { post: toData(post), replies: replies.map(toData) };
      }),
    })),
    timeZone: viewer.timeZone,
  };
}

type ActionData = { submissionId: string; result: SubmissionResult<string[]> };

export async function action({ request, context, params }: ActionFunctionArgs) {
  const { viewer, access } = await requireOfferingPermission(context, request, params.id, 'learning.review');
  const formData = await readFormData(request);
  const intent = formData.get('intent');
  const here = `/trainer/offerings/${access.id}/reviews`;
  const now = new Date();

  if (intent === 'hide' || intent === 'show') {
    await requirePermission(context, request, { action: 'discussion.moderate', offering: access });
    const postId = formData.get('postId');
    if (!isUuid(postId)) notFound();
    const result = await setPostHidden(context.db, { offeringId: access.id, postId, moderatorId: viewer.id, hidden: intent === 'hide' }, now);
    if (!result.ok) notFound();
    return redirectWithFlash(context, request, `${here}#post-${postId}`, { key: intent === 'hide' ? 'review.flash.hidden' : 'review.flash.shown', tone: 'success' });
  }

  const submissionId = formData.get('submissionId');
  if (!isUuid(submissionId)) notFound();
  const submission = parseWithZod(formData, { schema: reviewSchema });
  if (submission.status !== 'success') return data<ActionData>({ submissionId, result: submission.reply() }, { status: 400 });
  const { intent: decision, feedback } = submission.value;
  const result = await reviewSubmission(context, { offeringId: access.id, submissionId, reviewerId: viewer.id, decision, feedback }, now);
  if (!result.ok) {
    if (result.reason === 'not-found') notFound();
    if (result.reason === 'feedback-required') {
      return data<ActionData>({ submissionId, result: submission.reply({ fieldErrors: { feedback: [message('review.errors.feedbackRequired')] } }) }, { status: 400 });
    }
    return data<ActionData>({ submissionId, result: submission.reply({ formErrors: [message('review.errors.alreadyReviewed')] }) }, { status: 409 });
  }
  return redirectWithFlash(context, request, here, {
    key: decision === 'accept' ? 'review.flash.accepted' : 'review.flash.returned',
    params: { name: result.participantName },
    tone: 'success',
  });
}

type QueueItem = ReturnType<typeof useLoaderData<typeof loader>>['queue'][number];

function ReviewForm({ item, lastResult }: { item: QueueItem; lastResult?: SubmissionResult<string[]> }) {
  const { t } = useTranslation();
  const [form, fields] = useForm({
    id: `review-${item.id}`,
    lastResult,
    constraint: getZodConstraint(reviewSchema),
    shouldValidate: 'onSubmit',
    shouldRevalidate: 'onInput',
    onValidate: ({ formData }) => parseWithZod(formData, { schema: reviewSchema }),
  });
  return (
    <Form method="post" className="stack" {...getFormProps(form)}>
      <FormErrors errors={form.errors} id={form.errorId} />
      <input type="hidden" name="submissionId" value={item.id} />
      <TextAreaField meta={fields.feedback} label={t('review.feedback')} hint={t('review.feedbackHint')} rows={3} maxLength={FEEDBACK_MAX} />
      <div className="actions">
        <button type="submit" name="intent" value="accept" aria-label={t('review.acceptFor', { name: item.participantName })}>
          {t('review.accept')}
        </button>
        <button type="submit" name="intent" value="return" className="button-secondary" aria-label={t('review.returnFor', { name: item.participantName })}>
          {t('review.return')}
        </button>
      </div>
    </Form>
  );
}

export default function ReviewsTab() {
  const { t, i18n } = useTranslation();
  const { queue, discussions, timeZone } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const locale = i18n.language;
  const orphanErrors = actionData && !queue.some((item) => item.id === actionData.submissionId) ? (actionData.result.error?.[''] ?? null) : null;
  return (
    <>
      <section className="page" aria-labelledby="reviews-heading">
        <h2 id="reviews-heading" style={{ marginTop: 0 }}>
          {t('review.queue')}
        </h2>
        <p className="muted">{t('review.intro')}</p>
        <FormErrors errors={orphanErrors} />
        {queue.length === 0 ? (
          <p>{t('review.empty')}</p>
        ) : (
          <ol style={{ listStyle: 'none', padding: 0 }}>
            {queue.map((item) => (
              <li key={item.id} className="card" style={{ marginBottom: '1rem' }}>
                <h3 style={{ margin: '0 0 0.25rem' }}>
                  {item.participantName} <span className="muted" style={{ fontWeight: 400 }}>({item.participantEmail})</span>
                </h3>
                <p className="muted" style={{ margin: '0 0 0.5rem' }} suppressHydrationWarning>
                  {item.moduleTitle ? `${item.moduleTitle} · ` : null}
                  {item.activityTitle}
                  {item.activityRemoved ? ` (${t('review.removedActivity')})` : null} · {t('review.submittedAt')}:{' '}
                  <time dateTime={new Date(item.submittedAt).toISOString()}>{formatInstant(item.submittedAt, 'dateTime', timeZone, locale)}</time>
                </p>
                {item.bodyHtml ? <div className="markdown-preview" dangerouslySetInnerHTML={{ __html: item.bodyHtml }} /> : null}
                {item.link ? (
                  <p>
                    <a href={item.link} rel="noopener noreferrer nofollow">
                      {item.link}
                    </a>
                  </p>
                ) : null}
                <ReviewForm item={item} lastResult={actionData?.submissionId === item.id ? actionData.result : undefined} />
              </li>
            ))}
          </ol>
        )}
      </section>
      <section className="page" aria-labelledby="discussions-heading">
        <h2 id="discussions-heading" style={{ marginTop: 0 }}>
          {t('review.discussions')}
        </h2>
        <p className="muted">{t('review.discussionsIntro')}</p>
        {discussions.length === 0 ? (
          <p>{t('review.noDiscussions')}</p>
        ) : (
          discussions.map((discussion) => (
            <section key={discussion.activityId} aria-labelledby={`discussion-${discussion.activityId}`}>
              <h3 id={`discussion-${discussion.activityId}`}>
                {discussion.moduleTitle ? `${discussion.moduleTitle} · ` : null}
                {discussion.title}
              </h3>
              <DiscussionThreads threads={discussion.threads} mode={{ kind: 'moderator' }} timeZone={timeZone} locale={locale} />
            </section>
          ))
        )}
      </section>
    </>
  );
}
