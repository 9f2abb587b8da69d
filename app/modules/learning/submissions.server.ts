import { and, asc, desc, eq } from 'drizzle-orm';
import type { Executor } from '#db/client';
import { activities, modules, offerings, submissions, users } from '#db/schema';
import { recordAudit } from '../audit/audit.server';
import type { AppContext } from '../context.server';
import { withMailer } from '../email/outbox.server';
import { isHttpsUrl } from '../forms/urls';
import { evaluateCompletion, lockEnrolment, openForWrite, recordProgress, type WriteRefusal } from './completion.server';
import { ASSIGNMENT_TEXT_MAX, LINK_MAX } from './schemas';

/**
 * Assignments: a participant submits text or a link; a trainer of the
 * offering accepts it (the activity is done) or returns it with feedback
 * (the participant may submit again). The newest submission is the current
 * state.
 */

const SUBJECT = 'submission';

export type SubmissionRow = typeof submissions.$inferSelect;

/** The participant's own submissions on one activity, newest first. Scoped by their user id: nobody else's. */
export async function listOwnSubmissions(db: Executor, userId: string, activityId: string): Promise<SubmissionRow[]> {
  return db
    .select()
    .from(submissions)
    .where(and(eq(submissions.userId, userId), eq(submissions.activityId, activityId)))
    .orderBy(desc(submissions.submittedAt), desc(submissions.id));
}

export type SubmitResult =
  | { ok: true; submissionId: string }
  | { ok: false; reason: WriteRefusal | 'awaiting-review' | 'already-accepted' | 'invalid' };

/**
 * Hands in an assignment. Refused while an earlier submission waits for
 * review or after one was accepted; a returned one may be followed by a new
 * one. The enrolment lock (openForWrite) queues it behind a review of the
 * same person's work, so the state it checks is the committed one.
 */
export async function submitAssignment(
  db: Executor,
  input: { offeringId: string; userId: string; activityId: string; text: string; link: string },
  now: Date,
): Promise<SubmitResult> {
  return db.transaction(async (tx) => {
    const opened = await openForWrite(tx, { offeringId: input.offeringId, userId: input.userId, activityId: input.activityId, kind: 'assignment' }, now);
    if (!opened.ok) return opened;
    const asText = opened.value.activity.content.submission === 'text';
    const body = asText ? input.text : '';
    const link = asText ? '' : input.link.trim();
    if (asText ? body.trim().length === 0 || body.length > ASSIGNMENT_TEXT_MAX : !isHttpsUrl(link) || link.length > LINK_MAX) {
      return { ok: false, reason: 'invalid' } as const;
    }
    const [latest] = await listOwnSubmissions(tx, input.userId, input.activityId);
    if (latest?.status === 'submitted') return { ok: false, reason: 'awaiting-review' } as const;
    if (latest?.status === 'accepted') return { ok: false, reason: 'already-accepted' } as const;
    const [created] = await tx
      .insert(submissions)
      .values({ userId: input.userId, activityId: input.activityId, body, link, status: 'submitted', submittedAt: now })
      .returning({ id: submissions.id });
    await recordProgress(tx, input.userId, input.activityId, 'submitted', now);
    return { ok: true, submissionId: created!.id } as const;
  });
}

export interface QueueItem {
  id: string;
  participantName: string;
  participantEmail: string;
  activityId: string;
  activityTitle: string;
  activityRemoved: boolean;
  moduleTitle: string | null;
  body: string;
  link: string;
  submittedAt: Date;
}

