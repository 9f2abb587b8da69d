import { and, asc, eq, gte, inArray, isNull } from 'drizzle-orm';
import type { Executor } from '#db/client';
import { activities, discussionPosts, modules, users } from '#db/schema';
import { recordAudit } from '../audit/audit.server';
import type { AppContext } from '../context.server';
import { withMailer } from '../email/outbox.server';
import { renderMarkdown } from '../markdown/markdown';
import { POST_EDIT_WINDOW_MS } from '../policy/policy';
import { evaluateCompletion, openForWrite, recordProgress, type WriteRefusal } from './completion.server';
import { POST_MAX } from './schemas';

/**
 * Discussions: one thread list per discussion activity (a module's
 * discussion). Posts and one level of replies, Markdown rendered and
 * sanitised on the way out. A moderator's hide keeps the post for the
 * record and shows participants only that it was hidden.
 */


const SUBJECT = 'discussion_post';

export interface ThreadPost {
  id: string;
  authorId: string;
  authorName: string;
  /** The author deleted their account: pages show "deleted user" instead of the (erased) name. */
  authorDeleted: boolean;
  /** Null for participants when a moderator hid the post. */
  bodyHtml: string | null;
  /** The Markdown as written, for its author's edit form (and for moderators); null otherwise. */
  body: string | null;
  hidden: boolean;
  createdAt: Date;
  editedAt: Date | null;
}

export interface Thread {
  post: ThreadPost;
  replies: ThreadPost[];
}

/**
 * The threads of a discussion, oldest first (the newest thread last), each
 * with its replies in order. Participants get no body of a hidden post;
 * moderators get everything. `viewerId` gets the Markdown of their own posts.
 */
export async function listThreads(db: Executor, activityId: string, options: { moderator: boolean; viewerId?: string }): Promise<Thread[]> {
  const rows = await db
    .select({
      id: discussionPosts.id,
      parentId: discussionPosts.parentId,
      authorId: discussionPosts.authorId,
      authorName: users.fullName,
      authorDeletedAt: users.deletedAt,
      body: discussionPosts.body,
      createdAt: discussionPosts.createdAt,
      editedAt: discussionPosts.editedAt,
      hiddenAt: discussionPosts.hiddenAt,
    })
    .from(discussionPosts)
    .innerJoin(users, eq(users.id, discussionPosts.authorId))
    .where(eq(discussionPosts.activityId, activityId))
    .orderBy(asc(discussionPosts.createdAt), asc(discussionPosts.id));
  const toPost = (row: (typeof rows)[number]): ThreadPost => {
    const hidden = row.hiddenAt !== null;
    const visible = options.moderator || !hidden;
    const own = options.viewerId !== undefined && row.authorId === options.viewerId;
    return {
      id: row.id,
      authorId: row.authorId,
      authorName: row.authorName,
      authorDeleted: row.authorDeletedAt !== null,
      bodyHtml: visible ? renderMarkdown(row.body) : null,
      body: options.moderator || (own && !hidden) ? row.body : null,
      hidden,
      createdAt: row.createdAt,
      editedAt: row.editedAt,
    };
  };
  const threads = new Map<string, Thread>();
  for (const row of rows) if (row.parentId === null) threads.set(row.id, { post: toPost(row), replies: [] });
  for (const row of rows) if (row.parentId !== null) threads.get(row.parentId)?.replies.push(toPost(row));
  return [...threads.values()];
}

export type PostResult = { ok: true; postId: string; completed: boolean } | { ok: false; reason: WriteRefusal | 'parent-not-found' | 'invalid' };

/**
 * A new thread (no parent) or a reply to a thread's first post. The first
 * post of a participant marks the discussion done. The parent's author is
 * emailed in their language, unless they replied to themselves or opted out.
 */
export async function createPost(
  context: AppContext,
  input: { offeringId: string; userId: string; activityId: string; parentId: string | null; body: string },
  now: Date,
): Promise<PostResult> {
  if (input.body.trim().length === 0 || input.body.length > POST_MAX) return { ok: false, reason: 'invalid' };
  return withMailer(context, async (tx, mailer) => {
    const opened = await openForWrite(tx, { offeringId: input.offeringId, userId: input.userId, activityId: input.activityId, kind: 'discussion' }, now);
    if (!opened.ok) return opened;
    let parent: { id: string; authorId: string } | null = null;
    if (input.parentId) {
      const [found] = await tx
        .select({ id: discussionPosts.id, authorId: discussionPosts.authorId })
        .from(discussionPosts)
        .where(
          and(
            eq(discussionPosts.id, input.parentId),
            eq(discussionPosts.activityId, input.activityId),
            // Replies go under a thread's first post, and not under one a moderator hid.
            isNull(discussionPosts.parentId),
            isNull(discussionPosts.hiddenAt),
          ),
        )
        .limit(1);
      if (!found) return { ok: false, reason: 'parent-not-found' } as const;
      parent = found;
    }
    const [created] = await tx
      .insert(discussionPosts)
      .values({ activityId: input.activityId, authorId: input.userId, parentId: parent?.id ?? null, body: input.body, createdAt: now })
      .returning({ id: discussionPosts.id });
    await recordProgress(tx, input.userId, input.activityId, 'done', now);
    const completed = await evaluateCompletion(tx, opened.value.enrolment, now);

    if (parent && parent.authorId !== input.userId) {
      const authors = await tx
        .select({ id: users.id, email: users.email, fullName: users.fullName, locale: users.locale, notifyOnReplies: users.notifyOnReplies })
        .from(users)
        .where(inArray(users.id, [parent.authorId, input.userId]));
      const recipient = authors.find((a) => a.id === parent.authorId);
      const replier = authors.find((a) => a.id === input.userId);
      if (recipient?.notifyOnReplies && replier) {
        const { offering, activity } = opened.value;
        await mailer.send({
          template: 'discussion-reply',
          to: recipient.email,
          locale: recipient.locale,
          data: {
            name: recipient.fullName,
            replierName: replier.fullName,
            offeringTitle: offering.title,
            activityTitle: activity.title,
            excerpt: excerptOf(input.body),
            url: `${context.config.appUrl}/learn/${encodeURIComponent(offering.slug)}/activities/${activity.id}#post-${created!.id}`,
          },
          idempotencyKey: `discussion-reply:${created!.id}`,
        });
      }
    }
    return { ok: true, postId: created!.id, completed } as const;
  });
}

