import { and, desc, eq, inArray, isNull, sql } from 'drizzle-orm';
import type { Executor } from '#db/client';
import { activities, activityProgress, enrolments, liveSessions, modules, offerings, quizAttempts, type ActivityContent } from '#db/schema';
import { requireViewer, type Viewer } from '../auth/viewer.server';
import type { RequestContext } from '../context.server';
import { renderMarkdown } from '../markdown/markdown';
import { notFound, requirePermission } from '../policy/guard.server';
import { loadStructure, type ActivityRow } from '../offerings/structure.server';
import { requiredProgress } from './completion';
import { evaluateCompletion, openForWrite, recordProgress, recordStarted, type EnrolmentRow, type WriteRefusal } from './completion.server';
import { completionDeadlineOf, isModuleOpen, isOverdue, learningPhase, moduleOpensAt, personalDueAt, type LearningPhase } from './pacing';
import { attemptsLeft, canAttempt, hasQuestions, mayRevealAnswers, questionsForParticipant, quizFeedback, readAnswers, scoreQuiz, type QuizAnswers } from './quiz';
import { listOwnSubmissions } from './submissions.server';
import { listThreads, type ThreadPost } from './discussions.server';

/**
 * The course player (issue 4): what a participant sees of a course they are
 * enrolled in, and the writes of pages and quizzes. Every query is scoped by
 * the participant's own user id; the offering comes from the URL's slug and
 * the enrolment from (offering, viewer), never from an id in the request.
 */

export interface LearnerOffering {
  id: string;
  slug: string;
  title: string;
  kind: 'mooc' | 'short_course' | 'webinar' | 'webinar_series' | 'online_event';
  pacingMode: 'cohort' | 'self_paced';
  organiserTimeZone: string;
  startsAt: Date | null;
  endsAt: Date | null;
  completionDeadline: Date | null;
  maxDeadlineShifts: number;
}

const offeringColumns = {
  id: offerings.id,
  slug: offerings.slug,
  title: offerings.title,
  kind: offerings.kind,
  pacingMode: offerings.pacingMode,
  organiserTimeZone: offerings.organiserTimeZone,
  startsAt: offerings.startsAt,
  endsAt: offerings.endsAt,
  completionDeadline: offerings.completionDeadline,
  maxDeadlineShifts: offerings.maxDeadlineShifts,
};

/** The offering of a slug and the viewer's own enrolment in it (null when they have none); null when there is no such offering. */
export async function findLearnerOffering(
  db: Executor,
  slug: string,
  userId: string,
): Promise<{ offering: LearnerOffering; enrolment: EnrolmentRow | null } | null> {
  if (slug.length === 0 || slug.length > 200) return null;
  const [row] = await db
    .select({ offering: offeringColumns, enrolment: enrolments })
    .from(offerings)
    .leftJoin(enrolments, and(eq(enrolments.offeringId, offerings.id), eq(enrolments.userId, userId)))
    .where(eq(offerings.slug, slug))
    .limit(1);
  return row ? { offering: row.offering, enrolment: row.enrolment } : null;
}

export type Learner =
  | { state: 'learner'; viewer: Viewer; offering: LearnerOffering; enrolment: EnrolmentRow }
  | { state: 'waitlisted'; viewer: Viewer; offering: LearnerOffering };

/**
 * The signed-in viewer's own, active enrolment in the offering of the slug
 * (learning.participate). On the waitlist they get a state to explain; with
 * no enrolment, a withdrawn one or no such offering, 404; anonymous
 * visitors are sent to sign in.
 */
export async function requireLearner(context: RequestContext, request: Request, slug: string | undefined): Promise<Learner> {
  const viewer = await requireViewer(context, request);
  const found = slug ? await findLearnerOffering(context.db, slug, viewer.id) : null;
  if (found?.enrolment?.status === 'waitlisted' && found.enrolment.userId === viewer.id) {
    return { state: 'waitlisted', viewer, offering: found.offering };
  }
  await requirePermission(context, request, { action: 'learning.participate', enrolment: found?.enrolment ?? null });
  if (!found?.enrolment) notFound();
  return { state: 'learner', viewer, offering: found.offering, enrolment: found.enrolment };
}

