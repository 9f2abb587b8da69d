import { createHash, randomBytes } from 'node:crypto';
import { and, eq, isNull } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDatabase } from '#db/client';
import { auditLog, certificates, completionEvents, enrolments, offeringTrainers, offerings, outboxEmails, users } from '#db/schema';
import { issueOnCompletion, processCompletionEvents, reissueForNameChange } from '~/modules/certificates/issue.server';
import { startCertificateIssuer } from '~/modules/certificates/workers.server';
import { withMailer } from '~/modules/email/outbox.server';
import { loader as pdfLoader } from '~/routes/certificates.$id[.]pdf';
import { loader as dashboardLoader } from '~/routes/dashboard';
import { action as profileAction, loader as profileLoader } from '~/routes/profile._index';
import { action as pageAction, loader as pageLoader } from '~/routes/trainer.offerings.$id.certificates';
import { loader as csvLoader } from '~/routes/trainer.offerings.$id.certificates[.]csv';
import { loader as zipLoader } from '~/routes/trainer.offerings.$id.certificates[.]zip';
import { contextFrom, createTestContext, recordingJobQueue, type TestContext } from '../support/context';
import { createUser, signIn } from '../support/factories';
import { makeRequest, requestContext } from '../support/requests';
import { readZip } from '../support/zip';

/** What a Remix loader or action returned or threw, as status, headers and body. */
async function outcome(run: () => Promise<unknown>) {
  let value: unknown;
  try {
    value = await run();
  } catch (thrown) {
    value = thrown;
  }
  if (value instanceof Response) return { status: value.status, headers: value.headers, body: null as Record<string, unknown> | null, response: value };
  const withInit = value as { type?: string; data?: Record<string, unknown>; init?: { status?: number; headers?: Record<string, string> } };
  if (withInit && withInit.type === 'DataWithResponseInit') {
    return { status: withInit.init?.status ?? 200, headers: new Headers(withInit.init?.headers), body: withInit.data ?? null, response: null };
  }
  return { status: 200, headers: new Headers(), body: value as Record<string, unknown>, response: null };
}

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
const DAY = 86_400_000;

