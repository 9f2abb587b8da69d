import { randomBytes, randomUUID } from 'node:crypto';
import { DateTime } from 'luxon';
import { and, eq } from 'drizzle-orm';
import { Parser } from 'htmlparser2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderEmail, type EmailTemplateName, type EmailTemplates } from '#emails/index';
import {
  activities,
  enrolments,
  liveSessions,
  modules,
  offerings,
  offeringTrainers,
  outboxEmails,
  staffValidationRequests,
  submissions,
} from '#db/schema';
import { loader as adminUsersLoader } from '~/routes/admin.users';
import { loader as catalogueLoader } from '~/routes/catalogue';
import { loader as dashboardLoader } from '~/routes/dashboard';
import { action as activityAction, loader as activityLoader } from '~/routes/learn.$slug.activities.$activityId';
import { loader as learnLoader } from '~/routes/learn.$slug._index';
import { loader as offeringLoader } from '~/routes/offerings.$slug';
import { loader as sessionLoader } from '~/routes/sessions.$id';
import { action as certificatesAction, loader as certificatesLoader } from '~/routes/trainer.offerings.$id.certificates';
import { loader as participantsLoader } from '~/routes/trainer.offerings.$id.participants';
import { loader as progressLoader } from '~/routes/trainer.offerings.$id.progress';
import { action as reviewsAction, loader as reviewsLoader } from '~/routes/trainer.offerings.$id.reviews';
import { action as sessionsAction, loader as sessionsLoader } from '~/routes/trainer.offerings.$id.sessions';
import { action as sessionPageAction, loader as sessionPageLoader } from '~/routes/trainer.offerings.$id.sessions_.$sessionId';
import { action as messagesAction, loader as messagesLoader } from '~/routes/trainer.offerings.$id.messages';
import { loader as structureLoader } from '~/routes/trainer.offerings.$id.structure';
import { loader as validationsLoader } from '~/routes/validations';
import { loader as verifyLoader } from '~/routes/verify.$code';
import { createTestContext, recordingJobQueue, TEST_APP_URL, type TestContext } from '../support/context';
import { createUser, signIn } from '../support/factories';
import { makeRequest, requestContext } from '../support/requests';

/**
 * Stored cross-site scripting: payloads go in through the real actions (and,
 * for what a trainer authors on pages this file does not drive, straight
 * into the tables), then every loader that shows them is called. Text that
 * React renders is escaped by React; what must be proved here is that the
 * strings the pages insert as HTML (rendered Markdown, JSON-LD) are inert,
 * that no address a page puts in href/src can be javascript:, and that
 * emails escape their HTML part. tests/e2e/stored-xss.e2e.ts opens the same
 * kinds of pages in Chromium.
 */

const SCRIPT = '<script>window.__xss=1</script>';
const IMG = '"><img src=x onerror=alert(1)>';
const SVG = '<svg onload=alert(1)>';
const JS_LINK = 'javascript:alert(1)';
const MARKDOWN_PAYLOAD = [
  `# Hello ${SCRIPT}`,
  '',
  `[click me](${JS_LINK}) and [data](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)`,
  '',
  `<a href="${JS_LINK}">raw link</a> <a href="JaVaScRiPt&colon;alert(1)">entity link</a>`,
  '',
  `${IMG} ${SVG} <iframe src="https://evil.example"></iframe>`,
  '',
  '<div onclick="alert(1)" style="position:fixed">raw html</div><form action="https://evil.example"><input name="p"></form>',
].join('\n');
/** A name or title carrying every payload; React must show it as text. */
const NAME_PAYLOAD = `Eve ${SCRIPT}${IMG}${SVG}`;