export type ActivityStatus = 'not-started' | 'started' | 'submitted' | 'returned' | 'done';

const pacingEnrolment = (enrolment: EnrolmentRow) => ({
  enrolledAt: enrolment.enrolledAt ?? enrolment.createdAt,
  deadlineShiftsUsed: enrolment.deadlineShiftsUsed,
  deadlineShiftDays: enrolment.deadlineShiftDays,
});

/** The participant's progress rows on the activities of one offering. */
async function progressOf(db: Executor, userId: string, activityIds: string[]) {
  if (activityIds.length === 0) return new Map<string, typeof activityProgress.$inferSelect>();
  const rows = await db
    .select()
    .from(activityProgress)
    .where(and(eq(activityProgress.userId, userId), inArray(activityProgress.activityId, activityIds)));
  return new Map(rows.map((row) => [row.activityId, row]));
}

export interface OverviewActivity {
  id: string;
  kind: ActivityContent['kind'];
  title: string;
  required: boolean;
  estimatedMinutes: number;
  status: ActivityStatus;
  dueAt: Date | null;
  overdue: boolean;
}

export interface OverviewModule {
  id: string;
  title: string;
  summary: string;
  open: boolean;
  opensAt: Date | null;
  activities: OverviewActivity[];
}

export interface Overview {
  phase: LearningPhase;
  readOnly: boolean;
  deadline: Date | null;
  completedAt: Date | null;
  progress: { done: number; total: number };
  modules: OverviewModule[];
  /** Activities of the offering itself (the task between two webinars). */
  tasks: OverviewActivity[];
}

/** The course overview: modules in order, open or locked, with the participant's status on each activity. */
export async function loadOverview(db: Executor, offering: LearnerOffering, enrolment: EnrolmentRow, now: Date): Promise<Overview> {
  const structure = await loadStructure(db, offering.id);
  const listed = [...structure.modules.flatMap((m) => m.activities), ...structure.offeringActivities];
  const progress = await progressOf(db, enrolment.userId, listed.map((a) => a.id));
  const pacing = pacingEnrolment(enrolment);
  const toView = (activity: ActivityRow): OverviewActivity => {
    const status = progress.get(activity.id)?.status ?? 'not-started';
    const dueAt = personalDueAt(offering, activity.dueAt, pacing);
    return {
      id: activity.id,
      kind: activity.kind,
      title: activity.title,
      required: activity.required,
      estimatedMinutes: activity.estimatedMinutes,
      status,
      dueAt,
      overdue: isOverdue(dueAt, status === 'done', now),
    };
  };
  const done = new Set([...progress.values()].filter((p) => p.status === 'done').map((p) => p.activityId));
  const phase = learningPhase(offering, now);
  return {
    phase,
    readOnly: phase === 'closed',
    deadline: completionDeadlineOf(offering),
    completedAt: enrolment.completedAt,
    progress: requiredProgress(
      listed.map((a) => ({ id: a.id, required: a.required, removed: false })),
      done,
    ),
    modules: structure.modules.map((module) => ({
      id: module.id,
      title: module.title,
      summary: module.summary,
      open: isModuleOpen(offering, module, pacing, now),
      opensAt: moduleOpensAt(offering, module, pacing),
      activities: module.activities.map(toView),
    })),
    tasks: structure.offeringActivities.map(toView),
  };
}

// --- One activity ------------------------------------------------------------------

export interface QuizView {
  kind: 'quiz';
  introHtml: string;
  passMarkPercent: number;
  attemptsAllowed: number;
  attemptsUsed: number;
  attemptsLeft: number | null;
  bestScore: number | null;
  passed: boolean;
  canAttempt: boolean;
  /** The trainer has not written any questions yet: nothing to attempt (the page says so). */
  noQuestions: boolean;
  revealed: boolean;
  questions: { id: string; prompt: string; multiple: boolean; choices: { id: string; label: string; correct?: boolean }[] }[];
  lastAttempt: {
    scorePercent: number;
    passed: boolean;
    at: Date;
    feedback: { questionId: string; correct: boolean; chosen: string[]; correctChoiceIds: string[] | null }[];
  } | null;
}

