import { randomBytes } from 'node:crypto';
import type { AppContext } from '~/modules/context.server';
import {
  activities,
  calendarFeeds,
  discussionPosts,
  enrolments,
  invitations,
  liveSessions,
  mailboxMessages,
  modules,
  offeringTrainers,
  offerings,
  outboxEmails,
  staffValidationRequests,
  submissions,
} from '#db/schema';
import { getViewer, type Viewer } from '~/modules/auth/viewer.server';
import { hashToken } from '~/modules/auth/tokens.server';
import { issueByTrainer } from '~/modules/certificates/issue.server';
import { offeringAccess } from '~/modules/offerings/access.server';
import type { EnrolmentAccess, OfferingAccess } from '~/modules/policy/policy';
import { createUser, signIn } from '../factories';
import { makeRequest, requestContext } from '../requests';

/**
 * The people of the authorisation matrix (issue 7, "Security"): everyone the
 * policy tells apart, each seen from offering X, the offering the routes are
 * called about. "Other" roles hold the same standing in offering Y or in
 * another country, so a route that checks a role but not whose it is shows.
 */
export const ROLES = ['anonymous', 'participant', 'otherParticipant', 'otherTrainer', 'trainer', 'otherNso', 'nso', 'admin'] as const;
export type MatrixRole = (typeof ROLES)[number];

export interface OfferingFixture {
  id: string;
  slug: string;
  /** A page in the offering's first module. */
  pageActivityId: string;
  moduleId: string;
  /** A live session that is open for joining now. */
  sessionId: string;
  /** Status and trainers, read back with the app's own offeringAccess: what the policy decides by. */
  access: OfferingAccess;
}

export interface MatrixWorld {
  /** X: published; trainer runs it, participant is enrolled and holds a certificate. */
  x: OfferingFixture & {
    assignmentActivityId: string;
    submissionId: string;
    certificateId: string;
    certificateCode: string;
    discussionActivityId: string;
    /** participant's own post in X's discussion, just written (still editable). */
    ownPost: { id: string; createdAt: Date };
    /** A post by a classmate (another participant of X, not one of the roles). */
    classmatePost: { id: string; authorId: string; createdAt: Date };
  };
  /** Y: published; otherTrainer runs it, otherParticipant is enrolled and holds a certificate. */
  y: OfferingFixture & { certificateId: string; enrolmentId: string };
  /** A draft that trainer runs: seen only by those who may inspect offerings. */
  draft: OfferingFixture;
  /** The country of the pending validation request and of nso; otherNso reviews OTHER_COUNTRY. */
  country: string;
  validationRequestId: string;
  /** An invitation to X for otherParticipant's address (the plain token of the link). */
  invitationToken: string;
  /** An invitation to X for an address with no account. */
  strangerInvitationToken: string;
  /** participant's calendar subscription token. */
  feedToken: string;
  outboxEmailId: string;
  /** Signs the app's tickets (e.g. the one-minute data-export ticket), as the server's configuration does. */
  sessionSecret: string;
  mailboxMessageId: string;
  userIds: Record<Exclude<MatrixRole, 'anonymous'>, string>;
  /** The Cookie header per role ('' for anonymous). */
  cookies: Record<MatrixRole, string>;
  /** The policy's view of each role (null for anonymous), read through the app's own getViewer. */
  actors: Record<MatrixRole, Viewer | null>;
  /** Each role's enrolment per offering, as the policy sees it. */
  enrolmentOf(role: MatrixRole, offering: 'x' | 'y' | 'draft'): EnrolmentAccess | null;
  /** A new session for the role (for routes that end the one they are called with). */
  freshCookie(role: MatrixRole): Promise<string>;
}

export const OTHER_COUNTRY = 'SE';

/**
 * What the matrix's calls must leave as it was: the forms are harmless for
 * those who pass the guards, and the probes with someone else's ids must
 * change nothing at all. Rows the allowed calls write by design (joins,
 * sessions, rate limits, signing keys) are not part of it.
 */
export async function protectedData(ctx: AppContext) {
  const { rows } = await ctx.rawQuery(`
    select json_build_object(
      -- Not updated_at: a refused structure change of one's own offering still touches it (structure.server locks by updating).
      'offerings', (select json_agg(json_build_array(id, status, title, starts_at, ends_at) order by id) from offerings),
      'trainers', (select json_agg(json_build_array(offering_id, user_id) order by offering_id, user_id) from offering_trainers),
      'modules', (select json_agg(json_build_array(id, title) order by id) from modules),
      'activities', (select json_agg(json_build_array(id, removed_at) order by id) from activities),
      'sessions', (select json_agg(json_build_array(id, cancelled_at, recording_url, starts_at) order by id) from live_sessions),
      'enrolments', (select json_agg(json_build_array(id, status, deadline_shifts_used) order by id) from enrolments),
      'certificates', (select json_agg(json_build_array(id, revoked_at, superseded_at) order by id) from certificates),
      'posts', (select json_agg(json_build_array(id, body, hidden_at, edited_at) order by id) from discussion_posts),
      'submissions', (select json_agg(json_build_array(id, status, feedback) order by id) from submissions),
      'validations', (select json_agg(json_build_array(id, status) order by id) from staff_validation_requests),
      'invitations', (select json_agg(json_build_array(id, accepted_at, revoked_at) order by id) from invitations),
      'roles', (select json_agg(json_build_array(user_id, role, country) order by user_id, role, country) from user_roles),
      'users', (select json_agg(json_build_array(id, full_name, email, password_hash) order by id) from users)
    ) as data`);
  return rows[0]!.data as Record<string, unknown>;
}
const DAY = 86_400_000;