const FORBIDDEN_TAGS = new Set(['script', 'iframe', 'frame', 'object', 'embed', 'svg', 'math', 'style', 'link', 'meta', 'base', 'form', 'input', 'button', 'textarea', 'select']);
const SAFE_ADDRESS = /^(https?:\/\/|mailto:|\/(?!\/)|#|\?)/i;

/**
 * Every reason the HTML could run script or post a form, empty when it is
 * inert. An email is a whole document: its layout's own <meta> and inline
 * styles are allowed there (a value escaped into it cannot add either).
 */
function htmlProblems(html: string, options: { emailDocument?: boolean } = {}): string[] {
  const problems: string[] = [];
  const parser = new Parser(
    {
      onopentag(name, attributes) {
        if (FORBIDDEN_TAGS.has(name) && !(options.emailDocument && name === 'meta')) problems.push(`<${name}>`);
        for (const [attribute, value] of Object.entries(attributes)) {
          if (/^on/i.test(attribute)) problems.push(`${name}[${attribute}]`);
          if (attribute === 'style' && !options.emailDocument) problems.push(`${name}[style]`);
          if ((attribute === 'href' || attribute === 'src' || attribute === 'action' || attribute === 'formaction') && !SAFE_ADDRESS.test(value.trim())) {
            problems.push(`${name}[${attribute}=${value}]`);
          }
        }
      },
    },
    { decodeEntities: true, lowerCaseTags: true, lowerCaseAttributeNames: true },
  );
  parser.write(html);
  parser.end();
  return problems;
}

/**
 * Walks a loader's data: strings under keys ending in "html" must be inert
 * HTML, strings under keys naming an address must be http(s), relative or
 * mailto, and JSON-LD must not be able to close its script element.
 */
function unsafeStrings(data: unknown): string[] {
  const found: string[] = [];
  const visit = (value: unknown, path: string, key: string) => {
    if (typeof value === 'string') {
      if (/html$/i.test(key)) for (const problem of htmlProblems(value)) found.push(`${path}: ${problem}`);
      if (/(url|href|link|src)$/i.test(key) && value !== '' && !SAFE_ADDRESS.test(value.trim())) found.push(`${path}: address ${value}`);
      if (/jsonld$/i.test(key) && /<|>/.test(value)) found.push(`${path}: raw angle bracket in JSON-LD`);
      return;
    }
    if (value instanceof Date || value === null || typeof value !== 'object') return;
    if (Array.isArray(value)) value.forEach((item, index) => visit(item, `${path}[${index}]`, key));
    else for (const [name, item] of Object.entries(value)) visit(item, `${path}.${name}`, name);
  };
  visit(data, '$', '');
  return found;
}

type Outcome = { status: number; headers: Headers; body: unknown };

async function outcome(run: () => Promise<unknown>): Promise<Outcome> {
  let value: unknown;
  try {
    value = await run();
  } catch (thrown) {
    value = thrown;
  }
  if (value instanceof Response) return { status: value.status, headers: value.headers, body: null };
  const withInit = value as { type?: string; data?: unknown; init?: { status?: number; headers?: Record<string, string> } };
  if (withInit && withInit.type === 'DataWithResponseInit') return { status: withInit.init?.status ?? 200, headers: new Headers(withInit.init?.headers), body: withInit.data };
  return { status: 200, headers: new Headers(), body: value };
}

const DAY = 24 * 60 * 60 * 1000;

describe('stored XSS', () => {
  let ctx: TestContext;
  let trainer: { id: string; cookie: string };
  let learner: { id: string; email: string; cookie: string; enrolmentId: string };
  let replier: { id: string; email: string; cookie: string };
  let admin: string;
  let officer: string;
  let offeringId: string;
  let slug: string;
  let seriesId: string;
  let seriesSlug: string;
  let liveSessionId: string;
  const activityIds: Record<'page' | 'quiz' | 'assignment' | 'discussion', string> = { page: '', quiz: '', assignment: '', discussion: '' };

  const args = (path: string, cookie: string | undefined, params: Record<string, string>, form?: Record<string, string>) => ({
    request: makeRequest(path, { cookie, form }),
    context: requestContext(ctx),
    params,
  });

  async function enrol(offering: string, userId: string) {
    const [row] = await ctx.db
      .insert(enrolments)
      .values({ offeringId: offering, userId, status: 'enrolled', enrolledAt: new Date(Date.now() - 5 * DAY) })
      .returning({ id: enrolments.id });
    return row!.id;
  }

  beforeAll(async () => {
    ctx = await createTestContext({ jobs: recordingJobQueue() });
    const now = Date.now();
    const trainerUser = await createUser(ctx.db, { fullName: `Trainer ${NAME_PAYLOAD}`, roles: [{ role: 'trainer' }] });
    trainer = { id: trainerUser.id, cookie: await signIn(ctx, trainerUser.id) };
    admin = await signIn(ctx, (await createUser(ctx.db, { roles: [{ role: 'admin' }] })).id);
    officer = await signIn(ctx, (await createUser(ctx.db, { roles: [{ role: 'nso', country: 'NO' }] })).id);

    slug = `xss-${randomBytes(4).toString('hex')}`;
    const [offering] = await ctx.db
      .insert(offerings)
      .values({
        slug,
        kind: 'short_course',
        title: `Course ${NAME_PAYLOAD}`,
        summary: `Summary ${NAME_PAYLOAD}`,
        description: MARKDOWN_PAYLOAD,
        language: 'en',
        organiserTimeZone: 'Europe/Oslo',
        status: 'published',
        enrolmentOpensAt: new Date(now - 10 * DAY),
        enrolmentClosesAt: new Date(now + 10 * DAY),
        startsAt: new Date(now - 7 * DAY),
        endsAt: new Date(now + 14 * DAY),
        completionDeadline: new Date(now + 21 * DAY),
        publishedAt: new Date(now - 10 * DAY),
        createdBy: trainer.id,
      })
      .returning({ id: offerings.id });
    offeringId = offering!.id;
    await ctx.db.insert(offeringTrainers).values({ offeringId, userId: trainer.id });
    const [module] = await ctx.db
      .insert(modules)
      .values({ offeringId, position: 1, title: `Week ${NAME_PAYLOAD}`, summary: NAME_PAYLOAD, releaseAt: new Date(now - 7 * DAY) })
      .returning({ id: modules.id });
    const rows = await ctx.db
      .insert(activities)
      .values([
        { offeringId, moduleId: module!.id, position: 1, kind: 'page', title: `Page ${NAME_PAYLOAD}`, content: { kind: 'page', body: MARKDOWN_PAYLOAD, videoUrl: '' } },
        {
          offeringId,
          moduleId: module!.id,
          position: 2,
          kind: 'quiz',
          title: `Quiz ${NAME_PAYLOAD}`,
          content: {
            kind: 'quiz',
            intro: MARKDOWN_PAYLOAD,
            passMarkPercent: 50,
            attemptsAllowed: 3,
            questions: [
              {
                id: 'q1',
                prompt: `Question ${NAME_PAYLOAD}`,
                multiple: false,
                choices: [
                  { id: 'a', label: `Answer ${NAME_PAYLOAD}`, correct: true },
                  { id: 'b', label: JS_LINK, correct: false },
                ],
              },
            ],
          },
        },
        { offeringId, moduleId: module!.id, position: 3, kind: 'assignment', title: `Task ${NAME_PAYLOAD}`, content: { kind: 'assignment', prompt: MARKDOWN_PAYLOAD, submission: 'text' } },
        { offeringId, moduleId: module!.id, position: 4, kind: 'discussion', title: `Talk ${NAME_PAYLOAD}`, content: { kind: 'discussion', prompt: MARKDOWN_PAYLOAD } },
      ])
      .returning({ id: activities.id, kind: activities.kind });
    for (const row of rows) activityIds[row.kind as keyof typeof activityIds] = row.id;

    const learnerUser = await createUser(ctx.db, { fullName: `Learner ${NAME_PAYLOAD}`, certificateName: `Cert ${NAME_PAYLOAD}`, staffStatus: 'pending' });
    learner = { id: learnerUser.id, email: learnerUser.email, cookie: await signIn(ctx, learnerUser.id), enrolmentId: await enrol(offeringId, learnerUser.id) };
    await ctx.db.insert(staffValidationRequests).values({ userId: learnerUser.id, country: 'NO', school: `School ${NAME_PAYLOAD}`, schoolRole: 'teacher', note: NAME_PAYLOAD });
    const replierUser = await createUser(ctx.db, { fullName: `Replier ${NAME_PAYLOAD}` });
    replier = { id: replierUser.id, email: replierUser.email, cookie: await signIn(ctx, replierUser.id) };
    await enrol(offeringId, replierUser.id);

    seriesSlug = `xss-live-${randomBytes(4).toString('hex')}`;
    const [series] = await ctx.db
      .insert(offerings)
      .values({
        slug: seriesSlug,
        kind: 'webinar_series',
        title: `Series ${NAME_PAYLOAD}`,
        summary: NAME_PAYLOAD,
        description: MARKDOWN_PAYLOAD,
        language: 'en',
        organiserTimeZone: 'Europe/Oslo',
        status: 'published',
        enrolmentOpensAt: new Date(now - 10 * DAY),
        enrolmentClosesAt: new Date(now + 10 * DAY),
        startsAt: new Date(now - 7 * DAY),
        endsAt: new Date(now + 14 * DAY),
        completionDeadline: new Date(now + 21 * DAY),
        publishedAt: new Date(now - 10 * DAY),
        createdBy: trainer.id,
      })
      .returning({ id: offerings.id });
    seriesId = series!.id;
    await ctx.db.insert(offeringTrainers).values({ offeringId: seriesId, userId: trainer.id });
    const [live] = await ctx.db
      .insert(liveSessions)
      .values({
        offeringId: seriesId,
        title: `Session ${NAME_PAYLOAD}`,
        startsAt: new Date(now - 2 * DAY),
        durationMinutes: 60,
        organiserTimeZone: 'Europe/Oslo',
        joinUrl: 'https://meet.example.org/room',
        capacityNote: NAME_PAYLOAD,
      })
      .returning({ id: liveSessions.id });
    liveSessionId = live!.id;
    await enrol(seriesId, learner.id);
  });
  afterAll(async () => {
    await ctx?.close();
  });

  describe('what participants write', () => {
    it('stores posts and replies as written and renders them without markup that runs', async () => {
      const discussion = activityIds.discussion;
      const params = { slug, activityId: discussion };
      const path = `/learn/${slug}/activities/${discussion}`;
      const posted = await outcome(() => activityAction(args(path, learner.cookie, params, { intent: 'post', body: MARKDOWN_PAYLOAD })));
      expect(posted.status).toBe(302);
      const threadId = /#post-([0-9a-f-]{36})$/.exec(posted.headers.get('location') ?? '')?.[1];
      expect(threadId).toBeDefined();
      const replied = await outcome(() => activityAction(args(path, replier.cookie, params, { intent: 'reply', parentId: threadId!, body: `${SCRIPT} ${IMG} [x](${JS_LINK})` })));
      expect(replied.status).toBe(302);

      const page = await outcome(() => activityLoader(args(path, learner.cookie, params)));
      expect(page.status).toBe(200);
      expect(unsafeStrings(page.body)).toEqual([]);
      const threads = (page.body as { page: { view: { threads: { post: { bodyHtml: string; authorName: string }; replies: { bodyHtml: string; authorName: string }[] }[] } } }).page.view.threads;
      const thread = threads.find((t) => t.post.authorName === `Learner ${NAME_PAYLOAD}`)!;
      // The text survives as text: the sanitiser escapes what it keeps.
      expect(thread.post.bodyHtml).toContain('<span>raw link</span>');
      expect(thread.post.bodyHtml).toContain('<span>click me</span>');
      expect(thread.replies[0]!.authorName).toBe(`Replier ${NAME_PAYLOAD}`);
    });

    it('emails the reply with an escaped HTML part and a plain-text part that keeps the words', async () => {
      const [mail] = await ctx.db
        .select()
        .from(outboxEmails)
        .where(and(eq(outboxEmails.toAddress, learner.email), eq(outboxEmails.template, 'discussion-reply')));
      expect(mail).toBeDefined();
      expect(htmlProblems(mail!.html, { emailDocument: true })).toEqual([]);
      expect(mail!.html).toContain('&lt;script&gt;window.__xss=1&lt;/script&gt;');
      expect(mail!.text).not.toContain('&lt;');
      expect(mail!.subject).toContain(`Replier ${NAME_PAYLOAD}`);
    });

    it('keeps assignment text inert and refuses a javascript: link as a submission', async () => {
      const assignment = activityIds.assignment;
      const params = { slug, activityId: assignment };
      const path = `/learn/${slug}/activities/${assignment}`;
      for (const link of [JS_LINK, ' javascript:alert(1)', 'JAVASCRIPT:alert(1)', 'data:text/html,<script>alert(1)</script>', 'http://example.org/plain']) {
        const refused = await outcome(() => activityAction(args(path, learner.cookie, params, { intent: 'submit', link })));
        expect(refused.status, link).toBe(400);
      }
      expect(await ctx.db.select().from(submissions).where(eq(submissions.userId, learner.id))).toHaveLength(0);
      const sent = await outcome(() => activityAction(args(path, learner.cookie, params, { intent: 'submit', text: MARKDOWN_PAYLOAD })));
      expect(sent.status).toBe(302);
      const page = await outcome(() => activityLoader(args(path, learner.cookie, params)));
      expect(unsafeStrings(page.body)).toEqual([]);
    });

    it("keeps a trainer's feedback and the review queue inert", async () => {
      const [submission] = await ctx.db.select({ id: submissions.id }).from(submissions).where(eq(submissions.userId, learner.id));
      const path = `/trainer/offerings/${offeringId}/reviews`;
      const before = await outcome(() => reviewsLoader(args(path, trainer.cookie, { id: offeringId })));
      expect(before.status).toBe(200);
      expect(unsafeStrings(before.body)).toEqual([]);
      const returned = await outcome(() =>
        reviewsAction(args(path, trainer.cookie, { id: offeringId }, { intent: 'return', submissionId: submission!.id, feedback: `Try again ${NAME_PAYLOAD} [x](${JS_LINK})` })),
      );
      expect(returned.status).toBe(302);
      const assignment = activityIds.assignment;
      const page = await outcome(() => activityLoader(args(`/learn/${slug}/activities/${assignment}`, learner.cookie, { slug, activityId: assignment })));
      expect(unsafeStrings(page.body)).toEqual([]);
      const [mail] = await ctx.db
        .select()
        .from(outboxEmails)
        .where(and(eq(outboxEmails.toAddress, learner.email), eq(outboxEmails.template, 'assignment-reviewed')));
      expect(htmlProblems(mail!.html, { emailDocument: true })).toEqual([]);
      expect(mail!.text).toContain(`Try again ${NAME_PAYLOAD}`);
    });
  });

  describe('what trainers write', () => {
    it('refuses javascript: and other non-https join and recording links', async () => {
      const path = `/trainer/offerings/${seriesId}/sessions`;
      const start = new Date(Date.now() + 3 * DAY).toISOString().slice(0, 16);
      for (const joinUrl of [JS_LINK, 'JaVaScRiPt:alert(1)', 'data:text/html,x', 'http://meet.example.org/x', 'https://user:secret@meet.example.org/x']) {
        const refused = await outcome(() =>
          sessionsAction(args(path, trainer.cookie, { id: seriesId }, { intent: 'add', title: `New ${NAME_PAYLOAD}`, startsAt: start, durationMinutes: '60', joinUrl })),
        );
        expect(refused.status, joinUrl).toBe(400);
      }
      expect(await ctx.db.select().from(liveSessions).where(eq(liveSessions.offeringId, seriesId))).toHaveLength(1);

      const sessionPath = `/trainer/offerings/${seriesId}/sessions/${liveSessionId}`;
      const params = { id: seriesId, sessionId: liveSessionId };
      for (const recordingUrl of [JS_LINK, 'http://video.example.org/x']) {
        const refused = await outcome(() => sessionPageAction(args(sessionPath, trainer.cookie, params, { intent: 'recording', recordingUrl })));
        expect(refused.status, recordingUrl).toBe(400);
      }
      const saved = await outcome(() => sessionPageAction(args(sessionPath, trainer.cookie, params, { intent: 'recording', recordingUrl: 'https://video.example.org/watch?v=1&x="><script>' })));
      expect(saved.status).toBe(302);
    });

    it("sends a trainer's message with the payload as plain text and lists it inert", async () => {
      const path = `/trainer/offerings/${offeringId}/messages`;
      const sent = await outcome(() =>
        messagesAction(args(path, trainer.cookie, { id: offeringId }, { token: randomUUID(), sessionId: '', subject: `Subject ${NAME_PAYLOAD}`, body: `Body ${NAME_PAYLOAD}\n\n${MARKDOWN_PAYLOAD}` })),
      );
      expect(sent.status).toBe(302);
      const page = await outcome(() => messagesLoader(args(path, trainer.cookie, { id: offeringId })));
      expect(page.status).toBe(200);
      expect(unsafeStrings(page.body)).toEqual([]);
      expect(JSON.stringify(page.body)).toContain('window.__xss=1');
      const mails = await ctx.db.select().from(outboxEmails).where(and(eq(outboxEmails.toAddress, learner.email), eq(outboxEmails.template, 'offering-message')));
      for (const mail of mails) {
        expect(htmlProblems(mail.html, { emailDocument: true })).toEqual([]);
        expect(mail.subject).not.toMatch(/[\r\n]/);
      }
    });

    it('shows the names of an imported attendance report as data, not markup', async () => {
      const [session] = await ctx.db.select().from(liveSessions).where(eq(liveSessions.id, liveSessionId));
      const at = (minutes: number) => DateTime.fromJSDate(session!.startsAt).setZone('Europe/Oslo').plus({ minutes }).toFormat('MM/dd/yyyy hh:mm:ss a');
      const quoted = (value: string) => `"${value.replace(/"/g, '""')}"`;
      const report = [
        'Meeting ID,Topic,Start Time,End Time,User Email,Duration (Minutes),Participants',
        `87654321098,${quoted(NAME_PAYLOAD)},${at(-5)},${at(65)},trainer@example.org,70,2`,
        '',
        'Name (Original Name),User Email,Join Time,Leave Time,Duration (Minutes),Guest,Recording Consent,In Waiting Room',
        `${quoted(`Learner ${NAME_PAYLOAD}`)},${learner.email},${at(0)},${at(60)},60,No,Y,No`,
        `${quoted(`Guest ${NAME_PAYLOAD}`)},${quoted('x@example.org"><script>window.__xss=1</script>')},${at(0)},${at(30)},30,Yes,Y,No`,
      ].join('\n');
      const form = new FormData();
      form.set('intent', 'preview');
      form.set('timeZone', 'Europe/Oslo');
      form.set('report', new File([report], 'zoom.csv', { type: 'text/csv' }));
      const path = `/trainer/offerings/${seriesId}/sessions/${liveSessionId}`;
      const request = new Request(new URL(path, TEST_APP_URL), { method: 'POST', body: form, headers: { origin: TEST_APP_URL, cookie: trainer.cookie } });
      const previewed = await outcome(() => sessionPageAction({ request, context: requestContext(ctx), params: { id: seriesId, sessionId: liveSessionId } }));
      expect(previewed.status).toBe(200);
      expect((previewed.body as { intent: string }).intent).toBe('preview');
      expect(unsafeStrings(previewed.body)).toEqual([]);
      expect(JSON.stringify(previewed.body)).toContain('window.__xss=1');
    });

    it.each([
      ['the public offering page', () => offeringLoader(args(`/offerings/${slug}`, undefined, { slug }))],
      ['the live offering page', () => offeringLoader(args(`/offerings/${seriesSlug}`, undefined, { slug: seriesSlug }))],
      ['the catalogue', () => catalogueLoader(args('/catalogue', undefined, {}))],
      ['the course overview', () => learnLoader(args(`/learn/${slug}`, learner.cookie, { slug }))],
      ['the page activity', () => activityLoader(args(`/learn/${slug}/activities/${activityIds.page}`, learner.cookie, { slug, activityId: activityIds.page }))],
      ['the quiz', () => activityLoader(args(`/learn/${slug}/activities/${activityIds.quiz}`, learner.cookie, { slug, activityId: activityIds.quiz }))],
      ['the session page', () => sessionLoader(args(`/sessions/${liveSessionId}`, learner.cookie, { id: liveSessionId }))],
      ['the dashboard', () => dashboardLoader(args('/dashboard', learner.cookie, {}))],
      ['the structure editor', () => structureLoader(args(`/trainer/offerings/${offeringId}/structure`, trainer.cookie, { id: offeringId }))],
      ['the participant list', () => participantsLoader(args(`/trainer/offerings/${offeringId}/participants`, trainer.cookie, { id: offeringId }))],
      ['the progress grid', () => progressLoader(args(`/trainer/offerings/${offeringId}/progress`, trainer.cookie, { id: offeringId }))],
      ['the trainer sessions list', () => sessionsLoader(args(`/trainer/offerings/${seriesId}/sessions`, trainer.cookie, { id: seriesId }))],
      ['the attendance page', () => sessionPageLoader(args(`/trainer/offerings/${seriesId}/sessions/${liveSessionId}`, trainer.cookie, { id: seriesId, sessionId: liveSessionId }))],
      ['the validation queue', () => validationsLoader(args('/validations', officer, {}))],
      ['the admin user list', () => adminUsersLoader(args('/admin/users', admin, {}))],
    ])('%s answers 200 with nothing that runs', async (_label, load) => {
      const result = await outcome(load);
      expect(result.status).toBe(200);
      expect(unsafeStrings(result.body)).toEqual([]);
      // The payload reached the page as data (React escapes it there), so the check above looked at it.
      expect(JSON.stringify(result.body)).toContain('window.__xss=1');
    });
  });

  describe('certificates', () => {
    it('puts the payload name on the certificate as text: trainer page, public verification and email', async () => {
      const path = `/trainer/offerings/${offeringId}/certificates`;
      const issued = await outcome(() =>
        certificatesAction(args(path, trainer.cookie, { id: offeringId }, { intent: 'issue', enrolmentId: learner.enrolmentId, reason: `Reason ${NAME_PAYLOAD}` })),
      );
      expect(issued.status).toBe(302);
      const list = await outcome(() => certificatesLoader(args(path, trainer.cookie, { id: offeringId })));
      expect(list.status).toBe(200);
      expect(unsafeStrings(list.body)).toEqual([]);
      const code = (JSON.stringify(list.body).match(/"code":"([A-Z0-9]+)"/) ?? [])[1];
      expect(code).toBeDefined();
      const verified = await outcome(() => verifyLoader(args(`/verify/${code}`, undefined, { code: code! })));
      expect(verified.status).toBe(200);
      expect(unsafeStrings(verified.body)).toEqual([]);
      expect(JSON.stringify(verified.body)).toContain('window.__xss=1');
      const [mail] = await ctx.db
        .select()
        .from(outboxEmails)
        .where(and(eq(outboxEmails.toAddress, learner.email), eq(outboxEmails.template, 'certificate-issued')));
      expect(htmlProblems(mail!.html, { emailDocument: true })).toEqual([]);
      expect(mail!.html).not.toContain(SCRIPT);
    });
  });

  describe('email templates', () => {
    const SITE = { appUrl: 'https://kollega.example.org', organisationName: `Org ${NAME_PAYLOAD}` };
    const P = NAME_PAYLOAD;
    const URL_WITH_QUOTES = 'https://kollega.example.org/x?a=1&b="><script>alert(1)</script>';
    const when = { viewer: P, organiser: { time: P, place: P } };
    const every: { [K in EmailTemplateName]: EmailTemplates[K] } = {
      'verify-email': { name: P, url: URL_WITH_QUOTES },
      'reset-password': { name: P, url: URL_WITH_QUOTES },
      'validation-decision': { name: P, approved: false, reason: P, url: URL_WITH_QUOTES },
      'assignment-reviewed': { name: P, offeringTitle: P, activityTitle: P, accepted: false, feedback: P, url: URL_WITH_QUOTES },
      'discussion-reply': { name: P, replierName: P, offeringTitle: P, activityTitle: P, excerpt: P, url: URL_WITH_QUOTES },
      'enrolment-confirmed': { name: P, offeringTitle: P, dates: P, courseUrl: URL_WITH_QUOTES, offeringUrl: URL_WITH_QUOTES },
      'certificate-issued': { name: P, offeringTitle: P, code: P, downloadUrl: URL_WITH_QUOTES, verifyUrl: URL_WITH_QUOTES, reissued: true },
      'waitlist-promoted': { name: P, offeringTitle: P, dates: P, courseUrl: URL_WITH_QUOTES, offeringUrl: URL_WITH_QUOTES },
      invitation: { inviterName: P, offeringTitle: P, dates: P, url: URL_WITH_QUOTES },
      'session-updated': { name: P, offeringTitle: P, sessionTitle: P, change: 'rescheduled', when, previousWhen: when, durationMinutes: 60, sessionUrl: URL_WITH_QUOTES },
      'session-cancelled': { name: P, offeringTitle: P, cause: 'cancelled', sessions: [{ title: P, when }], note: P, offeringUrl: URL_WITH_QUOTES },
      'session-reminder': {
        name: P,
        kind: '24h',
        offeringTitle: P,
        sessionTitle: P,
        time: P,
        organiserTime: { time: P, place: P },
        sessionUrl: URL_WITH_QUOTES,
        offeringUrl: URL_WITH_QUOTES,
      },
      'offering-message': { name: P, senderName: P, offeringTitle: P, subject: P, body: `${P}\n\n${SCRIPT}`, session: { title: P, time: P }, courseUrl: URL_WITH_QUOTES },
    };

    it.each(Object.keys(every) as EmailTemplateName[])('%s escapes every value in the HTML part and keeps the text part plain', (template) => {
      for (const locale of ['en', 'nb', 'sv', 'fi'] as const) {
        const email = renderEmail(template, locale, every[template] as never, SITE);
        expect(htmlProblems(email.html, { emailDocument: true }), `${template} ${locale}`).toEqual([]);
        expect(email.html).toContain('&lt;script&gt;window.__xss=1&lt;/script&gt;');
        expect(email.text).toContain(SCRIPT);
        expect(email.text).not.toMatch(/&lt;|&gt;|&quot;/);
        expect(email.subject).not.toMatch(/[\r\n]/);
      }
    });
  });
});