export type ActivityView =
  | { kind: 'page'; html: string; videoUrl: string }
  | QuizView
  | {
      kind: 'assignment';
      promptHtml: string;
      submission: 'text' | 'link';
      history: {
        id: string;
        status: 'submitted' | 'accepted' | 'returned';
        bodyHtml: string;
        link: string;
        feedback: string;
        submittedAt: Date;
        reviewedAt: Date | null;
      }[];
      canSubmit: boolean;
    }
  | { kind: 'discussion'; promptHtml: string; threads: { post: ThreadPost; replies: ThreadPost[] }[] }
  | {
      kind: 'live_session';
      session: {
        title: string;
        startsAt: Date;
        organiserTimeZone: string;
        durationMinutes: number;
        cancelled: boolean;
        recordingUrl: string | null;
      } | null;
    };

export type LearnerActivity =
  | {
      locked: true;
      activity: { id: string; kind: ActivityContent['kind']; title: string };
      moduleTitle: string | null;
      opensAt: Date | null;
    }
  | {
      locked: false;
      readOnly: boolean;
      phase: LearningPhase;
      deadline: Date | null;
      activity: { id: string; kind: ActivityContent['kind']; title: string; required: boolean; estimatedMinutes: number };
      moduleTitle: string | null;
      status: ActivityStatus;
      dueAt: Date | null;
      view: ActivityView;
    };

/**
 * One activity as the participant sees it, or null when it is not a listed
 * activity of this offering. A locked module gives only the title and when
 * it opens. Opening an activity marks it started (an upsert that changes
 * nothing once there is progress), unless the course is read-only.
 */
export async function loadLearnerActivity(
  db: Executor,
  input: { offering: LearnerOffering; enrolment: EnrolmentRow; activityId: string },
  now: Date,
): Promise<LearnerActivity | null> {
  const { offering, enrolment } = input;
  const [row] = await db
    .select({
      activity: activities,
      moduleTitle: modules.title,
      moduleReleaseAt: modules.releaseAt,
      moduleReleaseOffsetDays: modules.releaseOffsetDays,
    })
    .from(activities)
    .leftJoin(modules, eq(modules.id, activities.moduleId))
    .where(and(eq(activities.id, input.activityId), eq(activities.offeringId, offering.id), isNull(activities.removedAt)))
    .limit(1);
  if (!row) return null;
  const { activity } = row;
  const pacing = pacingEnrolment(enrolment);
  if (activity.moduleId) {
    const module = { releaseAt: row.moduleReleaseAt, releaseOffsetDays: row.moduleReleaseOffsetDays };
    if (!isModuleOpen(offering, module, pacing, now)) {
      return {
        locked: true,
        activity: { id: activity.id, kind: activity.kind, title: activity.title },
        moduleTitle: row.moduleTitle,
        opensAt: moduleOpensAt(offering, module, pacing),
      };
    }
  }
  const phase = learningPhase(offering, now);
  const readOnly = phase === 'closed';
  if (!readOnly) await recordStarted(db, enrolment.userId, activity.id, now);
  const progress = (await progressOf(db, enrolment.userId, [activity.id])).get(activity.id) ?? null;
  const status: ActivityStatus = progress?.status ?? 'not-started';
  return {
    locked: false,
    readOnly,
    phase,
    deadline: completionDeadlineOf(offering),
    activity: { id: activity.id, kind: activity.kind, title: activity.title, required: activity.required, estimatedMinutes: activity.estimatedMinutes },
    moduleTitle: row.moduleTitle,
    status,
    dueAt: personalDueAt(offering, activity.dueAt, pacing),
    view: await viewOf(db, activity, enrolment.userId, progress, readOnly),
  };
}

