import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { attendanceImports, auditLog, completionEvents, enrolments, liveSessions, offerings, offeringTrainers, sessionAttendance } from '#db/schema';
import { asAttendanceSession, markAttendance, sessionOfOffering } from '~/modules/live/attendance-admin.server';
import { previewAttendanceImport, saveAttendanceImport, sha256Hex } from '~/modules/live/attendance-import.server';
import { MAX_REPORT_BYTES } from '~/modules/live/reports';
import { readFlash } from '~/modules/ui/flash.server';
import { action, loader } from '~/routes/trainer.offerings.$id.sessions_.$sessionId';
import { createTestContext, recordingJobQueue, TEST_APP_URL, type TestContext } from '../support/context';
import { createUser, signIn } from '../support/factories';
import { makeRequest, requestContext } from '../support/requests';

async function outcome(run: () => Promise<unknown>) {
  let value: unknown;
  try {
    value = await run();
  } catch (thrown) {
    value = thrown;
  }
  if (value instanceof Response) return { status: value.status, headers: value.headers, body: null as Record<string, unknown> | null };
  const withInit = value as { type?: string; data?: Record<string, unknown>; init?: { status?: number } };
  if (withInit && withInit.type === 'DataWithResponseInit') return { status: withInit.init?.status ?? 200, headers: new Headers(), body: withInit.data ?? null };
  return { status: 200, headers: new Headers(), body: value as Record<string, unknown> };
}

const FIXTURES = path.resolve(__dirname, '../fixtures/attendance');
const fixture = (name: string) => new Uint8Array(readFileSync(path.join(FIXTURES, name)));
const ZONE = 'Europe/Brussels';
// The fixtures' session: 1 December 2026, 17:00–18:00 in Brussels.
const START = new Date('2026-12-01T16:00:00Z');
const ANNA = 'anna.nilsson@skola.example.se';
const LUCJA = 'lucja.zolkiewska@szkola.example.pl';
const MIKKO = 'mikko.virtanen@koulu.example.fi';

