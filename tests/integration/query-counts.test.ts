import type { LoaderFunctionArgs } from '@remix-run/node';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enrolments, users } from '#db/schema';
import { catalogueChanged } from '~/modules/catalogue/result-cache.server';
import { loader as rootLoader } from '~/root';
import { loader as catalogueLoader } from '~/routes/catalogue';
import { loader as dashboardLoader } from '~/routes/dashboard';
import { loader as activityLoader } from '~/routes/learn.$slug.activities.$activityId';
import { loader as courseLoader } from '~/routes/learn.$slug._index';
import { loader as offeringLoader } from '~/routes/offerings.$slug';
import { loader as sessionLoader } from '~/routes/sessions.$id';
import { loader as authoringLayoutLoader } from '~/routes/trainer.offerings.$id';
import { loader as certificatesLoader } from '~/routes/trainer.offerings.$id.certificates';
import { loader as participantsLoader } from '~/routes/trainer.offerings.$id.participants';
import { loader as progressLoader } from '~/routes/trainer.offerings.$id.progress';
import { loader as sessionsLoader } from '~/routes/trainer.offerings.$id.sessions';
import { loader as authoringIndexLoader } from '~/routes/trainer._index';
import { loader as detailsLoader } from '~/routes/trainer.offerings.$id._index';
import { loader as authoringActivityLoader } from '~/routes/trainer.offerings.$id.activities.$activityId';
import { loader as messagesLoader } from '~/routes/trainer.offerings.$id.messages';
import { loader as reviewsLoader } from '~/routes/trainer.offerings.$id.reviews';
import { loader as attendanceLoader } from '~/routes/trainer.offerings.$id.sessions_.$sessionId';
import { loader as structureLoader } from '~/routes/trainer.offerings.$id.structure';
import { createTestContext, recordingJobQueue, type TestContext } from '../support/context';
import { createUser, signIn, testPasswordHash } from '../support/factories';
import { queryCounter, type QueryCounter } from '../support/query-counter';
import { makeRequest } from '../support/requests';

/**
 * Issue 7, "no N+1 queries on any page": every page below is loaded the way
 * Remix loads it (the root loader, any layout loader, the page's loader) on
 * a connection that records each statement sent (tests/support/query-counter.ts).
 * Each page is loaded for a small and a large edition of the same course
 * (5 and 500 participants, or a dashboard with 1 and 30 enrolments) and
 * must send the same number of statements, within its budget. A loop of
 * one query per row shows up as a difference between the two.
 */

type Loader = (args: LoaderFunctionArgs) => Promise<unknown>;

/**
 * Statements per page load, root loader included, as measured when this test
 * was written; a page that needs more must say why here. The root, the
 * authoring layout and the tab each authorise on their own, but share the
 * session lookup and the offering's access facts through the page view memo
 * (RequestContext.pageView, set by server/http.ts for GET and HEAD): one
 * statement each per page, not three and two.
 */
const BUDGET = {
  catalogue: 2,
  offeringPage: 6,
  dashboard: 5,
  participants: 8,
  progress: 7,
  certificates: 6,
  sessions: 5,
  course: 7,
  quizActivity: 6,
  discussionActivity: 6,
  sessionPage: 4,
  authoringIndex: 4,
  details: 8,
  attendance: 9,
  reviews: 6,
  messages: 7,
  structure: 8,
  authoringActivity: 6,
} as const;

const DAY = 86_400_000;
const SMALL = 5;
const LARGE = 500;
/** Raw statements take text; PostgreSQL reads ISO instants. */
const iso = (ms: number) => new Date(ms).toISOString();

interface Course {
  id: string;
  slug: string;
  pastSessionId: string;
  quizId: string;
  discussionId: string;
  /** The first participant, signed in. */
  participantCookie: string;
}