async function viewOf(
  db: Executor,
  activity: ActivityRow,
  userId: string,
  progress: typeof activityProgress.$inferSelect | null,
  readOnly: boolean,
): Promise<ActivityView> {
  const content = activity.content;
  switch (content.kind) {
    case 'page':
      return { kind: 'page', html: content.body ? renderMarkdown(content.body) : '', videoUrl: content.videoUrl };
    case 'quiz':
      return quizView(db, activity.id, content, userId, progress, readOnly);
    case 'assignment': {
      const history = await listOwnSubmissions(db, userId, activity.id);
      const latest = history[0];
      return {
        kind: 'assignment',
        promptHtml: content.prompt ? renderMarkdown(content.prompt) : '',
        submission: content.submission,
        history: history.map((s) => ({
          id: s.id,
          status: s.status,
          bodyHtml: s.body ? renderMarkdown(s.body) : '',
          link: s.link,
          feedback: s.feedback,
          submittedAt: s.submittedAt,
          reviewedAt: s.reviewedAt,
        })),
        canSubmit: !readOnly && (!latest || latest.status === 'returned'),
      };
    }
    case 'discussion':
      return {
        kind: 'discussion',
        promptHtml: content.prompt ? renderMarkdown(content.prompt) : '',
        threads: await listThreads(db, activity.id, { moderator: false, viewerId: userId }),
      };
    case 'live_session': {
      if (!activity.liveSessionId) return { kind: 'live_session', session: null };
      const [session] = await db
        .select({
          title: liveSessions.title,
          startsAt: liveSessions.startsAt,
          organiserTimeZone: liveSessions.organiserTimeZone,
          durationMinutes: liveSessions.durationMinutes,
          cancelledAt: liveSessions.cancelledAt,
          recordingUrl: liveSessions.recordingUrl,
        })
        .from(liveSessions)
        .where(and(eq(liveSessions.id, activity.liveSessionId), eq(liveSessions.offeringId, activity.offeringId)))
        .limit(1);
      if (!session) return { kind: 'live_session', session: null };
      const { cancelledAt, ...rest } = session;
      return { kind: 'live_session', session: { ...rest, cancelled: cancelledAt !== null, recordingUrl: session.recordingUrl || null } };
    }
  }
}

async function quizView(
  db: Executor,
  activityId: string,
  content: Extract<ActivityContent, { kind: 'quiz' }>,
  userId: string,
  progress: typeof activityProgress.$inferSelect | null,
  readOnly: boolean,
): Promise<QuizView> {
  const [last] = await db
    .select()
    .from(quizAttempts)
    .where(and(eq(quizAttempts.userId, userId), eq(quizAttempts.activityId, activityId)))
    .orderBy(desc(quizAttempts.createdAt), desc(quizAttempts.id))
    .limit(1);
  const used = progress?.attempts ?? 0;
  const passed = progress?.status === 'done';
  // Read-only after the deadline: nothing more to try, so nothing to protect either.
  const revealed = mayRevealAnswers(content, used, passed) || (readOnly && used > 0);
  const questions = revealed ? content.questions : questionsForParticipant(content.questions);
  return {
    kind: 'quiz',
    introHtml: content.intro ? renderMarkdown(content.intro) : '',
    passMarkPercent: content.passMarkPercent,
    attemptsAllowed: content.attemptsAllowed,
    attemptsUsed: used,
    attemptsLeft: attemptsLeft(content.attemptsAllowed, used),
    bestScore: progress?.score ?? null,
    passed,
    canAttempt: !readOnly && canAttempt(content, used, passed),
    noQuestions: !hasQuestions(content),
    revealed,
    questions,
    lastAttempt: last
      ? { scorePercent: last.scorePercent, passed: last.passed, at: last.createdAt, feedback: quizFeedback(content, last.answers, revealed) }
      : null,
  };
}

// --- Writes ----------------------------------------------------------------------

