import { asc, eq, inArray, or, sql } from 'drizzle-orm';
import type { Executor } from '#db/client';
import {
  activities,
  activityProgress,
  auditLog,
  calendarFeeds,
  certificates,
  discussionPosts,
  enrolments,
  invitations,
  liveSessions,
  offerings,
  outboxEmails,
  quizAttempts,
  sessionAttendance,
  sessionJoins,
  sessions,
  staffValidationRequests,
  submissions,
  userRoles,
  users,
} from '#db/schema';
import { formatCode } from '../certificates/code';
import { verificationUrl } from '../certificates/pdf.server';
import { ownAddresses } from './addresses.server';

/** Bumped when the file's shape changes, so a reader can tell which one it holds. */
export const DATA_EXPORT_VERSION = 1;

/**
 * Everything the platform holds about one person, as plain JSON (the right
 * of access, GDPR art. 15, and of portability, art. 20). Only their own rows:
 * other people appear at most as ids (the post a reply answers, the offering
 * an enrolment is in), never with their names, addresses or words.
 * Secrets are left out: the password hash, session token hashes, the
 * calendar feed token, email-link tokens.
 */
export async function buildDataExport(db: Executor, userId: string, site: { appUrl: string }, now: Date) {
  const [profile] = await db
    .select({
      id: users.id,
      email: users.email,
      emailVerifiedAt: users.emailVerifiedAt,
      fullName: users.fullName,
      certificateName: users.certificateName,
      country: users.country,
      school: users.school,
      schoolRole: users.schoolRole,
      locale: users.locale,
      timeZone: users.timeZone,
      staffStatus: users.staffStatus,
      notifyOnReplies: users.notifyOnReplies,
      createdAt: users.createdAt,
      updatedAt: users.updatedAt,
    })
    .from(users)
    .where(eq(users.id, userId))
    .limit(1);
  if (!profile) return null;

  const roles = await db
    .select({ role: userRoles.role, country: userRoles.country, grantedAt: userRoles.grantedAt })
    .from(userRoles)
    .where(eq(userRoles.userId, userId))
    .orderBy(asc(userRoles.grantedAt));

  const staffValidationRequestRows = await db
    .select({
      id: staffValidationRequests.id,
      country: staffValidationRequests.country,
      school: staffValidationRequests.school,
      schoolRole: staffValidationRequests.schoolRole,
      note: staffValidationRequests.note,
      status: staffValidationRequests.status,
      decidedAt: staffValidationRequests.decidedAt,
      reason: staffValidationRequests.reason,
      createdAt: staffValidationRequests.createdAt,
    })
    .from(staffValidationRequests)
    .where(eq(staffValidationRequests.userId, userId))
    .orderBy(asc(staffValidationRequests.createdAt));

  const sessionRows = await db
    .select({
      id: sessions.id,
      createdAt: sessions.createdAt,
      lastSeenAt: sessions.lastSeenAt,
      expiresAt: sessions.expiresAt,
      userAgent: sessions.userAgent,
      ipAddress: sessions.ipAddress,
    })
    .from(sessions)
    .where(eq(sessions.userId, userId))
    .orderBy(asc(sessions.createdAt));

  const enrolmentRows = await db
    .select({
      id: enrolments.id,
      offeringId: enrolments.offeringId,
      offeringTitle: offerings.title,
      offeringSlug: offerings.slug,
      status: enrolments.status,
      source: enrolments.source,
      enrolledAt: enrolments.enrolledAt,
      waitlistedAt: enrolments.waitlistedAt,
      completedAt: enrolments.completedAt,
      withdrawnAt: enrolments.withdrawnAt,
      deadlineShiftsUsed: enrolments.deadlineShiftsUsed,
      deadlineShiftDays: enrolments.deadlineShiftDays,
      createdAt: enrolments.createdAt,
    })
    .from(enrolments)
    .innerJoin(offerings, eq(offerings.id, enrolments.offeringId))
    .where(eq(enrolments.userId, userId))
    .orderBy(asc(enrolments.createdAt));

  const invitationRows = await db
    .select({
      offeringId: invitations.offeringId,
      offeringTitle: offerings.title,
      createdAt: invitations.createdAt,
      acceptedAt: invitations.acceptedAt,
      revokedAt: invitations.revokedAt,
    })
    .from(invitations)
    .innerJoin(offerings, eq(offerings.id, invitations.offeringId))
    .where(or(eq(invitations.email, profile.email), eq(invitations.acceptedBy, userId)))
    .orderBy(asc(invitations.createdAt));

  const progress = await db
    .select({
      activityId: activityProgress.activityId,
      activityTitle: activities.title,
      offeringId: activities.offeringId,
      status: activityProgress.status,
      score: activityProgress.score,
      attempts: activityProgress.attempts,
      completedAt: activityProgress.completedAt,
      updatedAt: activityProgress.updatedAt,
    })
    .from(activityProgress)
    .innerJoin(activities, eq(activities.id, activityProgress.activityId))
    .where(eq(activityProgress.userId, userId))
    .orderBy(asc(activityProgress.updatedAt));

  const quizAttemptRows = await db
    .select({
      id: quizAttempts.id,
      activityId: quizAttempts.activityId,
      activityTitle: activities.title,
      answers: quizAttempts.answers,
      scorePercent: quizAttempts.scorePercent,
      passed: quizAttempts.passed,
      createdAt: quizAttempts.createdAt,
    })
    .from(quizAttempts)
    .innerJoin(activities, eq(activities.id, quizAttempts.activityId))
    .where(eq(quizAttempts.userId, userId))
    .orderBy(asc(quizAttempts.createdAt));

  const submissionRows = await db
    .select({
      id: submissions.id,
      activityId: submissions.activityId,
      activityTitle: activities.title,
      body: submissions.body,
      link: submissions.link,
      status: submissions.status,
      feedback: submissions.feedback,
      reviewedAt: submissions.reviewedAt,
      submittedAt: submissions.submittedAt,
    })
    .from(submissions)
    .innerJoin(activities, eq(activities.id, submissions.activityId))
    .where(eq(submissions.userId, userId))
    .orderBy(asc(submissions.submittedAt));

  // Own posts only; a reply names the post it answers by id, whose author and words are someone else's.
  const postRows = await db
    .select({
      id: discussionPosts.id,
      activityId: discussionPosts.activityId,
      activityTitle: activities.title,
      inReplyTo: discussionPosts.parentId,
      body: discussionPosts.body,
      createdAt: discussionPosts.createdAt,
      editedAt: discussionPosts.editedAt,
      hiddenAt: discussionPosts.hiddenAt,
    })
    .from(discussionPosts)
    .innerJoin(activities, eq(activities.id, discussionPosts.activityId))
    .where(eq(discussionPosts.authorId, userId))
    .orderBy(asc(discussionPosts.createdAt));

  const joinRows = await db
    .select({ sessionId: sessionJoins.sessionId, sessionTitle: liveSessions.title, joinedAt: sessionJoins.joinedAt })
    .from(sessionJoins)
    .innerJoin(liveSessions, eq(liveSessions.id, sessionJoins.sessionId))
    .where(eq(sessionJoins.userId, userId))
    .orderBy(asc(sessionJoins.joinedAt));

  const attendanceRows = await db
    .select({
      sessionId: sessionAttendance.sessionId,
      sessionTitle: liveSessions.title,
      sessionStartsAt: liveSessions.startsAt,
      reportMinutes: sessionAttendance.reportMinutes,
      markedAttended: sessionAttendance.manualAttended,
      markingReason: sessionAttendance.manualReason,
      markedAt: sessionAttendance.manualAt,
      updatedAt: sessionAttendance.updatedAt,
    })
    .from(sessionAttendance)
    .innerJoin(liveSessions, eq(liveSessions.id, sessionAttendance.sessionId))
    .where(eq(sessionAttendance.userId, userId))
    .orderBy(asc(liveSessions.startsAt));

  const certificateRows = await db
    .select({
      id: certificates.id,
      code: certificates.code,
      offeringId: certificates.offeringId,
      snapshot: certificates.snapshot,
      issuedAt: certificates.issuedAt,
      revokedAt: certificates.revokedAt,
      revocationReason: certificates.revocationReason,
      supersededAt: certificates.supersededAt,
      withdrawnAt: certificates.withdrawnAt,
    })
    .from(certificates)
    .where(eq(certificates.userId, userId))
    .orderBy(asc(certificates.issuedAt));

  const [feed] = await db.select({ createdAt: calendarFeeds.createdAt }).from(calendarFeeds).where(eq(calendarFeeds.userId, userId)).limit(1);

  // Mail goes to an address, not an account.
  const addresses = await ownAddresses(db, userId, profile.email);
  const emailRows = await db
    .select({
      id: outboxEmails.id,
      kind: outboxEmails.template,
      to: outboxEmails.toAddress,
      subject: outboxEmails.subject,
      status: outboxEmails.status,
      createdAt: outboxEmails.createdAt,
      sentAt: outboxEmails.sentAt,
      text: outboxEmails.text,
      html: outboxEmails.html,
    })
    .from(outboxEmails)
    .where(inArray(sql`lower(${outboxEmails.toAddress})`, addresses))
    .orderBy(asc(outboxEmails.createdAt));

  // Audit entries about this person: on their account, on their own records, or naming them in the details.
  const ownSubjectIds = [
    userId,
    ...enrolmentRows.map((r) => r.id),
    ...certificateRows.map((r) => r.id),
    ...submissionRows.map((r) => r.id),
    ...staffValidationRequestRows.map((r) => r.id),
    ...postRows.map((r) => r.id),
  ];
  const auditRows = await db
    .select({
      action: auditLog.action,
      subjectType: auditLog.subjectType,
      subjectId: auditLog.subjectId,
      reason: auditLog.reason,
      byYou: sql<boolean>`${auditLog.actorId} is not distinct from ${userId}::uuid`,
      createdAt: auditLog.createdAt,
    })
    .from(auditLog)
    .where(or(inArray(auditLog.subjectId, ownSubjectIds), sql`${auditLog.details}->>'userId' = ${userId}`))
    .orderBy(asc(auditLog.createdAt));

  return {
    format: 'kollega-personal-data',
    version: DATA_EXPORT_VERSION,
    exportedAt: now.toISOString(),
    site: site.appUrl,
    profile,
    roles,
    staffValidationRequests: staffValidationRequestRows,
    sessions: sessionRows,
    enrolments: enrolmentRows,
    invitations: invitationRows,
    progress,
    quizAttempts: quizAttemptRows,
    submissions: submissionRows,
    discussionPosts: postRows,
    sessionJoins: joinRows,
    attendance: attendanceRows,
    certificates: certificateRows.map(({ snapshot, code, ...row }) => ({
      ...row,
      code: formatCode(code),
      verificationUrl: verificationUrl(site.appUrl, code),
      holderName: snapshot.holderName,
      offeringTitle: snapshot.offeringTitle,
      offeringKind: snapshot.offeringKind,
      completedAt: snapshot.completedAt,
      language: snapshot.language,
    })),
    calendarFeed: feed ? { subscribed: true, createdAt: feed.createdAt } : { subscribed: false },
    emails: emailRows,
    auditEntries: auditRows,
  };
}

export type DataExport = NonNullable<Awaited<ReturnType<typeof buildDataExport>>>;

/** The download's file name: the site's name and the day, nothing personal (it may end up in shared folders). */
export function dataExportFileName(now: Date): string {
  return `kollega-my-data-${now.toISOString().slice(0, 10)}.json`;
}