describe('certificates', () => {
  let ctx: TestContext;
  let trainer: { id: string; cookie: string };
  let admin: { id: string; cookie: string };
  let otherTrainerCookie: string;

  beforeAll(async () => {
    ctx = await createTestContext();
    const t = await createUser(ctx.db, { roles: [{ role: 'trainer' }], fullName: 'Ђорђе Петровић' });
    trainer = { id: t.id, cookie: await signIn(ctx, t.id) };
    const a = await createUser(ctx.db, { roles: [{ role: 'admin' }] });
    admin = { id: a.id, cookie: await signIn(ctx, a.id) };
    otherTrainerCookie = await signIn(ctx, (await createUser(ctx.db, { roles: [{ role: 'trainer' }] })).id);
  });
  afterAll(async () => {
    await ctx?.close();
  });

  async function makeOffering(overrides: Partial<typeof offerings.$inferInsert> = {}) {
    const suffix = randomBytes(4).toString('hex');
    const [row] = await ctx.db
      .insert(offerings)
      .values({
        slug: `cert-${suffix}`,
        kind: 'short_course',
        title: `Classroom dialogue ${suffix}`,
        language: 'en',
        organiserTimeZone: 'Europe/Oslo',
        status: 'published',
        expectedMinutes: 390,
        startsAt: new Date(Date.now() - 30 * DAY),
        endsAt: new Date(Date.now() + 10 * DAY),
        ...overrides,
      })
      .returning();
    await ctx.db.insert(offeringTrainers).values({ offeringId: row!.id, userId: trainer.id });
    return row!;
  }

  /** A participant who completed the offering, with the completion event the completion code writes. */
  async function completed(offeringId: string, user: Partial<typeof users.$inferInsert> = {}) {
    const person = await createUser(ctx.db, user);
    const [enrolment] = await ctx.db
      .insert(enrolments)
      .values({ offeringId, userId: person.id, status: 'completed', enrolledAt: new Date(Date.now() - 20 * DAY), completedAt: new Date(Date.now() - DAY) })
      .returning();
    await ctx.db.insert(completionEvents).values({ enrolmentId: enrolment!.id, occurredAt: new Date(Date.now() - DAY) });
    return { user: person, enrolmentId: enrolment!.id };
  }

  const currentOf = (enrolmentId: string) =>
    ctx.db.select().from(certificates).where(and(eq(certificates.enrolmentId, enrolmentId), isNull(certificates.supersededAt)));

  describe('issuing from completion events', () => {
    it('issues exactly one certificate per completion when two processors run at once on separate connections', async () => {
      const offering = await makeOffering();
      const people = [];
      for (let i = 0; i < 16; i++) people.push(await completed(offering.id));
      const secondHandle = createDatabase({ kind: 'postgres', url: (ctx.config.database as { url: string }).url, poolSize: 4 });
      try {
        const second = contextFrom(secondHandle, ctx.config, recordingJobQueue());
        const [a, b] = await Promise.all([processCompletionEvents(ctx), processCompletionEvents(second)]);
        expect(a + b).toBeGreaterThanOrEqual(16);
        // A crash between issuing and marking the event: the event is handled again and issues nothing new.
        await ctx.db.update(completionEvents).set({ processedAt: null });
        await Promise.all([processCompletionEvents(ctx), processCompletionEvents(second)]);
      } finally {
        await secondHandle.close();
      }
      const rows = await ctx.db.select().from(certificates).where(eq(certificates.offeringId, offering.id));
      expect(rows).toHaveLength(16);
      expect(new Set(rows.map((r) => r.enrolmentId)).size).toBe(16);
      const mails = await ctx.db.select().from(outboxEmails).where(eq(outboxEmails.template, 'certificate-issued'));
      for (const person of people) expect(mails.filter((m) => m.toAddress === person.user.email)).toHaveLength(1);
      const unprocessed = await ctx.db.select().from(completionEvents).where(isNull(completionEvents.processedAt));
      expect(unprocessed).toHaveLength(0);
    });

    it('lets the unique index decide when two issues of one enrolment race past the event lock', async () => {
      const offering = await makeOffering();
      const person = await completed(offering.id);
      const results = await Promise.all(
        [0, 1, 2].map(() => withMailer(ctx, (tx, mailer) => issueOnCompletion(tx, mailer, ctx, person.enrolmentId, new Date()))),
      );
      expect(results.filter(Boolean)).toHaveLength(1);
      expect(await currentOf(person.enrolmentId)).toHaveLength(1);
    });

    it('keeps a snapshot of the person, offering, trainers and issuer, and stores the PDF hash', async () => {
      const offering = await makeOffering();
      const person = await completed(offering.id, { certificateName: 'Łucja Żółkiewska', locale: 'nb', timeZone: 'Europe/Warsaw' });
      await processCompletionEvents(ctx);
      const [row] = await currentOf(person.enrolmentId);
      expect(row!.snapshot).toMatchObject({
        holderName: 'Łucja Żółkiewska',
        offeringTitle: offering.title,
        offeringKind: 'short_course',
        expectedMinutes: 390,
        attendedMinutes: null,
        trainers: ['Ђорђе Петровић'],
        language: 'nb',
        timeZone: 'Europe/Warsaw',
        issuer: { platformName: 'Kollega', organisationName: ctx.config.organisationName, url: ctx.config.appUrl },
      });
      expect(row!.code).toMatch(/^[0-9A-HJKMNP-TV-Z]{12}$/);
      expect(row!.issuedBy).toBeNull();
      const [mail] = await ctx.db.select().from(outboxEmails).where(eq(outboxEmails.toAddress, person.user.email));
      expect(mail!.subject).toBe(`Kursbeviset ditt: ${offering.title}`);
      expect(mail!.text).toContain(`${ctx.config.appUrl}/verify/${row!.code}`);
      expect(mail!.text).toContain(`${ctx.config.appUrl}/dashboard`);
      const download = await outcome(() => pdfLoader({ request: makeRequest(`/certificates/${row!.id}.pdf`, { cookie: trainer.cookie }), context: requestContext(ctx), params: { id: row!.id } }));
      expect(sha256(new Uint8Array(await download.response!.arrayBuffer()))).toBe(row!.pdfSha256);
    });

    it('issues nothing for an offering without certificates, and still marks the event done', async () => {
      const offering = await makeOffering({ certificateEnabled: false });
      const person = await completed(offering.id);
      await processCompletionEvents(ctx);
      expect(await currentOf(person.enrolmentId)).toHaveLength(0);
      const [event] = await ctx.db.select().from(completionEvents).where(eq(completionEvents.enrolmentId, person.enrolmentId));
      expect(event!.processedAt).not.toBeNull();
    });

    it('the worker loop picks a completion up within seconds', async () => {
      const offering = await makeOffering();
      const person = await completed(offering.id);
      const stop = startCertificateIssuer(ctx.boss!, ctx, 200);
      try {
        const deadline = Date.now() + 5_000;
        while ((await currentOf(person.enrolmentId)).length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
      } finally {
        stop();
      }
      expect(await currentOf(person.enrolmentId)).toHaveLength(1);
    });
  });

  describe('downloads', () => {
    let certificateId: string;
    let holderCookie: string;
    let otherCookie: string;
    beforeAll(async () => {
      const offering = await makeOffering();
      const holder = await completed(offering.id);
      const other = await completed(offering.id);
      await processCompletionEvents(ctx);
      certificateId = (await currentOf(holder.enrolmentId))[0]!.id;
      holderCookie = await signIn(ctx, holder.user.id);
      otherCookie = await signIn(ctx, other.user.id);
    });
    const get = (id: string, cookie?: string) =>
      outcome(() => pdfLoader({ request: makeRequest(`/certificates/${id}.pdf`, { cookie }), context: requestContext(ctx), params: { id } }));

    it('the holder, the offering trainers and admins get the PDF', async () => {
      for (const cookie of [holderCookie, trainer.cookie, admin.cookie]) {
        const result = await get(certificateId, cookie);
        expect(result.status).toBe(200);
        expect(result.headers.get('content-type')).toBe('application/pdf');
        expect(Buffer.from(await result.response!.arrayBuffer()).subarray(0, 5).toString()).toBe('%PDF-');
      }
    });

    it('another participant, another trainer, a made-up and a malformed id get 404; anonymous visitors sign in first', async () => {
      expect((await get(certificateId, otherCookie)).status).toBe(404);
      expect((await get(certificateId, otherTrainerCookie)).status).toBe(404);
      expect((await get('00000000-0000-4000-8000-000000000000', otherCookie)).status).toBe(404);
      expect((await get('not-an-id', otherCookie)).status).toBe(404);
      const anonymous = await get(certificateId);
      expect(anonymous.status).toBe(302);
      expect(anonymous.headers.get('location')).toMatch(/^\/login\?redirectTo=/);
    });
  });

  describe('the trainer page', () => {
    let offeringId: string;
    let people: Awaited<ReturnType<typeof completed>>[];
    let enrolledOnly: { enrolmentId: string; userId: string };
    beforeAll(async () => {
      const offering = await makeOffering();
      offeringId = offering.id;
      people = [
        await completed(offering.id, { certificateName: 'Şükrü Öztürk' }),
        await completed(offering.id, { certificateName: 'Αλέξανδρος Παπαδόπουλος' }),
        await completed(offering.id, { certificateName: '=HYPERLINK("http://evil.test")' }),
      ];
      await processCompletionEvents(ctx);
      const learner = await createUser(ctx.db, { certificateName: 'Ingrid Østergård' });
      const [row] = await ctx.db.insert(enrolments).values({ offeringId, userId: learner.id, status: 'enrolled', enrolledAt: new Date() }).returning();
      enrolledOnly = { enrolmentId: row!.id, userId: learner.id };
    });
    const post = (form: Record<string, string>, cookie = trainer.cookie) =>
      outcome(() =>
        pageAction({ request: makeRequest(`/trainer/offerings/${offeringId}/certificates`, { form, cookie }), context: requestContext(ctx), params: { id: offeringId } }),
      );

    it('is only for the offering trainers and admins', async () => {
      const load = (cookie: string) =>
        outcome(() => pageLoader({ request: makeRequest(`/trainer/offerings/${offeringId}/certificates`, { cookie }), context: requestContext(ctx), params: { id: offeringId } }));
      expect((await load(trainer.cookie)).status).toBe(200);
      expect((await load(admin.cookie)).status).toBe(200);
      expect((await load(otherTrainerCookie)).status).toBe(404);
      expect((await post({ intent: 'issue', enrolmentId: enrolledOnly.enrolmentId, reason: 'x' }, otherTrainerCookie)).status).toBe(404);
    });

    it('issues a certificate to a named participant with a reason, audited, and not twice', async () => {
      expect((await post({ intent: 'issue', enrolmentId: enrolledOnly.enrolmentId, reason: '  ' })).status).toBe(400);
      const issued = await post({ intent: 'issue', enrolmentId: enrolledOnly.enrolmentId, reason: 'Attended the missed session in the next cohort' });
      expect(issued.status).toBe(302);
      const [row] = await currentOf(enrolledOnly.enrolmentId);
      expect(row!.issuedBy).toBe(trainer.id);
      expect(row!.snapshot.holderName).toBe('Ingrid Østergård');
      const audit = await ctx.db.select().from(auditLog).where(eq(auditLog.subjectId, row!.id));
      expect(audit).toMatchObject([{ action: 'certificate.issued', actorId: trainer.id, reason: 'Attended the missed session in the next cohort' }]);
      const again = await post({ intent: 'issue', enrolmentId: enrolledOnly.enrolmentId, reason: 'again' });
      expect(again.status).toBe(409);
      expect(await currentOf(enrolledOnly.enrolmentId)).toHaveLength(1);
      // Not completed by the rule, yet certified: the dashboard offers the certificate on the course still in progress.
      const dashboard = await outcome(async () =>
        dashboardLoader({ request: makeRequest('/dashboard', { cookie: await signIn(ctx, enrolledOnly.userId) }), context: requestContext(ctx), params: {} }),
      );
      const body = dashboard.body as { inProgress: { offeringId: string }[]; certificates: Record<string, { id: string; revoked: boolean }> };
      expect(body.inProgress.map((item) => item.offeringId)).toContain(offeringId);
      expect(body.certificates[offeringId]).toMatchObject({ id: row!.id, revoked: false });
    });

    it('revokes with a reason, audited, keeping the row', async () => {
      const [row] = await currentOf(people[0]!.enrolmentId);
      expect((await post({ intent: 'revoke', certificateId: row!.id, reason: '' })).status).toBe(400);
      expect((await post({ intent: 'revoke', certificateId: row!.id, reason: 'Issued by mistake' })).status).toBe(302);
      const [after] = await ctx.db.select().from(certificates).where(eq(certificates.id, row!.id));
      expect(after!.revokedAt).not.toBeNull();
      expect(after!.revocationReason).toBe('Issued by mistake');
      expect(after!.revokedBy).toBe(trainer.id);
      expect((await post({ intent: 'revoke', certificateId: row!.id, reason: 'again' })).status).toBe(409);
      const audit = await ctx.db.select().from(auditLog).where(and(eq(auditLog.subjectId, row!.id), eq(auditLog.action, 'certificate.revoked')));
      expect(audit).toHaveLength(1);
    });

    it('exports the register as CSV: code, name, email, issued, status', async () => {
      const result = await outcome(() =>
        csvLoader({ request: makeRequest(`/trainer/offerings/${offeringId}/certificates.csv`, { cookie: trainer.cookie }), context: requestContext(ctx), params: { id: offeringId } }),
      );
      expect(result.status).toBe(200);
      const text = await result.response!.text();
      const lines = text.replace(/^\uFEFF/, '').trim().split('\r\n');
      expect(lines[0]).toMatch(/^Code,Name on certificate,Email,Issued \(Europe\/Oslo\),Status$/);
      expect(lines).toHaveLength(5);
      const rows = await ctx.db.select().from(certificates).where(eq(certificates.offeringId, offeringId));
      const revoked = rows.find((r) => r.enrolmentId === people[0]!.enrolmentId)!;
      const revokedLine = lines.find((l) => l.startsWith(revoked.code.replace(/(.{4})(.{4})(.{4})/, '$1-$2-$3')))!;
      expect(revokedLine).toContain('Şükrü Öztürk');
      expect(revokedLine).toContain(people[0]!.user.email);
      expect(revokedLine.endsWith(',Revoked')).toBe(true);
      // A name that a spreadsheet would run as a formula is written as text.
      expect(text).toContain(`"'=HYPERLINK(""http://evil.test"")"`);
      expect(lines.filter((l) => l.endsWith(',Valid'))).toHaveLength(3);
    });

    it('streams every valid certificate as one ZIP whose PDFs match their stored hashes', async () => {
      const result = await outcome(() =>
        zipLoader({ request: makeRequest(`/trainer/offerings/${offeringId}/certificates.zip`, { cookie: trainer.cookie }), context: requestContext(ctx), params: { id: offeringId } }),
      );
      expect(result.status).toBe(200);
      expect(result.headers.get('content-type')).toBe('application/zip');
      const entries = readZip(Buffer.from(await result.response!.arrayBuffer()));
      const valid = await ctx.db
        .select()
        .from(certificates)
        .where(and(eq(certificates.offeringId, offeringId), isNull(certificates.revokedAt), isNull(certificates.supersededAt)));
      expect(entries).toHaveLength(valid.length);
      expect(entries.length).toBe(3);
      for (const certificate of valid) {
        const entry = entries.find((e) => e.name.startsWith(certificate.code.replace(/(.{4})(.{4})(.{4})/, '$1-$2-$3')));
        expect(entry, certificate.code).toBeDefined();
        expect(sha256(entry!.data)).toBe(certificate.pdfSha256);
      }
      for (const entry of entries) expect(entry.name).toMatch(/^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}-[A-Za-z0-9-]+\.pdf$/);
      expect(entries.map((e) => e.name).filter((name) => name.endsWith('-Ingrid-Ostergard.pdf'))).toHaveLength(1);
      expect(
        (await outcome(() => zipLoader({ request: makeRequest(`/trainer/offerings/${offeringId}/certificates.zip`, { cookie: otherTrainerCookie }), context: requestContext(ctx), params: { id: offeringId } }))).status,
      ).toBe(404);
    });
  });

  describe('name correction', () => {
    it('happens when the holder saves a new name on certificates in their profile', async () => {
      const offering = await makeOffering();
      const person = await completed(offering.id, { certificateName: 'Sukru Ozturk', fullName: 'Sukru Ozturk', email: `sukru-${randomBytes(3).toString('hex')}@school.test` });
      await processCompletionEvents(ctx);
      const [old] = await currentOf(person.enrolmentId);
      const cookie = await signIn(ctx, person.user.id);
      const call = (request: Request) => ({ request, context: requestContext(ctx), params: {} });
      const before = await outcome(() => profileLoader(call(makeRequest('/profile', { cookie }))));
      expect(before.body).toMatchObject({ certificateCount: 1 });
      const form = {
        intent: 'profile',
        email: person.user.email,
        fullName: 'Sukru Ozturk',
        certificateName: 'Şükrü Öztürk',
        country: 'NO',
        school: 'Test School',
        schoolRole: 'teacher',
        locale: 'en',
        timeZone: 'Europe/Oslo',
      };
      const saved = await outcome(() => profileAction(call(makeRequest('/profile', { form, cookie }))));
      expect(saved.status).toBe(302);
      const [fresh] = await currentOf(person.enrolmentId);
      expect(fresh!.id).not.toBe(old!.id);
      expect(fresh!.snapshot.holderName).toBe('Şükrü Öztürk');
      // Saving again with the same name re-issues nothing.
      expect((await outcome(() => profileAction(call(makeRequest('/profile', { form, cookie }))))).status).toBe(302);
      expect((await ctx.db.select().from(certificates).where(eq(certificates.enrolmentId, person.enrolmentId))).length).toBe(2);
    });

    it('re-issues each current certificate with the new name, supersedes the old one and emails the holder', async () => {
      const offering = await makeOffering();
      const person = await completed(offering.id, { certificateName: 'Lucja Zolkiewska' });
      await processCompletionEvents(ctx);
      const [old] = await currentOf(person.enrolmentId);
      await ctx.db.update(users).set({ certificateName: 'Łucja Żółkiewska' }).where(eq(users.id, person.user.id));
      expect(await reissueForNameChange(ctx, person.user.id, new Date())).toBe(1);
      expect(await reissueForNameChange(ctx, person.user.id, new Date())).toBe(0);
      const [fresh] = await currentOf(person.enrolmentId);
      expect(fresh!.id).not.toBe(old!.id);
      expect(fresh!.snapshot).toEqual({ ...old!.snapshot, holderName: 'Łucja Żółkiewska' });
      const [superseded] = await ctx.db.select().from(certificates).where(eq(certificates.id, old!.id));
      expect(superseded!.supersededById).toBe(fresh!.id);
      expect(superseded!.supersededAt).not.toBeNull();
      const mails = await ctx.db.select().from(outboxEmails).where(eq(outboxEmails.toAddress, person.user.email));
      expect(mails.map((m) => m.subject).sort()).toEqual([`Your certificate with your corrected name: ${offering.title}`, `Your certificate: ${offering.title}`]);
    });
  });
});