/** Everything the matrix needs, built once per file with the factories and the app's own issuing code. */
export async function buildMatrixWorld(ctx: AppContext): Promise<MatrixWorld> {
  const now = Date.now();
  const country = 'NO';
  const participant = await createUser(ctx.db, { country });
  const otherParticipant = await createUser(ctx.db, { country: OTHER_COUNTRY });
  const trainer = await createUser(ctx.db, { roles: [{ role: 'trainer' }] });
  const otherTrainer = await createUser(ctx.db, { roles: [{ role: 'trainer' }] });
  const nso = await createUser(ctx.db, { roles: [{ role: 'nso', country }] });
  const otherNso = await createUser(ctx.db, { country: OTHER_COUNTRY, roles: [{ role: 'nso', country: OTHER_COUNTRY }] });
  const admin = await createUser(ctx.db, { roles: [{ role: 'admin' }] });
  const applicant = await createUser(ctx.db, { country });
  const userIds = { participant: participant.id, otherParticipant: otherParticipant.id, trainer: trainer.id, otherTrainer: otherTrainer.id, nso: nso.id, otherNso: otherNso.id, admin: admin.id };

  async function offering(name: string, status: 'published' | 'draft', trainerId: string) {
    const suffix = randomBytes(4).toString('hex');
    const [row] = await ctx.db
      .insert(offerings)
      .values({
        slug: `matrix-${name}-${suffix}`,
        kind: 'short_course',
        title: `Matrix ${name} ${suffix}`,
        language: 'en',
        organiserTimeZone: 'Europe/Oslo',
        status,
        expectedMinutes: 120,
        startsAt: new Date(now - 10 * DAY),
        endsAt: new Date(now + 30 * DAY),
      })
      .returning();
    await ctx.db.insert(offeringTrainers).values({ offeringId: row!.id, userId: trainerId });
    const [module] = await ctx.db.insert(modules).values({ offeringId: row!.id, position: 0, title: 'Module one' }).returning();
    const [page] = await ctx.db
      .insert(activities)
      .values({ offeringId: row!.id, moduleId: module!.id, position: 0, kind: 'page', title: 'Reading', content: { kind: 'page', body: 'Read this.', videoUrl: '' } })
      .returning();
    const [session] = await ctx.db
      .insert(liveSessions)
      .values({
        offeringId: row!.id,
        title: `Live ${name}`,
        startsAt: new Date(now - 10 * 60_000),
        organiserTimeZone: 'Europe/Oslo',
        durationMinutes: 120,
        joinUrl: `https://meet.example.org/${name}-${suffix}`,
      })
      .returning();
    const access = await offeringAccess(ctx.db, row!.id);
    return { id: row!.id, slug: row!.slug, pageActivityId: page!.id, sessionId: session!.id, moduleId: module!.id, access: { status: access!.status, trainerIds: access!.trainerIds } };
  }

  const x = await offering('x', 'published', trainer.id);
  const y = await offering('y', 'published', otherTrainer.id);
  const draft = await offering('draft', 'draft', trainer.id);

  const [assignment] = await ctx.db
    .insert(activities)
    .values({ offeringId: x.id, moduleId: x.moduleId, position: 1, kind: 'assignment', title: 'Task', content: { kind: 'assignment', prompt: 'Write.', submission: 'text' } })
    .returning();

  const [discussion] = await ctx.db
    .insert(activities)
    .values({ offeringId: x.id, moduleId: x.moduleId, position: 2, kind: 'discussion', title: 'Talk', content: { kind: 'discussion', prompt: 'Discuss.' } })
    .returning();

  const enrolled = async (offeringId: string, userId: string) => {
    const [row] = await ctx.db.insert(enrolments).values({ offeringId, userId, status: 'enrolled', enrolledAt: new Date(now - 5 * DAY) }).returning();
    return row!;
  };
  const enrolmentX = await enrolled(x.id, participant.id);
  const enrolmentY = await enrolled(y.id, otherParticipant.id);
  const classmate = await createUser(ctx.db, { country });
  await enrolled(x.id, classmate.id);
  const [ownPost] = await ctx.db.insert(discussionPosts).values({ activityId: discussion!.id, authorId: participant.id, body: 'My post', createdAt: new Date() }).returning();
  const [classmatePost] = await ctx.db.insert(discussionPosts).values({ activityId: discussion!.id, authorId: classmate.id, body: 'Their post', createdAt: new Date() }).returning();
  const [submission] = await ctx.db.insert(submissions).values({ userId: participant.id, activityId: assignment!.id, body: 'My answer' }).returning();

  // Issued by the trainers, the way the certificates page does it, so PDF and credential render for real.
  const issue = async (offeringId: string, enrolmentId: string, actorId: string) => {
    const outcome = await issueByTrainer(ctx, { offeringId, enrolmentId, actorId, reason: 'Matrix fixture' }, new Date(now - DAY));
    if (!outcome.ok) throw new Error(`Could not issue the fixture certificate: ${outcome.reason}`);
    return outcome.certificate;
  };
  const certificateX = await issue(x.id, enrolmentX.id, trainer.id);
  const certificateY = await issue(y.id, enrolmentY.id, otherTrainer.id);

  const [validation] = await ctx.db
    .insert(staffValidationRequests)
    .values({ userId: applicant.id, country, school: 'Matrix School', schoolRole: 'teacher' })
    .returning();

  const invitationToken = randomBytes(32).toString('base64url');
  await ctx.db.insert(invitations).values({ offeringId: x.id, email: otherParticipant.email, tokenHash: hashToken(invitationToken), invitedBy: trainer.id });

  const strangerInvitationToken = randomBytes(32).toString('base64url');
  await ctx.db.insert(invitations).values({ offeringId: x.id, email: `stranger-${randomBytes(4).toString('hex')}@example.test`, tokenHash: hashToken(strangerInvitationToken), invitedBy: trainer.id });

  const feedToken = randomBytes(32).toString('base64url');
  await ctx.db.insert(calendarFeeds).values({ userId: participant.id, token: feedToken, createdAt: new Date(now) });

  const [outbox] = await ctx.db
    .insert(outboxEmails)
    .values({
      idempotencyKey: `matrix-${randomBytes(6).toString('hex')}`,
      messageId: `<matrix-${randomBytes(6).toString('hex')}@kollega.test>`,
      template: 'matrix',
      locale: 'en',
      toAddress: participant.email,
      subject: 'Matrix',
      html: '<p>Matrix</p>',
      text: 'Matrix',
      status: 'sent',
      sentAt: new Date(now),
    })
    .returning();
  const [mail] = await ctx.db
    .insert(mailboxMessages)
    .values({ messageId: '<matrix@kollega.test>', fromAddress: 'no-reply@kollega.local', toAddress: participant.email, subject: 'Matrix', text: 'Matrix', html: '<p>Matrix</p>', raw: 'Subject: Matrix\r\n\r\nMatrix' })
    .returning();

  const cookies = { anonymous: '' } as Record<MatrixRole, string>;
  const actors = { anonymous: null } as Record<MatrixRole, Viewer | null>;
  const load = requestContext(ctx);
  for (const role of ROLES) {
    if (role === 'anonymous') continue;
    cookies[role] = await signIn(ctx, userIds[role]);
    actors[role] = await getViewer(load, makeRequest('/', { cookie: cookies[role] }));
    if (!actors[role]) throw new Error(`The ${role} fixture could not sign in`);
  }

  const enrolmentsByOffering = { x: { [participant.id]: enrolmentX }, y: { [otherParticipant.id]: enrolmentY }, draft: {} } as Record<'x' | 'y' | 'draft', Record<string, typeof enrolmentX>>;

  return {
    x: {
      ...x,
      assignmentActivityId: assignment!.id,
      submissionId: submission!.id,
      certificateId: certificateX.id,
      certificateCode: certificateX.code,
      discussionActivityId: discussion!.id,
      ownPost: { id: ownPost!.id, createdAt: ownPost!.createdAt },
      classmatePost: { id: classmatePost!.id, authorId: classmate.id, createdAt: classmatePost!.createdAt },
    },
    y: { ...y, certificateId: certificateY.id, enrolmentId: enrolmentY.id },
    draft,
    country,
    validationRequestId: validation!.id,
    invitationToken,
    strangerInvitationToken,
    feedToken,
    outboxEmailId: outbox!.id,
    sessionSecret: ctx.config.sessionSecret,
    mailboxMessageId: mail!.id,
    userIds,
    cookies,
    actors,
    enrolmentOf(role, which) {
      if (role === 'anonymous') return null;
      const row = enrolmentsByOffering[which][userIds[role]];
      return row ? { userId: row.userId, status: row.status } : null;
    },
    freshCookie(role) {
      return role === 'anonymous' ? Promise.resolve('') : signIn(ctx, userIds[role]);
    },
  };
}