describe('attendance: import, marking and recording', () => {
  let ctx: TestContext;
  let trainer: { id: string; cookie: string };

  beforeAll(async () => {
    ctx = await createTestContext({ jobs: recordingJobQueue() });
    const user = await createUser(ctx.db, { roles: [{ role: 'trainer' }] });
    trainer = { id: user.id, cookie: await signIn(ctx, user.id) };
  });
  afterAll(async () => {
    await ctx?.close();
  });

  /**
   * A webinar for the fixtures' session with Anna, Łucja and Mikko enrolled
   * (their addresses made unique per test by a suffix the fixtures do not
   * have, so each offering gets people of its own: see `emails`).
   */
  async function webinar(options: { thresholdPercent?: number; startsAt?: Date } = {}) {
    const slug = `att-${randomBytes(4).toString('hex')}`;
    const [offering] = await ctx.db
      .insert(offerings)
      .values({ slug, kind: 'webinar', title: `Inclusive classrooms ${slug}`, language: 'en', organiserTimeZone: ZONE, status: 'published' })
      .returning({ id: offerings.id });
    const offeringId = offering!.id;
    await ctx.db.insert(offeringTrainers).values({ offeringId, userId: trainer.id });
    const [session] = await ctx.db
      .insert(liveSessions)
      .values({
        offeringId,
        title: 'Inclusive classrooms: live session 1',
        startsAt: options.startsAt ?? START,
        organiserTimeZone: ZONE,
        durationMinutes: 60,
        joinUrl: 'https://meet.example.org/j/1',
        attendanceThresholdPercent: options.thresholdPercent ?? 75,
      })
      .returning();
    return { offeringId, session: session! };
  }

  // The fixtures name fixed addresses, and users' addresses are unique: one set of people, enrolled in each test's offering.
  const people: Record<string, string> = {};
  async function enrolFixturePeople(offeringId: string) {
    for (const [email, name] of [
      [ANNA, 'Anna Nilsson'],
      [LUCJA, 'Łucja Żółkiewska'],
      [MIKKO, 'Mikko Virtanen'],
    ] as const) {
      people[email] ??= (await createUser(ctx.db, { email, fullName: name })).id;
      await ctx.db.insert(enrolments).values({ offeringId, userId: people[email]!, status: 'enrolled', enrolledAt: new Date() });
    }
  }

  const minutesOf = (preview: { matched: { email: string; minutes: number; attended: boolean }[] }, email: string) => preview.matched.find((m) => m.email === email);

  describe('use case', () => {
    for (const [file, timeZone, unmatched, organiserRows] of [
      ['zoom-participants.csv', ZONE, 1, 1],
      ['teams-attendance.csv', ZONE, 0, 1],
      ['generic.csv', null, 0, 0],
    ] as const) {
      it(`previews ${file} without saving, then saves it once`, async () => {
        const { offeringId, session } = await webinar();
        await enrolFixturePeople(offeringId);
        const target = asAttendanceSession(session);
        const bytes = fixture(file);

        const previewed = await previewAttendanceImport(ctx.db, target, { bytes, timeZone });
        if (!previewed.ok) throw new Error(`preview refused: ${JSON.stringify(previewed.problem)}`);
        const { preview } = previewed;
        expect(preview.fileSha256).toBe(sha256Hex(bytes));
        expect(preview.matched).toHaveLength(3);
        expect(minutesOf(preview, ANNA)!.minutes).toBeGreaterThanOrEqual(58);
        expect(minutesOf(preview, ANNA)!.minutes).toBeLessThanOrEqual(60);
        expect(minutesOf(preview, ANNA)!.attended).toBe(true);
        expect(minutesOf(preview, LUCJA)!.minutes).toBeGreaterThanOrEqual(59);
        expect(minutesOf(preview, LUCJA)!.attended).toBe(true);
        expect(minutesOf(preview, MIKKO)).toMatchObject({ minutes: 20, attended: false });
        expect(preview.unmatched).toHaveLength(unmatched);
        if (unmatched) expect(preview.unmatched[0]).toMatchObject({ email: null });
        expect(preview.organiserRows).toBe(organiserRows);
        expect(preview.outsideSession).toBe(false);
        expect(preview.summary).toEqual({ matched: 3, attended: 2, belowThreshold: 1, unmatched });
        expect(await ctx.db.select().from(attendanceImports).where(eq(attendanceImports.sessionId, session.id))).toHaveLength(0);
        expect(await ctx.db.select().from(sessionAttendance).where(eq(sessionAttendance.sessionId, session.id))).toHaveLength(0);

        const saved = await saveAttendanceImport(ctx, { session: target, bytes, fileName: file, timeZone, actorId: trainer.id }, new Date());
        expect(saved).toMatchObject({ ok: true, status: 'saved', summary: preview.summary, completed: 2 });
        const rows = await ctx.db.select().from(sessionAttendance).where(eq(sessionAttendance.sessionId, session.id));
        expect(rows).toHaveLength(3);
        expect(rows.find((r) => r.userId === people[MIKKO])!.reportMinutes).toBe(20);
        const [imported] = await ctx.db.select().from(attendanceImports).where(eq(attendanceImports.sessionId, session.id));
        expect(imported).toMatchObject({ fileSha256: sha256Hex(bytes), fileName: file, format: file.split('-')[0]!.replace('.csv', ''), importedBy: trainer.id });

        // Completion of the webinar for the two who attended, once.
        const statuses = await ctx.db.select({ userId: enrolments.userId, status: enrolments.status }).from(enrolments).where(eq(enrolments.offeringId, offeringId));
        expect(statuses.filter((s) => s.status === 'completed').map((s) => s.userId).sort()).toEqual([people[ANNA], people[LUCJA]].sort());

        const again = await saveAttendanceImport(ctx, { session: target, bytes, fileName: 'renamed.csv', timeZone, actorId: trainer.id }, new Date());
        expect(again).toMatchObject({ ok: true, status: 'already-imported', completed: 0 });
        const after = await ctx.db.select().from(sessionAttendance).where(eq(sessionAttendance.sessionId, session.id));
        expect(after.map((r) => [r.userId, r.reportMinutes, r.updatedAt.getTime()]).sort()).toEqual(rows.map((r) => [r.userId, r.reportMinutes, r.updatedAt.getTime()]).sort());
        expect(await ctx.db.select().from(attendanceImports).where(eq(attendanceImports.sessionId, session.id))).toHaveLength(1);
      });
    }

    it('follows the session’s threshold, and leaves people who are not participants unmatched', async () => {
      const { offeringId, session } = await webinar({ thresholdPercent: 100 });
      await enrolFixturePeople(offeringId);
      await ctx.db.update(enrolments).set({ status: 'withdrawn' }).where(and(eq(enrolments.offeringId, offeringId), eq(enrolments.userId, people[MIKKO]!)));
      const previewed = await previewAttendanceImport(ctx.db, asAttendanceSession(session), { bytes: fixture('teams-attendance.csv'), timeZone: ZONE });
      if (!previewed.ok) throw new Error('refused');
      expect(minutesOf(previewed.preview, ANNA)).toMatchObject({ minutes: 60, attended: true });
      expect(minutesOf(previewed.preview, LUCJA)).toMatchObject({ minutes: 59, attended: false });
      expect(previewed.preview.unmatched).toEqual([expect.objectContaining({ email: MIKKO, minutes: 20 })]);
      expect(previewed.preview.summary).toEqual({ matched: 2, attended: 1, belowThreshold: 1, unmatched: 1 });
    });

    it('asks for the zone of a Zoom report, and warns when the times miss the session', async () => {
      const { offeringId, session } = await webinar();
      await enrolFixturePeople(offeringId);
      expect(await previewAttendanceImport(ctx.db, asAttendanceSession(session), { bytes: fixture('zoom-participants.csv'), timeZone: null })).toEqual({
        ok: false,
        problem: { code: 'time-zone-needed' },
      });
      const wrongZone = await previewAttendanceImport(ctx.db, asAttendanceSession(session), { bytes: fixture('zoom-participants.csv'), timeZone: 'America/New_York' });
      expect(wrongZone.ok && wrongZone.preview.outsideSession).toBe(true);
    });
  });

  describe('trainer page', () => {
    async function post(offeringId: string, sessionId: string, body: FormData | Record<string, string>, options: { cookie?: string; headers?: Record<string, string> } = {}) {
      const url = `/trainer/offerings/${offeringId}/sessions/${sessionId}`;
      const cookie = options.cookie ?? trainer.cookie;
      const request =
        body instanceof FormData
          ? new Request(new URL(url, TEST_APP_URL), { method: 'POST', body, headers: { cookie, origin: TEST_APP_URL, ...options.headers } })
          : makeRequest(url, { form: body, cookie });
      return outcome(() => action({ request, context: requestContext(ctx), params: { id: offeringId, sessionId } }));
    }
    const view = (offeringId: string, sessionId: string, cookie = trainer.cookie) =>
      outcome(() =>
        loader({ request: makeRequest(`/trainer/offerings/${offeringId}/sessions/${sessionId}`, { cookie }), context: requestContext(ctx), params: { id: offeringId, sessionId } }),
      );
    const upload = (bytes: Uint8Array, name: string, type = 'text/csv', timeZone = ZONE) => {
      const form = new FormData();
      form.append('intent', 'preview');
      form.append('timeZone', timeZone);
      form.append('report', new File([bytes as Uint8Array<ArrayBuffer>], name, { type }));
      return form;
    };
    async function flashOf(response: { headers: Headers }) {
      const setCookie = response.headers.get('set-cookie');
      return (await readFlash(requestContext(ctx) as never, makeRequest('/', { cookie: setCookie!.split(';')[0] }))).flash;
    }

    it('is 404 for participants and other trainers, and lists the participants for the offering’s trainer', async () => {
      const { offeringId, session } = await webinar();
      await enrolFixturePeople(offeringId);
      const participant = await signIn(ctx, people[ANNA]!);
      const otherTrainer = await createUser(ctx.db, { roles: [{ role: 'trainer' }] });
      expect((await view(offeringId, session.id, participant)).status).toBe(404);
      expect((await view(offeringId, session.id, await signIn(ctx, otherTrainer.id))).status).toBe(404);
      expect((await post(offeringId, session.id, { intent: 'mark', userId: people[ANNA]!, value: 'attended', reason: 'x' }, { cookie: participant })).status).toBe(404);
      const other = await webinar();
      expect((await view(other.offeringId, session.id)).status).toBe(404);

      const shown = await view(offeringId, session.id);
      expect(shown.status).toBe(200);
      expect(shown.body).toMatchObject({ threshold: 45, session: { id: session.id, thresholdPercent: 75 } });
      expect((shown.body!.participants as unknown[]).length).toBe(3);
    });

    it('previews an uploaded report, saves it from the carried copy, and says so when the same file comes again', async () => {
      const { offeringId, session } = await webinar();
      await enrolFixturePeople(offeringId);
      const bytes = fixture('zoom-participants.csv');
      const previewed = await post(offeringId, session.id, upload(bytes, 'zoom-participants.csv'));
      expect(previewed.status).toBe(200);
      const body = previewed.body as { intent: string; copy: string; fileName: string; timeZone: string; preview: { fileSha256: string; summary: unknown } };
      expect(body.intent).toBe('preview');
      expect(body.preview.summary).toEqual({ matched: 3, attended: 2, belowThreshold: 1, unmatched: 1 });
      expect(Buffer.from(body.copy, 'base64').equals(Buffer.from(bytes))).toBe(true);
      expect(await ctx.db.select().from(attendanceImports).where(eq(attendanceImports.sessionId, session.id))).toHaveLength(0);

      const save = () => {
        const form = new FormData();
        form.append('intent', 'save');
        form.append('content', body.copy);
        form.append('sha256', body.preview.fileSha256);
        form.append('fileName', body.fileName);
        form.append('timeZone', body.timeZone);
        return form;
      };
      const saved = await post(offeringId, session.id, save());
      expect(saved.status).toBe(302);
      expect(await flashOf(saved)).toMatchObject({ key: 'attendance.flash.imported', params: { matched: '3', attended: '2', belowThreshold: '1', unmatched: '1' } });
      const again = await post(offeringId, session.id, save());
      expect(again.status).toBe(302);
      expect(await flashOf(again)).toMatchObject({ key: 'attendance.flash.alreadyImported' });
      expect(await ctx.db.select().from(attendanceImports).where(eq(attendanceImports.sessionId, session.id))).toHaveLength(1);

      const listed = (await view(offeringId, session.id)).body!.participants as { email: string; attendance: { source: string; attended: boolean } }[];
      expect(listed.find((p) => p.email === MIKKO)!.attendance).toMatchObject({ source: 'report', attended: false });
      expect(listed.find((p) => p.email === ANNA)!.attendance).toMatchObject({ source: 'report', attended: true });

      // A copy that is not what was previewed is refused.
      const tampered = save();
      tampered.set('content', Buffer.from('email,joined_at,left_at\n').toString('base64'));
      const refused = await post(offeringId, session.id, tampered);
      expect(refused.status).toBe(400);
      expect(refused.body).toMatchObject({ error: { key: 'attendance.import.changed' } });
    });

    it('refuses a malformed file with the line, a wrong file type, a missing file and too large uploads', async () => {
      const { offeringId, session } = await webinar();
      const badDate = new TextEncoder().encode(`email,joined_at,left_at\n${ANNA},2026-12-01T16:00:00Z,2026-12-01T17:00:00Z\n${MIKKO},yesterday,2026-12-01T17:00:00Z\n`);
      const malformed = await post(offeringId, session.id, upload(badDate, 'bad.csv'));
      expect(malformed.status).toBe(422);
      expect(malformed.body).toMatchObject({ error: { key: 'attendance.reportProblems.bad-date', params: { line: 3, value: 'yesterday' } } });

      const png = await post(offeringId, session.id, upload(new Uint8Array([0x89, 0x50, 0x4e, 0x47]), 'photo.png', 'image/png'));
      expect(png.status).toBe(415);
      expect(png.body).toMatchObject({ error: { key: 'attendance.import.wrongType' } });

      const form = new FormData();
      form.append('intent', 'preview');
      form.append('timeZone', ZONE);
      expect((await post(offeringId, session.id, form)).body).toMatchObject({ error: { key: 'attendance.import.noFile' } });

      // Declared too large: refused before the body is read.
      const declared = await post(offeringId, session.id, upload(fixture('generic.csv'), 'generic.csv'), { headers: { 'content-length': String(20 * 1024 * 1024) } });
      expect(declared.status).toBe(413);
      expect(declared.body).toMatchObject({ error: { key: 'attendance.import.tooLarge', params: { size: '5' } } });

      // No length declared: the file part is cut off as soon as it passes the limit.
      const huge = new Uint8Array(MAX_REPORT_BYTES + 1).fill(0x61);
      const streamed = await post(offeringId, session.id, upload(huge, 'huge.csv'));
      expect(streamed.status).toBe(413);
      expect(streamed.body).toMatchObject({ error: { key: 'attendance.import.tooLarge' } });
      expect(await ctx.db.select().from(attendanceImports).where(eq(attendanceImports.sessionId, session.id))).toHaveLength(0);
    });

    it('marks attendance by hand with a required reason, audited with the old and new value, and completes the participant', async () => {
      const { offeringId, session } = await webinar();
      await enrolFixturePeople(offeringId);
      const mikko = people[MIKKO]!;

      const noReason = await post(offeringId, session.id, { intent: 'mark', userId: mikko, value: 'attended', reason: '  ' });
      expect(noReason.status).toBe(400);
      expect((noReason.body as { result: { error: Record<string, string[]> } }).result.error.reason).toEqual(['errors.required']);

      const marked = await post(offeringId, session.id, { intent: 'mark', userId: mikko, value: 'attended', reason: 'Joined by phone; confirmed by the host' });
      expect(marked.status).toBe(302);
      const [row] = await ctx.db.select().from(sessionAttendance).where(and(eq(sessionAttendance.sessionId, session.id), eq(sessionAttendance.userId, mikko)));
      expect(row).toMatchObject({ manualAttended: true, manualBy: trainer.id, manualReason: 'Joined by phone; confirmed by the host' });
      const [enrolment] = await ctx.db.select().from(enrolments).where(and(eq(enrolments.offeringId, offeringId), eq(enrolments.userId, mikko)));
      expect(enrolment!.status).toBe('completed');
      expect(await ctx.db.select().from(completionEvents).where(eq(completionEvents.enrolmentId, enrolment!.id))).toHaveLength(1);

      expect((await post(offeringId, session.id, { intent: 'mark', userId: mikko, value: 'clear', reason: 'Marked the wrong person' })).status).toBe(302);
      const audits = await ctx.db
        .select()
        .from(auditLog)
        .where(and(eq(auditLog.subjectId, session.id), eq(auditLog.action, 'attendance.marked')))
        .orderBy(auditLog.createdAt);
      expect(audits.map((a) => ({ actorId: a.actorId, reason: a.reason, old: a.details.old, new: a.details.new, userId: a.details.userId }))).toEqual([
        { actorId: trainer.id, reason: 'Joined by phone; confirmed by the host', old: null, new: true, userId: mikko },
        { actorId: trainer.id, reason: 'Marked the wrong person', old: true, new: null, userId: mikko },
      ]);
      const listed = (await view(offeringId, session.id)).body!.participants as { userId: string; attendance: { source: string } }[];
      expect(listed.find((p) => p.userId === mikko)!.attendance.source).toBe('none');

      const stranger = await createUser(ctx.db);
      const refused = await markAttendance(ctx, { session: (await sessionOfOffering(ctx.db, offeringId, session.id))!, userId: stranger.id, value: 'attended', reason: 'x', actorId: trainer.id }, new Date());
      expect(refused).toEqual({ ok: false, reason: 'not-participant' });
    });

    it('publishes a recording link only after the start, https only, audited; and clears it', async () => {
      const future = await webinar();
      const early = await post(future.offeringId, future.session.id, { intent: 'recording', recordingUrl: 'https://video.example.org/r/1' });
      expect(early.status).toBe(409);
      expect(early.body).toMatchObject({ error: { key: 'attendance.recording.notStarted' } });

      const past = await webinar({ startsAt: new Date(Date.now() - 2 * 60 * 60 * 1000) });
      const http = await post(past.offeringId, past.session.id, { intent: 'recording', recordingUrl: 'http://video.example.org/r/1' });
      expect(http.status).toBe(400);
      expect((http.body as { result: { error: Record<string, string[]> } }).result.error.recordingUrl).toEqual(['authoring.errors.httpsOnly']);

      expect((await post(past.offeringId, past.session.id, { intent: 'recording', recordingUrl: 'https://video.example.org/r/1' })).status).toBe(302);
      const [published] = await ctx.db.select({ url: liveSessions.recordingUrl }).from(liveSessions).where(eq(liveSessions.id, past.session.id));
      expect(published!.url).toBe('https://video.example.org/r/1');
      expect((await post(past.offeringId, past.session.id, { intent: 'clear-recording' })).status).toBe(302);
      const [cleared] = await ctx.db.select({ url: liveSessions.recordingUrl }).from(liveSessions).where(eq(liveSessions.id, past.session.id));
      expect(cleared!.url).toBeNull();
      const audits = await ctx.db.select().from(auditLog).where(eq(auditLog.subjectId, past.session.id)).orderBy(auditLog.createdAt);
      expect(audits.map((a) => [a.action, a.actorId, a.details.new])).toEqual([
        ['session.recording_published', trainer.id, 'https://video.example.org/r/1'],
        ['session.recording_cleared', trainer.id, null],
      ]);
    });
  });
});
