import { randomBytes } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderEmail } from '#emails/index';
import { activities, activityProgress, auditLog, discussionPosts, enrolments, modules, offerings, offeringTrainers, outboxEmails } from '#db/schema';
import { action as activityAction, loader as activityLoader } from '~/routes/learn.$slug.activities.$activityId';
import { action as reviewsAction, loader as reviewsLoader } from '~/routes/trainer.offerings.$id.reviews';
import { createTestContext, recordingJobQueue, type TestContext } from '../support/context';
import { createUser, signIn } from '../support/factories';
import { makeRequest, requestContext } from '../support/requests';

/** What a Remix loader or action returned or threw, as status, headers and body. */
async function outcome(run: () => Promise<unknown>) {
  let value: unknown;
  try {
    value = await run();
  } catch (thrown) {
    value = thrown;
  }
  if (value instanceof Response) return { status: value.status, headers: value.headers, body: null as Record<string, unknown> | null };
  const withInit = value as { type?: string; data?: Record<string, unknown>; init?: { status?: number; headers?: Record<string, string> } };
  if (withInit && withInit.type === 'DataWithResponseInit') {
    return { status: withInit.init?.status ?? 200, headers: new Headers(withInit.init?.headers), body: withInit.data ?? null };
  }
  return { status: 200, headers: new Headers(), body: value as Record<string, unknown> };
}

const DAY = 24 * 60 * 60 * 1000;

type Post = { id: string; authorName: string; bodyHtml: string | null; body: string | null; hidden: boolean; canEdit: boolean };
type Thread = { post: Post; replies: Post[] };