/** Submissions of an offering that wait for a trainer, oldest first. */
export async function listReviewQueue(db: Executor, offeringId: string): Promise<QueueItem[]> {
  const rows = await db
    .select({
      id: submissions.id,
      participantName: users.fullName,
      participantEmail: users.email,
      activityId: activities.id,
      activityTitle: activities.title,
      removedAt: activities.removedAt,
      moduleTitle: modules.title,
      body: submissions.body,
      link: submissions.link,
      submittedAt: submissions.submittedAt,
    })
    .from(submissions)
    .innerJoin(activities, eq(activities.id, submissions.activityId))
    .innerJoin(users, eq(users.id, submissions.userId))
    .leftJoin(modules, eq(modules.id, activities.moduleId))
    .where(and(eq(activities.offeringId, offeringId), eq(submissions.status, 'submitted')))
    .orderBy(asc(submissions.submittedAt), asc(submissions.id));
  return rows.map(({ removedAt, ...row }) => ({ ...row, activityRemoved: removedAt !== null }));
}

export type ReviewResult =
  | { ok: true; participantName: string; completed: boolean }
  | { ok: false; reason: 'not-found' | 'already-reviewed' | 'feedback-required' };

/**
 * A trainer's decision on a submission of their offering. Accepting marks
 * the activity done and applies the completion rule, counting the time the
 * work was handed in (a review after the deadline costs the participant
 * nothing); returning needs feedback. Either way the participant is emailed
 * in their language, and the decision is audited.
 */
export async function reviewSubmission(
  context: AppContext,
  input: { offeringId: string; submissionId: string; reviewerId: string; decision: 'accept' | 'return'; feedback: string },
  now: Date,
): Promise<ReviewResult> {
  const feedback = input.feedback.trim();
  if (input.decision === 'return' && feedback.length === 0) return { ok: false, reason: 'feedback-required' };
  return withMailer(context, async (tx, mailer) => {
    const [target] = await tx
      .select({
        id: submissions.id,
        userId: submissions.userId,
        activityId: submissions.activityId,
        submittedAt: submissions.submittedAt,
        activityTitle: activities.title,
        offeringTitle: offerings.title,
        slug: offerings.slug,
      })
      .from(submissions)
      .innerJoin(activities, eq(activities.id, submissions.activityId))
      .innerJoin(offerings, eq(offerings.id, activities.offeringId))
      .where(and(eq(submissions.id, input.submissionId), eq(activities.offeringId, input.offeringId)))
      .limit(1);
    if (!target) return { ok: false, reason: 'not-found' } as const;
    // The participant's own writes queue behind this one (and the other way round), so completion is judged on settled progress.
    const enrolment = await lockEnrolment(tx, input.offeringId, target.userId);
    const accepted = input.decision === 'accept';
    const [decided] = await tx
      .update(submissions)
      .set({ status: accepted ? 'accepted' : 'returned', feedback, reviewedBy: input.reviewerId, reviewedAt: now })
      .where(and(eq(submissions.id, target.id), eq(submissions.status, 'submitted')))
      .returning({ id: submissions.id });
    if (!decided) return { ok: false, reason: 'already-reviewed' } as const;
    await recordProgress(tx, target.userId, target.activityId, accepted ? 'done' : 'returned', now);
    const completed = accepted && enrolment ? await evaluateCompletion(tx, enrolment, now, target.submittedAt) : false;

    await recordAudit(tx, {
      actorId: input.reviewerId,
      action: accepted ? 'submission.accepted' : 'submission.returned',
      subjectType: SUBJECT,
      subjectId: target.id,
      reason: feedback,
      details: { offeringId: input.offeringId, activityId: target.activityId, userId: target.userId, completed },
      at: now,
    });
    const [participant] = await tx
      .select({ email: users.email, fullName: users.fullName, locale: users.locale })
      .from(users)
      .where(eq(users.id, target.userId))
      .limit(1);
    if (!participant) throw new Error('submission of a missing user');
    await mailer.send({
      template: 'assignment-reviewed',
      to: participant.email,
      locale: participant.locale,
      data: {
        name: participant.fullName,
        offeringTitle: target.offeringTitle,
        activityTitle: target.activityTitle,
        accepted,
        feedback,
        url: `${context.config.appUrl}/learn/${encodeURIComponent(target.slug)}/activities/${target.activityId}`,
      },
      idempotencyKey: `assignment-reviewed:${target.id}`,
    });
    return { ok: true, participantName: participant.fullName, completed } as const;
  });
}
