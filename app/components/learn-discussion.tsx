import { Form } from '@remix-run/react';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import { formatInstant } from '~/modules/catalogue/datetime';
import { PostForm, type FormReply } from './learn-forms';

export interface PostData {
  id: string;
  authorName: string;
  /** The author deleted their account; their name is gone. */
  authorDeleted: boolean;
  /** Null when a moderator hid the post and the viewer is a participant. */
  bodyHtml: string | null;
  /** The Markdown, for an edit form; null unless the viewer may edit or moderate. */
  body: string | null;
  hidden: boolean;
  createdAt: Date | string;
  editedAt: Date | string | null;
  canEdit: boolean;
}

export interface ThreadData {
  post: PostData;
  replies: PostData[];
}

type Mode =
  | { kind: 'participant'; canPost: boolean; reply: FormReply | null }
  | { kind: 'moderator'; reply?: null };

/** The byline's name: "deleted user" (translated) once the author deleted their account. */
function authorLabel(t: TFunction, post: PostData): string {
  return post.authorDeleted ? t('privacy.deletedUser') : post.authorName;
}

function PostBody({ post, mode, timeZone, locale }: { post: PostData; mode: Mode; timeZone: string; locale: string }) {
  const { t } = useTranslation();
  const byline = t('learn.discussion.byline', { name: authorLabel(t, post), date: formatInstant(post.createdAt, 'dateTime', timeZone, locale) });
  const lastResult = (form: string) => (mode.reply?.form === form ? mode.reply.result : undefined);
  return (
    <article id={`post-${post.id}`} className="learn-post" aria-label={byline}>
      <p className="muted" style={{ margin: '0 0 0.25rem' }} suppressHydrationWarning>
        <strong>{authorLabel(t, post)}</strong> · {formatInstant(post.createdAt, 'dateTime', timeZone, locale)}
        {post.editedAt ? ` · ${t('learn.discussion.edited')}` : null}
        {mode.kind === 'moderator' && post.hidden ? (
          <>
            {' '}
            <span className="badge badge--bad">{t('review.hiddenBadge')}</span>
          </>
        ) : null}
      </p>
      {post.hidden && mode.kind === 'participant' ? (
        <p className="muted">
          <em>{t('learn.discussion.hidden')}</em>
        </p>
      ) : post.bodyHtml !== null ? (
        <div className="markdown-preview" dangerouslySetInnerHTML={{ __html: post.bodyHtml }} />
      ) : null}
      {mode.kind === 'participant' && post.canEdit && post.body !== null ? (
        <details open={mode.reply?.form === `edit-${post.id}`}>
          <summary>{t('learn.discussion.edit')}</summary>
          <PostForm
            key={String(post.editedAt)}
            id={`edit-${post.id}`}
            intent="edit"
            hidden={{ postId: post.id }}
            label={t('learn.discussion.editLabel')}
            hint={t('learn.discussion.editHint')}
            submitLabel={t('learn.discussion.save')}
            defaultValue={post.body}
            lastResult={lastResult(`edit-${post.id}`)}
          />
        </details>
      ) : null}
      {mode.kind === 'moderator' ? (
        <Form method="post">
          <input type="hidden" name="postId" value={post.id} />
          <button
            type="submit"
            name="intent"
            value={post.hidden ? 'show' : 'hide'}
            className={post.hidden ? 'button-secondary' : 'button-danger'}
            aria-label={post.hidden ? t('review.showFor', { name: authorLabel(t, post) }) : t('review.hideFor', { name: authorLabel(t, post) })}
          >
            {post.hidden ? t('review.show') : t('review.hide')}
          </button>
        </Form>
      ) : null}
    </article>
  );
}

/**
 * A discussion's threads, oldest first, each with its replies. Participants
 * reply, post and edit their own recent posts; moderators hide and show.
 */
export function DiscussionThreads({ threads, mode, timeZone, locale }: { threads: ThreadData[]; mode: Mode; timeZone: string; locale: string }) {
  const { t } = useTranslation();
  const lastResult = (form: string) => (mode.reply?.form === form ? mode.reply.result : undefined);
  return (
    <>
      {threads.length === 0 ? (
        <p className="muted">{mode.kind === 'participant' ? t('learn.discussion.noPosts') : t('review.noPosts')}</p>
      ) : (
        <ol className="learn-threads" style={{ listStyle: 'none', padding: 0 }}>
          {threads.map(({ post, replies }) => (
            <li key={post.id} className="card" style={{ marginBottom: '1rem' }}>
              <PostBody post={post} mode={mode} timeZone={timeZone} locale={locale} />
              {replies.length > 0 ? (
                <ol aria-label={t('learn.discussion.replies', { count: replies.length })} style={{ listStyle: 'none', paddingLeft: '1.5rem', borderLeft: '3px solid var(--line)' }}>
                  {replies.map((reply) => (
                    <li key={reply.id} style={{ marginTop: '0.75rem' }}>
                      <PostBody post={reply} mode={mode} timeZone={timeZone} locale={locale} />
                    </li>
                  ))}
                </ol>
              ) : null}
              {mode.kind === 'participant' && mode.canPost && !post.hidden ? (
                <details open={mode.reply?.form === `reply-${post.id}`} style={{ marginTop: '0.75rem' }}>
                  <summary>{t('learn.discussion.replyTo', { name: authorLabel(t, post) })}</summary>
                  <PostForm
                    key={replies.length}
                    id={`reply-${post.id}`}
                    intent="reply"
                    hidden={{ parentId: post.id }}
                    label={t('learn.discussion.replyLabel')}
                    hint={t('learn.discussion.postHint')}
                    submitLabel={t('learn.discussion.reply')}
                    lastResult={lastResult(`reply-${post.id}`)}
                    rows={3}
                  />
                </details>
              ) : null}
            </li>
          ))}
        </ol>
      )}
      {mode.kind === 'participant' && mode.canPost ? (
        <section aria-labelledby="new-post-heading">
          <h2 id="new-post-heading">{t('learn.discussion.newPost')}</h2>
          <PostForm
            key={threads.length}
            id="post-new"
            intent="post"
            label={t('learn.discussion.postLabel')}
            hint={t('learn.discussion.postHint')}
            submitLabel={t('learn.discussion.post')}
            lastResult={lastResult('post-new')}
          />
        </section>
      ) : null}
    </>
  );
}