describe('discussions', () => {
  let ctx: TestContext;
  let trainer: { id: string; cookie: string };
  let offeringId: string;
  let slug: string;
  let discussionId: string;
  let pageId: string;

  async function participant(overrides: Parameters<typeof createUser>[1] = {}) {
    const user = await createUser(ctx.db, overrides);
    await ctx.db.insert(enrolments).values({ offeringId, userId: user.id, status: 'enrolled', enrolledAt: new Date(Date.now() - 5 * DAY) });
    return { ...user, cookie: await signIn(ctx, user.id) };
  }

  beforeAll(async () => {
    ctx = await createTestContext({ jobs: recordingJobQueue() });
    const trainerUser = await createUser(ctx.db, { roles: [{ role: 'trainer' }] });
    trainer = { id: trainerUser.id, cookie: await signIn(ctx, trainerUser.id) };
    slug = `discuss-${randomBytes(4).toString('hex')}`;
    const now = Date.now();
    const [offering] = await ctx.db
      .insert(offerings)
      .values({
        slug,
        kind: 'short_course',
        title: 'Reading for pleasure',
        language: 'en',
        organiserTimeZone: 'Europe/Stockholm',
        status: 'published',
        startsAt: new Date(now - 7 * DAY),
        endsAt: new Date(now + 14 * DAY),
        completionDeadline: new Date(now + 21 * DAY),
      })
      .returning({ id: offerings.id });
    offeringId = offering!.id;
    await ctx.db.insert(offeringTrainers).values({ offeringId, userId: trainer.id });
    const [module] = await ctx.db.insert(modules).values({ offeringId, position: 1, title: 'Week 1', releaseAt: new Date(now - 7 * DAY) }).returning({ id: modules.id });
    const [discussion, page] = await ctx.db
      .insert(activities)
      .values([
        { offeringId, moduleId: module!.id, position: 1, kind: 'discussion', title: 'Introduce yourself', content: { kind: 'discussion', prompt: 'Who are you?' } },
        { offeringId, moduleId: module!.id, position: 2, kind: 'page', title: 'Reading', content: { kind: 'page', body: 'Read', videoUrl: '' } },
      ])
      .returning({ id: activities.id });
    discussionId = discussion!.id;
    pageId = page!.id;
  });
  afterAll(async () => {
    await ctx?.close();
  });

  const view = (cookie: string, activityId = discussionId) =>
    outcome(() =>
      activityLoader({ request: makeRequest(`/learn/${slug}/activities/${activityId}`, { cookie }), context: requestContext(ctx), params: { slug, activityId } }),
    );
  const act = (cookie: string, form: Record<string, string>, activityId = discussionId) =>
    outcome(() =>
      activityAction({
        request: makeRequest(`/learn/${slug}/activities/${activityId}`, { form, cookie }),
        context: requestContext(ctx),
        params: { slug, activityId },
      }),
    );
  const moderate = (cookie: string, form: Record<string, string>) =>
    outcome(() =>
      reviewsAction({ request: makeRequest(`/trainer/offerings/${offeringId}/reviews`, { form, cookie }), context: requestContext(ctx), params: { id: offeringId } }),
    );
  const threadsOf = async (cookie: string) => ((await view(cookie)).body as { page: { view: { threads: Thread[] } } }).page.view.threads;
  const postIdFrom = (location: string | null) => /#post-([0-9a-f-]{36})$/.exec(location ?? '')?.[1] ?? '';
  const mailTo = (email: string) => ctx.db.select().from(outboxEmails).where(and(eq(outboxEmails.toAddress, email), eq(outboxEmails.template, 'discussion-reply')));

  it('publishes a post with sanitised Markdown and marks the discussion done', async () => {
    const ada = await participant();
    const result = await act(ada.cookie, { intent: 'post', body: 'Hello **all** <script>alert(1)</script> <img src=x onerror=alert(1)>' });
    expect(result.status).toBe(302);
    const postId = postIdFrom(result.headers.get('location'));
    expect(postId).not.toBe('');
    const threads = await threadsOf(ada.cookie);
    const mine = threads.find((t) => t.post.id === postId)!;
    expect(mine.post.bodyHtml).toContain('<strong>all</strong>');
    expect(mine.post.bodyHtml).not.toMatch(/<script|onerror/);
    expect(mine.post.canEdit).toBe(true);
    const [progress] = await ctx.db.select().from(activityProgress).where(and(eq(activityProgress.userId, ada.id), eq(activityProgress.activityId, discussionId)));
    expect(progress).toMatchObject({ status: 'done' });
  });

  it('refuses empty and overlong posts with a message on the field', async () => {
    const bo = await participant();
    for (const body of ['   ', 'x'.repeat(5001)]) {
      const result = await act(bo.cookie, { intent: 'post', body });
      expect(result.status).toBe(400);
      expect(result.body).toMatchObject({ form: 'post-new' });
      expect(Object.keys((result.body as { result: { error: Record<string, string[]> } }).result.error)).toEqual(['body']);
    }
    expect(await ctx.db.select().from(discussionPosts).where(eq(discussionPosts.authorId, bo.id))).toHaveLength(0);
  });

  it("shows replies under their thread and emails the thread's author in their language", async () => {
    const kari = await participant({ locale: 'nb', fullName: 'Kari Nordmann' });
    const sven = await participant({ locale: 'sv', fullName: 'Sven Svensson' });
    const opened = await act(kari.cookie, { intent: 'post', body: 'Hei alle sammen' });
    const threadId = postIdFrom(opened.headers.get('location'));
    const replied = await act(sven.cookie, { intent: 'reply', parentId: threadId, body: 'Hej Kari! Välkommen.' });
    expect(replied.status).toBe(302);
    const replyId = postIdFrom(replied.headers.get('location'));

    const thread = (await threadsOf(sven.cookie)).find((t) => t.post.id === threadId)!;
    expect(thread.replies.map((r) => [r.id, r.authorName])).toEqual([[replyId, 'Sven Svensson']]);
    // The reply's author may edit the reply, not the thread's first post.
    expect(thread.replies[0]!.canEdit).toBe(true);
    expect(thread.post.canEdit).toBe(false);
    expect(thread.post.body).toBeNull();

    const mails = await mailTo(kari.email);
    expect(mails).toHaveLength(1);
    expect(mails[0]).toMatchObject({ locale: 'nb', subject: 'Sven Svensson har svart på innlegget ditt' });
    expect(mails[0]!.text).toContain('Hej Kari! Välkommen.');
    expect(mails[0]!.text).toContain(`/learn/${slug}/activities/${discussionId}#post-${replyId}`);
    expect(mails[0]!.html).toContain('Les diskusjonen');
    // Nobody else is told.
    expect(await mailTo(sven.email)).toHaveLength(0);
  });

  it('emails nobody who opted out, nor anyone replying to themselves', async () => {
    const quiet = await participant({ notifyOnReplies: false });
    const chatty = await participant();
    const quietThread = postIdFrom((await act(quiet.cookie, { intent: 'post', body: 'Please do not email me' })).headers.get('location'));
    expect((await act(chatty.cookie, { intent: 'reply', parentId: quietThread, body: 'Noted' })).status).toBe(302);
    expect(await mailTo(quiet.email)).toHaveLength(0);

    const ownThread = postIdFrom((await act(chatty.cookie, { intent: 'post', body: 'My own thread' })).headers.get('location'));
    expect((await act(chatty.cookie, { intent: 'reply', parentId: ownThread, body: 'Answering myself' })).status).toBe(302);
    expect(await mailTo(chatty.email)).toHaveLength(0);
  });

  it('refuses replies to replies, to hidden posts and to posts of other discussions', async () => {
    const a = await participant();
    const thread = postIdFrom((await act(a.cookie, { intent: 'post', body: 'Thread' })).headers.get('location'));
    const reply = postIdFrom((await act(a.cookie, { intent: 'reply', parentId: thread, body: 'Reply' })).headers.get('location'));
    const nested = await act(a.cookie, { intent: 'reply', parentId: reply, body: 'Nested' });
    expect(nested.status).toBe(400);
    expect((nested.body as { result: { error: Record<string, string[]> } }).result.error['']).toEqual(['learn.errors.parentGone']);
    expect((await act(a.cookie, { intent: 'reply', parentId: 'not-a-uuid', body: 'x' })).status).toBe(404);
    // A discussion post id used on the page activity: the page is not a discussion.
    expect((await act(a.cookie, { intent: 'reply', parentId: thread, body: 'x' }, pageId)).status).toBe(404);
  });

  it("lets authors edit their own post for 30 minutes, and nobody edit another's", async () => {
    const owner = await participant();
    const other = await participant();
    const postId = postIdFrom((await act(owner.cookie, { intent: 'post', body: 'Frist version' })).headers.get('location'));
    const edited = await act(owner.cookie, { intent: 'edit', postId, body: 'First version' });
    expect(edited.status).toBe(302);
    const [row] = await ctx.db.select().from(discussionPosts).where(eq(discussionPosts.id, postId));
    expect(row).toMatchObject({ body: 'First version' });
    expect(row!.editedAt).toBeInstanceOf(Date);

    const stolen = await act(other.cookie, { intent: 'edit', postId, body: 'Vandalised' });
    expect(stolen.status).toBe(404);
    expect((await act(other.cookie, { intent: 'edit', postId: 'nope', body: 'x' })).status).toBe(404);

    await ctx.db.update(discussionPosts).set({ createdAt: new Date(Date.now() - 31 * 60 * 1000) }).where(eq(discussionPosts.id, postId));
    const late = await act(owner.cookie, { intent: 'edit', postId, body: 'Too late' });
    expect(late.status).toBe(403);
    expect((late.body as { result: { error: Record<string, string[]> } }).result.error['']).toEqual(['learn.errors.editTooLate']);
    expect((await ctx.db.select().from(discussionPosts).where(eq(discussionPosts.id, postId)))[0]!.body).toBe('First version');
    const mine = (await threadsOf(owner.cookie)).find((t) => t.post.id === postId)!;
    expect(mine.post.canEdit).toBe(false);
  });

  it("does not let a participant hide anyone's post", async () => {
    const author = await participant();
    const other = await participant();
    const postId = postIdFrom((await act(author.cookie, { intent: 'post', body: 'Keep me' })).headers.get('location'));
    expect((await moderate(other.cookie, { intent: 'hide', postId })).status).toBe(404);
    expect((await moderate(author.cookie, { intent: 'hide', postId })).status).toBe(404);
    expect((await act(other.cookie, { intent: 'hide', postId })).status).toBe(400);
    expect((await ctx.db.select().from(discussionPosts).where(eq(discussionPosts.id, postId)))[0]!.hiddenAt).toBeNull();
  });

  it('lets the trainer hide a post (participants then see only that it was hidden) and show it again, audited', async () => {
    const author = await participant({ fullName: 'Rude Person' });
    const reader = await participant();
    const postId = postIdFrom((await act(author.cookie, { intent: 'post', body: 'Something offensive' })).headers.get('location'));

    const hidden = await moderate(trainer.cookie, { intent: 'hide', postId });
    expect(hidden.status).toBe(302);
    const seen = (await threadsOf(reader.cookie)).find((t) => t.post.id === postId)!;
    expect(seen.post).toMatchObject({ hidden: true, bodyHtml: null, body: null });
    expect(JSON.stringify(await threadsOf(reader.cookie))).not.toContain('Something offensive');
    // Nor can the author change it or anyone reply to it any more.
    expect((await act(author.cookie, { intent: 'edit', postId, body: 'Sorry' })).status).toBe(403);
    expect((await act(reader.cookie, { intent: 'reply', parentId: postId, body: 'Hm' })).status).toBe(400);

    // The trainer still sees it, marked.
    const queue = await outcome(() =>
      reviewsLoader({ request: makeRequest(`/trainer/offerings/${offeringId}/reviews`, { cookie: trainer.cookie }), context: requestContext(ctx), params: { id: offeringId } }),
    );
    const discussion = (queue.body as { discussions: { activityId: string; threads: Thread[] }[] }).discussions.find((d) => d.activityId === discussionId)!;
    expect(discussion.threads.find((t) => t.post.id === postId)!.post).toMatchObject({ hidden: true, bodyHtml: '<p>Something offensive</p>\n' });

    expect((await moderate(trainer.cookie, { intent: 'show', postId })).status).toBe(302);
    expect((await threadsOf(reader.cookie)).find((t) => t.post.id === postId)!.post).toMatchObject({ hidden: false });
    const audit = await ctx.db.select().from(auditLog).where(eq(auditLog.subjectId, postId));
    expect(audit.map((a) => [a.action, a.actorId])).toEqual([
      ['discussion.post_hidden', trainer.id],
      ['discussion.post_shown', trainer.id],
    ]);
  });

  it('lets only trainers of this offering moderate it, and only its own posts', async () => {
    const author = await participant();
    const postId = postIdFrom((await act(author.cookie, { intent: 'post', body: 'Fine post' })).headers.get('location'));
    const otherTrainer = await createUser(ctx.db, { roles: [{ role: 'trainer' }] });
    expect((await moderate(await signIn(ctx, otherTrainer.id), { intent: 'hide', postId })).status).toBe(404);
    const admin = await createUser(ctx.db, { roles: [{ role: 'admin' }] });
    expect((await moderate(await signIn(ctx, admin.id), { intent: 'hide', postId })).status).toBe(302);
    expect((await moderate(trainer.cookie, { intent: 'hide', postId: 'not-a-uuid' })).status).toBe(404);
    // A post of another offering is not this offering's to hide.
    const [foreignOffering] = await ctx.db
      .insert(offerings)
      .values({ slug: `foreign-${randomBytes(3).toString('hex')}`, kind: 'mooc', title: 'Elsewhere', language: 'en', organiserTimeZone: 'UTC' })
      .returning({ id: offerings.id });
    const [foreignActivity] = await ctx.db
      .insert(activities)
      .values({ offeringId: foreignOffering!.id, position: 1, kind: 'discussion', title: 'Other', content: { kind: 'discussion', prompt: '' } })
      .returning({ id: activities.id });
    const [foreignPost] = await ctx.db.insert(discussionPosts).values({ activityId: foreignActivity!.id, authorId: author.id, body: 'Elsewhere' }).returning({ id: discussionPosts.id });
    expect((await moderate(trainer.cookie, { intent: 'hide', postId: foreignPost!.id })).status).toBe(404);
  });

  it('refuses posts after the completion deadline', async () => {
    const late = await participant();
    await ctx.db.update(offerings).set({ endsAt: new Date(Date.now() - 2 * DAY), completionDeadline: new Date(Date.now() - DAY) }).where(eq(offerings.id, offeringId));
    try {
      const result = await act(late.cookie, { intent: 'post', body: 'Am I too late?' });
      expect(result.status).toBe(403);
      const shown = await view(late.cookie);
      expect(shown.body).toMatchObject({ page: { readOnly: true } });
      expect(JSON.stringify((shown.body as { page: { view: { threads: Thread[] } } }).page.view.threads.map((t) => t.post.canEdit))).not.toContain('true');
    } finally {
      await ctx.db
        .update(offerings)
        .set({ endsAt: new Date(Date.now() + 14 * DAY), completionDeadline: new Date(Date.now() + 21 * DAY) })
        .where(eq(offerings.id, offeringId));
    }
    expect(await ctx.db.select().from(discussionPosts).where(eq(discussionPosts.authorId, late.id))).toHaveLength(0);
  });
});

describe('the discussion-reply email', () => {
  it('is in every language, with the reply as escaped plain text and the link', () => {
    const data = {
      name: 'Łucja <b>Ż</b>',
      replierName: 'Ελένη & co',
      offeringTitle: 'Lesen <macht> Spaß',
      activityTitle: 'Introduce yourself',
      excerpt: 'I <script>agree</script> with you',
      url: 'https://kollega.example.org/learn/x/activities/y#post-z',
    };
    const site = { appUrl: 'https://kollega.example.org', organisationName: 'Kollega' };
    const rendered = (['en', 'nb', 'sv', 'fi'] as const).map((locale) => renderEmail('discussion-reply', locale, data, site));
    expect(new Set(rendered.map((r) => r.subject)).size).toBe(4);
    for (const email of rendered) {
      expect(email.subject).toContain('Ελένη & co');
      expect(email.text).toContain('I <script>agree</script> with you');
      expect(email.text).toContain(data.url);
      expect(email.html).not.toContain('<script>');
      expect(email.html).toContain('I &lt;script&gt;agree&lt;/script&gt; with you');
    }
  });
});