export type PageDoneResult = { ok: true; completed: boolean } | { ok: false; reason: WriteRefusal };

/** "Mark as done" on a page; completes the course when it was the last required piece. */
export async function markPageDone(
  db: Executor,
  input: { offeringId: string; userId: string; activityId: string },
  now: Date,
): Promise<PageDoneResult> {
  return db.transaction(async (tx) => {
    const opened = await openForWrite(tx, { ...input, kind: 'page' }, now);
    if (!opened.ok) return opened;
    await recordProgress(tx, input.userId, input.activityId, 'done', now);
    return { ok: true, completed: await evaluateCompletion(tx, opened.value.enrolment, now) } as const;
  });
}

export type QuizSubmitResult =
  | { ok: true; scorePercent: number; passed: boolean; passMarkPercent: number; completed: boolean; attemptsLeft: number | null }
  | { ok: false; reason: WriteRefusal | 'stale-form' | 'no-questions' | 'nothing-answered' | 'already-passed' | 'no-attempts-left' };

/**
 * Scores one attempt. The progress row is locked (FOR UPDATE) before the
 * attempts are counted, so two submissions at once cannot together exceed
 * the limit: the second waits and then sees the first one's attempt.
 */
export async function submitQuiz(
  db: Executor,
  input: { offeringId: string; userId: string; activityId: string; entries: [string, unknown][] },
  now: Date,
): Promise<QuizSubmitResult> {
  return db.transaction(async (tx) => {
    const opened = await openForWrite(tx, { offeringId: input.offeringId, userId: input.userId, activityId: input.activityId, kind: 'quiz' }, now);
    if (!opened.ok) return opened;
    const quiz = opened.value.activity.content;
    // Nothing to answer is nothing passed: no attempt is recorded, and the quiz stays not done.
    if (!hasQuestions(quiz)) return { ok: false, reason: 'no-questions' } as const;
    const read = readAnswers(quiz, input.entries);
    if (!read.ok) return { ok: false, reason: 'stale-form' } as const;
    const answers: QuizAnswers = read.answers;
    if (Object.values(answers).every((chosen) => chosen.length === 0)) {
      return { ok: false, reason: 'nothing-answered' } as const;
    }

    await tx.insert(activityProgress).values({ userId: input.userId, activityId: input.activityId, status: 'started', updatedAt: now }).onConflictDoNothing();
    const [progress] = await tx
      .select({ attempts: activityProgress.attempts, status: activityProgress.status })
      .from(activityProgress)
      .where(and(eq(activityProgress.userId, input.userId), eq(activityProgress.activityId, input.activityId)))
      .for('update');
    const used = progress?.attempts ?? 0;
    const passedBefore = progress?.status === 'done';
    if (passedBefore) return { ok: false, reason: 'already-passed' } as const;
    if (!canAttempt(quiz, used, false)) return { ok: false, reason: 'no-attempts-left' } as const;

    const score = scoreQuiz(quiz, answers);
    await tx.insert(quizAttempts).values({
      userId: input.userId,
      activityId: input.activityId,
      answers,
      scorePercent: score.scorePercent,
      passed: score.passed,
      createdAt: now,
    });
    await tx
      .update(activityProgress)
      .set({
        attempts: sql`${activityProgress.attempts} + 1`,
        score: sql`greatest(coalesce(${activityProgress.score}, 0), ${score.scorePercent})`,
        ...(score.passed ? { status: 'done' as const, completedAt: now } : {}),
        updatedAt: now,
      })
      .where(and(eq(activityProgress.userId, input.userId), eq(activityProgress.activityId, input.activityId)));
    const completed = score.passed ? await evaluateCompletion(tx, opened.value.enrolment, now) : false;
    return {
      ok: true,
      scorePercent: score.scorePercent,
      passed: score.passed,
      passMarkPercent: quiz.passMarkPercent,
      completed,
      attemptsLeft: attemptsLeft(quiz.attemptsAllowed, used + 1),
    } as const;
  });
}