/** The start of a post as one line of plain text, for an email. */
export function excerptOf(body: string, max = 300): string {
  const flat = body.replace(/\s+/g, ' ').trim();
  return flat.length <= max ? flat : `${flat.slice(0, max - 1).trimEnd()}…`;
}

export interface PostRef {
  id: string;
  authorId: string;
  createdAt: Date;
  hidden: boolean;
}

/** A post of one discussion activity, for the policy to decide on; null when it is not there. */
export async function findPost(db: Executor, activityId: string, postId: string): Promise<PostRef | null> {
  const [row] = await db
    .select({ id: discussionPosts.id, authorId: discussionPosts.authorId, createdAt: discussionPosts.createdAt, hiddenAt: discussionPosts.hiddenAt })
    .from(discussionPosts)
    .where(and(eq(discussionPosts.id, postId), eq(discussionPosts.activityId, activityId)))
    .limit(1);
  return row ? { id: row.id, authorId: row.authorId, createdAt: row.createdAt, hidden: row.hiddenAt !== null } : null;
}

export type EditResult = { ok: true } | { ok: false; reason: WriteRefusal | 'not-editable' | 'invalid' };

/**
 * Changes the author's own post within the edit window. The route asks the
 * policy first; the update repeats the conditions, so a post hidden or
 * aged meanwhile is not changed.
 */
export async function editPost(
  db: Executor,
  input: { offeringId: string; userId: string; activityId: string; postId: string; body: string },
  now: Date,
): Promise<EditResult> {
  if (input.body.trim().length === 0 || input.body.length > POST_MAX) return { ok: false, reason: 'invalid' };
  return db.transaction(async (tx) => {
    const opened = await openForWrite(tx, { offeringId: input.offeringId, userId: input.userId, activityId: input.activityId, kind: 'discussion' }, now);
    if (!opened.ok) return opened;
    const [updated] = await tx
      .update(discussionPosts)
      .set({ body: input.body, editedAt: now })
      .where(
        and(
          eq(discussionPosts.id, input.postId),
          eq(discussionPosts.activityId, input.activityId),
          eq(discussionPosts.authorId, input.userId),
          isNull(discussionPosts.hiddenAt),
          gte(discussionPosts.createdAt, new Date(now.getTime() - POST_EDIT_WINDOW_MS)),
        ),
      )
      .returning({ id: discussionPosts.id });
    return updated ? ({ ok: true } as const) : ({ ok: false, reason: 'not-editable' } as const);
  });
}

export type ModerationResult = { ok: true } | { ok: false; reason: 'not-found' };

/** Hides or shows a post of a discussion of this offering; audited. The route has checked discussion.moderate. */
export async function setPostHidden(
  db: Executor,
  input: { offeringId: string; postId: string; moderatorId: string; hidden: boolean },
  now: Date,
): Promise<ModerationResult> {
  return db.transaction(async (tx) => {
    const [post] = await tx
      .select({ id: discussionPosts.id, activityId: discussionPosts.activityId, authorId: discussionPosts.authorId })
      .from(discussionPosts)
      .innerJoin(activities, eq(activities.id, discussionPosts.activityId))
      .where(and(eq(discussionPosts.id, input.postId), eq(activities.offeringId, input.offeringId)))
      .limit(1);
    if (!post) return { ok: false, reason: 'not-found' } as const;
    await tx
      .update(discussionPosts)
      .set(input.hidden ? { hiddenAt: now, hiddenBy: input.moderatorId } : { hiddenAt: null, hiddenBy: null })
      .where(eq(discussionPosts.id, post.id));
    await recordAudit(tx, {
      actorId: input.moderatorId,
      action: input.hidden ? 'discussion.post_hidden' : 'discussion.post_shown',
      subjectType: SUBJECT,
      subjectId: post.id,
      details: { offeringId: input.offeringId, activityId: post.activityId, authorId: post.authorId },
      at: now,
    });
    return { ok: true } as const;
  });
}

export interface OfferingDiscussion {
  activityId: string;
  title: string;
  moduleTitle: string | null;
  threads: Thread[];
}

/** Every listed discussion of an offering with all its posts, for its moderators. */
export async function listOfferingDiscussions(db: Executor, offeringId: string): Promise<OfferingDiscussion[]> {
  const rows = await db
    .select({ id: activities.id, title: activities.title, moduleTitle: modules.title })
    .from(activities)
    .leftJoin(modules, eq(modules.id, activities.moduleId))
    .where(and(eq(activities.offeringId, offeringId), eq(activities.kind, 'discussion'), isNull(activities.removedAt)))
    .orderBy(asc(modules.position), asc(activities.position), asc(activities.id));
  return Promise.all(
    rows.map(async (row) => ({ activityId: row.id, title: row.title, moduleTitle: row.moduleTitle, threads: await listThreads(db, row.id, { moderator: true }) })),
  );
}