describe('statements per page', () => {
  let ctx: TestContext;
  let counter: QueryCounter;
  let trainerId: string;
  let trainerCookie: string;
  /** Trains only the small course; the first trainer trains every course made here. */
  let newTrainerCookie: string;
  const course: Record<'small' | 'large', Course> = {} as never;
  const dashboardCookie: Record<'one' | 'many', string> = { one: '', many: '' };

  beforeAll(async () => {
    ctx = await createTestContext({ jobs: recordingJobQueue() });
    counter = queryCounter(ctx);
    const trainer = await createUser(ctx.db, { roles: [{ role: 'trainer' }], fullName: 'Tove Trainer' });
    trainerId = trainer.id;
    trainerCookie = await signIn(ctx, trainer.id);
    const passwordHash = await testPasswordHash();
    const newTrainer = await createUser(ctx.db, { roles: [{ role: 'trainer' }], fullName: 'Nils Newcomer' });
    newTrainerCookie = await signIn(ctx, newTrainer.id);

    course.small = await seedCourse(SMALL, passwordHash);
    await sql('insert into offering_trainers (offering_id, user_id, position) values ($1, $2, 1)', [course.small.id, newTrainer.id]);
    course.large = await seedCourse(LARGE, passwordHash);
    // The large edition is larger in every way a page lists: more modules, activities, sessions and invitations too.
    await growCourse(course.large.id, { modules: 8, sessions: 6, invitations: 40, messages: 10 });

    // Dashboards: one person in one course, another in thirty, each course with sessions, some finished with a certificate.
    const extraCourses: Course[] = [];
    for (let i = 0; i < 30; i++) extraCourses.push(await seedCourse(0, passwordHash));
    const one = await createUser(ctx.db);
    const many = await createUser(ctx.db);
    await enrolIn(one.id, extraCourses.slice(0, 1));
    await enrolIn(many.id, extraCourses);
    dashboardCookie.one = await signIn(ctx, one.id);
    dashboardCookie.many = await signIn(ctx, many.id);
  }, 120_000);

  afterAll(async () => {
    await counter?.close();
    await ctx?.close();
  });

  const sql = (text: string, values?: unknown[]) => ctx.handle.query(text, values);

  /**
   * A published course with a page, a quiz, an assignment, a discussion and
   * a live-session activity, a past and a coming session, and `size`
   * participants who have worked on everything: progress, quiz attempts,
   * submissions, posts, joins, attendance; every fifth has completed with a
   * certificate.
   */
  async function seedCourse(size: number, passwordHash: string): Promise<Course> {
    const now = Date.now();
    const { rows: offeringRows } = await sql(
      `insert into offerings (slug, kind, title, summary, language, organiser_time_zone, status, starts_at, ends_at, completion_deadline,
         enrolment_opens_at, expected_minutes, certificate_enabled, published_at, search_text)
       values ('qc-' || substr(md5(random()::text), 1, 10), 'mooc', 'Counting course', 'A course', 'en', 'Europe/Oslo', 'published',
         $1, $2, $3, $4, 120, true, $4, 'counting course')
       returning id, slug`,
      [iso(now - 10 * DAY), iso(now + 20 * DAY), iso(now + 30 * DAY), iso(now - 20 * DAY)],
    );
    const offering = offeringRows[0] as { id: string; slug: string };
    await sql('insert into offering_trainers (offering_id, user_id) values ($1, $2)', [offering.id, trainerId]);
    const { rows: moduleRows } = await sql(
      `insert into modules (offering_id, position, title) values ($1, 1, 'Module 1'), ($1, 2, 'Module 2') returning id, position`,
      [offering.id],
    );
    const moduleId = (position: number) => (moduleRows as { id: string; position: number }[]).find((m) => m.position === position)!.id;
    const { rows: sessionRows } = await sql(
      `insert into live_sessions (offering_id, title, starts_at, organiser_time_zone, duration_minutes, join_url)
       values ($1, 'Kick-off', $2, 'Europe/Oslo', 60, 'https://meet.example.test/a'),
              ($1, 'Wrap-up', $3, 'Europe/Oslo', 60, 'https://meet.example.test/b')
       returning id, title`,
      [offering.id, iso(now - 2 * DAY), iso(now + 5 * DAY)],
    );
    const session = (title: string) => (sessionRows as { id: string; title: string }[]).find((s) => s.title === title)!.id;
    const quizContent = {
      kind: 'quiz',
      intro: 'Check yourself',
      passMarkPercent: 50,
      attemptsAllowed: 3,
      questions: [{ id: 'q1', prompt: 'Two and two?', multiple: false, choices: [{ id: 'a', label: 'Four', correct: true }, { id: 'b', label: 'Five', correct: false }] }],
    };
    const { rows: activityRows } = await sql(
      `insert into activities (offering_id, module_id, position, kind, title, content, live_session_id) values
         ($1, $2, 1, 'page', 'Welcome', '{"kind":"page","body":"Hello","videoUrl":""}', null),
         ($1, $2, 2, 'quiz', 'Quiz', $4, null),
         ($1, $3, 1, 'assignment', 'Assignment', '{"kind":"assignment","prompt":"Write","submission":"text"}', null),
         ($1, $3, 2, 'discussion', 'Discussion', '{"kind":"discussion","prompt":"Talk"}', null),
         ($1, $3, 3, 'live_session', 'Kick-off', '{"kind":"live_session"}', $5)
       returning id, kind`,
      [offering.id, moduleId(1), moduleId(2), JSON.stringify(quizContent), session('Kick-off')],
    );
    const activity = (kind: string) => (activityRows as { id: string; kind: string }[]).find((a) => a.kind === kind)!.id;

    let participantCookie = '';
    if (size > 0) {
      const { rows: userRows } = await sql(
        `insert into users (email, email_verified_at, password_hash, full_name, certificate_name, country, school, school_role, time_zone)
         select 'qc-' || substr(md5(random()::text), 1, 12) || '-' || i || '@example.test', now(), $2, 'Participant ' || i, 'Participant ' || i,
                (array['NO','SE','FI','PL'])[1 + i % 4], 'School ' || i, 'teacher', 'Europe/Oslo'
         from generate_series(1, $1::int) i
         returning id`,
        [size, passwordHash],
      );
      const userIds = (userRows as { id: string }[]).map((u) => u.id);
      await enrolCourseParticipants(offering.id, userIds, {
        page: activity('page'),
        quiz: activity('quiz'),
        assignment: activity('assignment'),
        discussion: activity('discussion'),
        pastSession: session('Kick-off'),
      });
      participantCookie = await signIn(ctx, userIds[0]!);
    }
    await addMessages(offering.id, 1);
    return {
      id: offering.id,
      slug: offering.slug,
      pastSessionId: session('Kick-off'),
      quizId: activity('quiz'),
      discussionId: activity('discussion'),
      participantCookie,
    };
  }

  async function growCourse(offeringId: string, extra: { modules: number; sessions: number; invitations: number; messages: number }) {
    await sql(
      `with added as (
         insert into modules (offering_id, position, title) select $1, 2 + i, 'Extra module ' || i from generate_series(1, $2::int) i returning id
       )
       insert into activities (offering_id, module_id, position, kind, title, content)
       select $1, added.id, p, 'page', 'Reading ' || p, '{"kind":"page","body":"Read","videoUrl":""}' from added cross join generate_series(1, 3) p`,
      [offeringId, extra.modules],
    );
    await sql(
      `insert into live_sessions (offering_id, title, starts_at, organiser_time_zone, duration_minutes)
       select $1, 'Extra session ' || i, now() + (i || ' days')::interval, 'Europe/Oslo', 60 from generate_series(1, $2::int) i`,
      [offeringId, extra.sessions],
    );
    await sql(
      `insert into invitations (offering_id, email, token_hash, invited_by)
       select $1, 'invited-' || i || '@example.test', md5(random()::text), $3 from generate_series(1, $2::int) i`,
      [offeringId, extra.invitations, trainerId],
    );
    await addMessages(offeringId, extra.messages);
  }

  /** Messages from the trainer to the participants, each with its emails in the outbox (the messages tab counts them by status). */
  async function addMessages(offeringId: string, count: number) {
    const { rows } = await sql(
      `insert into offering_messages (offering_id, sender_id, subject, body, recipient_count, created_at)
       select $1, $3, 'Note ' || i, 'Hello', 3, now() - (i || ' hours')::interval from generate_series(1, $2::int) i returning id`,
      [offeringId, count, trainerId],
    );
    for (const { id } of rows as { id: string }[]) {
      await sql(
        `insert into outbox_emails (idempotency_key, message_id, template, locale, to_address, subject, html, text, status, group_key)
         select $1 || '-' || i, $1 || '-' || i, 'offering-message', 'en', 'p' || i || '@example.test', 'Note', '', '',
                (array['queued','sent','failed'])[i]::outbox_status, 'offering-message:' || $1
         from generate_series(1, 3) i`,
        [id],
      );
    }
  }

  async function enrolCourseParticipants(
    offeringId: string,
    userIds: string[],
    ids: { page: string; quiz: string; assignment: string; discussion: string; pastSession: string },
  ) {
    // Every fifth has completed (the first participant, who is counted, has not).
    await sql(
      `insert into enrolments (offering_id, user_id, status, enrolled_at, completed_at)
       select $1, u.id, case when u.n % 5 = 0 then 'completed'::enrolment_status else 'enrolled'::enrolment_status end,
              now() - interval '9 days', case when u.n % 5 = 0 then now() - interval '1 day' end
       from unnest($2::uuid[]) with ordinality as u(id, n)`,
      [offeringId, userIds],
    );
    await sql(`update offerings set seats_taken = $2 where id = $1`, [offeringId, userIds.length]);
    await sql(
      `insert into activity_progress (user_id, activity_id, status, score, attempts, completed_at)
       select u.id, a.id, 'done', case when a.id = $3 then 100 end, case when a.id = $3 then 1 else 0 end, now() - interval '2 days'
       from unnest($1::uuid[]) as u(id) cross join unnest($2::uuid[]) as a(id)`,
      [userIds, [ids.page, ids.quiz, ids.discussion], ids.quiz],
    );
    await sql(
      `insert into quiz_attempts (user_id, activity_id, answers, score_percent, passed)
       select u.id, $2, '{"q1":["a"]}', 100, true from unnest($1::uuid[]) as u(id)`,
      [userIds, ids.quiz],
    );
    await sql(
      `insert into submissions (user_id, activity_id, body, status) select u.id, $2, 'My answer', 'submitted' from unnest($1::uuid[]) as u(id)`,
      [userIds, ids.assignment],
    );
    await sql(
      `insert into activity_progress (user_id, activity_id, status) select u.id, $2, 'submitted' from unnest($1::uuid[]) as u(id)`,
      [userIds, ids.assignment],
    );
    await sql(
      `insert into discussion_posts (activity_id, author_id, body, created_at)
       select $2, u.id, 'Post by ' || u.n, now() - (u.n || ' minutes')::interval from unnest($1::uuid[]) with ordinality as u(id, n)`,
      [userIds, ids.discussion],
    );
    await sql(
      `insert into session_joins (session_id, user_id, joined_at) select $2, u.id, now() - interval '2 days' from unnest($1::uuid[]) as u(id)`,
      [userIds, ids.pastSession],
    );
    await sql(
      `insert into session_attendance (session_id, user_id, report_minutes, updated_at) select $2, u.id, 55, now() from unnest($1::uuid[]) as u(id)`,
      [userIds, ids.pastSession],
    );
    await issueCertificates(offeringId);
  }

  /** A certificate for every completed enrolment of the offering, as the issue job would leave it. */
  async function issueCertificates(offeringId: string) {
    await sql(
      `insert into certificates (code, enrolment_id, user_id, offering_id, snapshot, issued_at, pdf_sha256)
       select upper(substr(md5(random()::text), 1, 12)), e.id, e.user_id, e.offering_id,
              jsonb_build_object('holderName', u.certificate_name, 'offeringTitle', o.title, 'offeringKind', o.kind, 'offeringSlug', o.slug,
                'expectedMinutes', o.expected_minutes, 'attendedMinutes', null, 'startsAt', o.starts_at, 'endsAt', o.ends_at,
                'completedAt', e.completed_at, 'issuer', jsonb_build_object('platformName', 'Kollega', 'organisationName', 'Test', 'url', 'http://localhost:3000'),
                'trainers', jsonb_build_array('Tove Trainer'), 'language', 'en', 'timeZone', 'Europe/Oslo'),
              e.completed_at, encode(sha256(gen_random_uuid()::text::bytea), 'hex')
       from enrolments e join users u on u.id = e.user_id join offerings o on o.id = e.offering_id
       where e.offering_id = $1 and e.status = 'completed' and not exists (select 1 from certificates c where c.enrolment_id = e.id)`,
      [offeringId],
    );
  }

  /** The dashboard's person: enrolled in each course (the first in progress), every third completed with a certificate, the rest half-way. */
  async function enrolIn(userId: string, courses: Course[]) {
    for (const [index, each] of courses.entries()) {
      const completed = index % 3 === 1;
      await sql(
        `insert into enrolments (offering_id, user_id, status, enrolled_at, completed_at) values ($1, $2, $3, now() - interval '9 days', $4)`,
        [each.id, userId, completed ? 'completed' : 'enrolled', completed ? iso(Date.now() - DAY) : null],
      );
      await sql(
        `insert into activity_progress (user_id, activity_id, status, completed_at) values ($1, $2, 'done', now()), ($1, $3, 'started', null)`,
        [userId, each.quizId, each.discussionId],
      );
      await sql(`insert into session_joins (session_id, user_id, joined_at) values ($1, $2, now() - interval '2 days')`, [each.pastSessionId, userId]);
      if (completed) await issueCertificates(each.id);
    }
  }

  /** Loads a page as Remix would (each matched route's loader, outermost first) and returns the statements sent. */
  async function statementsFor(path: string, cookie: string | undefined, loaders: Loader[], params: Record<string, string> = {}) {
    catalogueChanged();
    // One page view, as server/http.ts serves a GET: its loaders share lookups (the viewer, an offering's access).
    const pageView = new Map<string, Promise<unknown>>();
    const { result, statements } = await counter.record(async () => {
      const outcomes: unknown[] = [];
      for (const loader of loaders) {
        try {
          outcomes.push(await loader({ request: makeRequest(path, { cookie }), context: { ...counter.loadContext(), pageView }, params }));
        } catch (thrown) {
          outcomes.push(thrown);
        }
      }
      return outcomes;
    });
    for (const outcome of result) {
      // A redirect or an error page would count the wrong work.
      expect(outcome instanceof Response ? outcome.status : 200, `${path}: ${outcome instanceof Response ? outcome.headers.get('location') : ''}`).toBe(200);
    }
    return statements;
  }

  /**
   * Loads the page for both cases once to warm per-process memories (and to let a session older than the
   * touch interval be touched), then measures the small and the large case; both must cost the same.
   */
  async function expectConstant(
    budget: number,
    load: (size: 'small' | 'large') => Promise<string[]>,
  ): Promise<void> {
    await load('small');
    await load('large');
    const small = await load('small');
    const large = await load('large');
    expect(large, `statements for the large case:\n${large.join('\n---\n')}`).toHaveLength(small.length);
    expect(small.length, `statements:\n${small.join('\n---\n')}`).toBeLessThanOrEqual(budget);
  }

  const authoring = (leaf: Loader): Loader[] => [rootLoader, authoringLayoutLoader, leaf];

  it('sees a query per row when there is one (the method itself)', async () => {
    // What an N+1 looks like: the participants, then each one's name on its own.
    const onePerRow: Loader = async ({ context, params }) => {
      const rows = await context.db.select({ userId: enrolments.userId }).from(enrolments).where(eq(enrolments.offeringId, params.id!)).limit(50);
      for (const row of rows) await context.db.select({ name: users.fullName }).from(users).where(eq(users.id, row.userId));
      return null;
    };
    const small = await statementsFor('/n-plus-one', undefined, [onePerRow], { id: course.small.id });
    const large = await statementsFor('/n-plus-one', undefined, [onePerRow], { id: course.large.id });
    expect([small.length, large.length]).toEqual([1 + SMALL, 1 + 50]);
  });

  it('catalogue', async () => {
    await expectConstant(BUDGET.catalogue, () => statementsFor('/catalogue?q=counting', undefined, [rootLoader, catalogueLoader]));
  });

  it('offering page, for a participant', async () => {
    await expectConstant(BUDGET.offeringPage, (size) =>
      statementsFor(`/offerings/${course[size].slug}`, course[size].participantCookie, [rootLoader, offeringLoader], { slug: course[size].slug }),
    );
  });

  it('dashboard with 1 and with 30 enrolments', async () => {
    await expectConstant(BUDGET.dashboard, (size) =>
      statementsFor('/dashboard', size === 'small' ? dashboardCookie.one : dashboardCookie.many, [rootLoader, dashboardLoader]),
    );
  });

  it('trainer: participant list', async () => {
    await expectConstant(BUDGET.participants, (size) =>
      statementsFor(`/trainer/offerings/${course[size].id}/participants`, trainerCookie, authoring(participantsLoader), { id: course[size].id }),
    );
  });

  it('trainer: progress grid', async () => {
    await expectConstant(BUDGET.progress, (size) =>
      statementsFor(`/trainer/offerings/${course[size].id}/progress`, trainerCookie, authoring(progressLoader), { id: course[size].id }),
    );
  });

  it('trainer: certificates tab', async () => {
    await expectConstant(BUDGET.certificates, (size) =>
      statementsFor(`/trainer/offerings/${course[size].id}/certificates`, trainerCookie, authoring(certificatesLoader), { id: course[size].id }),
    );
  });

  it('trainer: sessions tab', async () => {
    await expectConstant(BUDGET.sessions, (size) =>
      statementsFor(`/trainer/offerings/${course[size].id}/sessions`, trainerCookie, authoring(sessionsLoader), { id: course[size].id }),
    );
  });

  it('course player overview', async () => {
    await expectConstant(BUDGET.course, (size) =>
      statementsFor(`/learn/${course[size].slug}`, course[size].participantCookie, [rootLoader, courseLoader], { slug: course[size].slug }),
    );
  });

  it('course player: a quiz', async () => {
    await expectConstant(BUDGET.quizActivity, (size) => {
      const { slug, quizId } = course[size];
      return statementsFor(`/learn/${slug}/activities/${quizId}`, course[size].participantCookie, [rootLoader, activityLoader], { slug, activityId: quizId });
    });
  });

  it('course player: a discussion with a post from every participant', async () => {
    await expectConstant(BUDGET.discussionActivity, (size) => {
      const { slug, discussionId } = course[size];
      return statementsFor(`/learn/${slug}/activities/${discussionId}`, course[size].participantCookie, [rootLoader, activityLoader], {
        slug,
        activityId: discussionId,
      });
    });
  });

  it('session page, for a participant and for the trainer', async () => {
    await expectConstant(BUDGET.sessionPage, (size) =>
      statementsFor(`/sessions/${course[size].pastSessionId}`, course[size].participantCookie, [rootLoader, sessionLoader], { id: course[size].pastSessionId }),
    );
    await expectConstant(BUDGET.sessionPage, (size) =>
      statementsFor(`/sessions/${course[size].pastSessionId}`, trainerCookie, [rootLoader, sessionLoader], { id: course[size].pastSessionId }),
    );
  });
  it('trainer: own offerings list, for a trainer of one course and of thirty-two', async () => {
    await expectConstant(BUDGET.authoringIndex, (size) =>
      statementsFor('/trainer', size === 'small' ? newTrainerCookie : trainerCookie, [rootLoader, authoringIndexLoader]),
    );
  });

  it('trainer: offering details', async () => {
    await expectConstant(BUDGET.details, (size) =>
      statementsFor(`/trainer/offerings/${course[size].id}`, trainerCookie, authoring(detailsLoader), { id: course[size].id }),
    );
  });

  it('trainer: structure tab', async () => {
    await expectConstant(BUDGET.structure, (size) =>
      statementsFor(`/trainer/offerings/${course[size].id}/structure`, trainerCookie, authoring(structureLoader), { id: course[size].id }),
    );
  });

  it('trainer: a quiz in the authoring view', async () => {
    await expectConstant(BUDGET.authoringActivity, (size) => {
      const { id, quizId } = course[size];
      return statementsFor(`/trainer/offerings/${id}/activities/${quizId}`, trainerCookie, authoring(authoringActivityLoader), { id, activityId: quizId });
    });
  });

  it('trainer: attendance of a session every participant joined', async () => {
    await expectConstant(BUDGET.attendance, (size) => {
      const { id, pastSessionId } = course[size];
      return statementsFor(`/trainer/offerings/${id}/sessions/${pastSessionId}`, trainerCookie, authoring(attendanceLoader), { id, sessionId: pastSessionId });
    });
  });

  it('trainer: reviews tab with a submission and a post from every participant', async () => {
    await expectConstant(BUDGET.reviews, (size) =>
      statementsFor(`/trainer/offerings/${course[size].id}/reviews`, trainerCookie, authoring(reviewsLoader), { id: course[size].id }),
    );
  });

  it('trainer: messages tab', async () => {
    await expectConstant(BUDGET.messages, (size) =>
      statementsFor(`/trainer/offerings/${course[size].id}/messages`, trainerCookie, authoring(messagesLoader), { id: course[size].id }),
    );
  });
});
