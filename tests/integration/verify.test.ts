import { randomBytes } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { certificates, completionEvents, enrolments, offeringTrainers, offerings, users } from '#db/schema';
import { formatCode, parseCode } from '~/modules/certificates/code';
import { processCompletionEvents, reissueForNameChange, revokeCertificate } from '~/modules/certificates/issue.server';
import { renderCertificatePdf } from '~/modules/certificates/pdf.server';
import { action as uploadAction, loader as verifyIndexLoader } from '~/routes/verify._index';
import { loader as verifyLoader } from '~/routes/verify.$code';
import { createTestContext, recordingJobQueue, TEST_APP_URL, type TestContext } from '../support/context';
import { createUser } from '../support/factories';
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

/** A code of the right shape and check character that was never issued. */
function unissuedCode(): string {
  for (;;) {
    const candidate = randomBytes(16)
      .toString('hex')
      .toUpperCase()
      .replace(/[^0-9A-F]/g, '')
      .slice(0, 11);
    for (const check of '0123456789ABCDEFGHJKMNPQRSTVWXYZ') {
      const parsed = parseCode(candidate + check);
      if (parsed.ok) return parsed.code;
    }
  }
}

/** One character changed so that the check character no longer fits. */
function mistype(code: string): string {
  const replacement = code[3] === '7' ? '8' : '7';
  return code.slice(0, 3) + replacement + code.slice(4);
}

describe('public verification', () => {
  let ctx: TestContext;
  const codes = { valid: '', revoked: '', superseded: '', newer: '' };
  let validPdf: Buffer;

  beforeAll(async () => {
    ctx = await createTestContext({ jobs: recordingJobQueue() });
    const trainer = await createUser(ctx.db, { roles: [{ role: 'trainer' }], fullName: 'Anna Berg' });
    const [offering] = await ctx.db
      .insert(offerings)
      .values({
        slug: `verify-${randomBytes(4).toString('hex')}`,
        kind: 'webinar',
        title: 'Reading aloud in Year 1',
        language: 'en',
        organiserTimeZone: 'Europe/Oslo',
        status: 'published',
        startsAt: new Date('2026-03-10T14:00:00Z'),
        endsAt: new Date('2026-03-10T15:00:00Z'),
      })
      .returning();
    await ctx.db.insert(offeringTrainers).values({ offeringId: offering!.id, userId: trainer.id });
    const people = [];
    for (const name of ['Şükrü Öztürk', 'Ђорђе Петровић', 'Lucja Zolkiewska']) {
      const person = await createUser(ctx.db, { certificateName: name });
      const [enrolment] = await ctx.db
        .insert(enrolments)
        .values({ offeringId: offering!.id, userId: person.id, status: 'completed', enrolledAt: new Date('2026-03-01T10:00:00Z'), completedAt: new Date('2026-03-10T15:00:00Z') })
        .returning();
      await ctx.db.insert(completionEvents).values({ enrolmentId: enrolment!.id, occurredAt: new Date('2026-03-10T15:00:00Z') });
      people.push({ person, enrolmentId: enrolment!.id });
    }
    await processCompletionEvents(ctx);
    const codeOf = async (enrolmentId: string) => (await ctx.db.select().from(certificates).where(eq(certificates.enrolmentId, enrolmentId)))[0]!;
    const valid = await codeOf(people[0]!.enrolmentId);
    codes.valid = valid.code;
    validPdf = await renderCertificatePdf(valid);
    const revoked = await codeOf(people[1]!.enrolmentId);
    codes.revoked = revoked.code;
    await revokeCertificate(ctx, { offeringId: offering!.id, certificateId: revoked.id, actorId: trainer.id, reason: 'Attendance report was wrong' }, new Date('2026-03-20T09:00:00Z'));
    codes.superseded = (await codeOf(people[2]!.enrolmentId)).code;
    await ctx.db.update(users).set({ certificateName: 'Łucja Żółkiewska' }).where(eq(users.id, people[2]!.person.id));
    await reissueForNameChange(ctx, people[2]!.person.id, new Date());
    const [old] = await ctx.db.select().from(certificates).where(eq(certificates.code, codes.superseded));
    codes.newer = (await ctx.db.select().from(certificates).where(eq(certificates.id, old!.supersededById!)))[0]!.code;
  });
  afterAll(async () => {
    await ctx?.close();
  });

  const page = (code: string) => outcome(() => verifyLoader({ request: makeRequest(`/verify/${encodeURIComponent(code)}`), context: requestContext(ctx), params: { code } }));

  it('shows the whole claim of a valid certificate, without signing in', async () => {
    const result = await page(codes.valid);
    expect(result.status).toBe(200);
    const certificate = result.body!.certificate as { code: string; status: { kind: string }; snapshot: Record<string, unknown> };
    expect(certificate.code).toBe(codes.valid);
    expect(certificate.status).toEqual({ kind: 'valid' });
    expect(certificate.snapshot).toMatchObject({
      holderName: 'Şükrü Öztürk',
      offeringTitle: 'Reading aloud in Year 1',
      offeringKind: 'webinar',
      attendedMinutes: 0,
      trainers: ['Anna Berg'],
      issuer: { platformName: 'Kollega', url: TEST_APP_URL },
    });
  });

  it('shows a revoked certificate with its reason and date', async () => {
    const result = await page(codes.revoked);
    expect(result.status).toBe(200);
    expect((result.body!.certificate as { status: unknown }).status).toEqual({ kind: 'revoked', at: new Date('2026-03-20T09:00:00Z'), reason: 'Attendance report was wrong' });
  });

  it('shows a superseded certificate with the code of the one that replaced it', async () => {
    const result = await page(codes.superseded);
    const status = (result.body!.certificate as { status: { kind: string; byCode: string } }).status;
    expect(status.kind).toBe('superseded');
    expect(status.byCode).toBe(codes.newer);
    const newer = await page(codes.newer);
    expect((newer.body!.certificate as { snapshot: { holderName: string } }).snapshot.holderName).toBe('Łucja Żółkiewska');
  });

  it('tells an unknown code (404) from a mistyped one (400) and from something that is no code (400)', async () => {
    const unknown = await page(unissuedCode());
    expect(unknown.status).toBe(404);
    expect(unknown.body!.problem).toBe('unknown');
    const mistyped = await page(mistype(codes.valid));
    expect(mistyped.status).toBe(400);
    expect(mistyped.body!.problem).toBe('mistyped');
    const malformed = await page('hello');
    expect(malformed.status).toBe(400);
    expect(malformed.body!.problem).toBe('malformed');
  });

  it('sends a code typed with dashes and lower case to its canonical address; the form does the same', async () => {
    const typed = formatCode(codes.valid).toLowerCase();
    const result = await page(typed);
    expect(result.status).toBe(302);
    expect(result.headers.get('location')).toBe(`/verify/${codes.valid}`);
    const viaForm = await outcome(() => verifyIndexLoader({ request: makeRequest(`/verify?code=${encodeURIComponent(` ${typed} `)}`), context: requestContext(ctx), params: {} }));
    expect(viaForm.status).toBe(302);
    expect(viaForm.headers.get('location')).toBe(`/verify/${codes.valid}`);
    const mistypedViaForm = await outcome(() =>
      verifyIndexLoader({ request: makeRequest(`/verify?code=${mistype(codes.valid)}`), context: requestContext(ctx), params: {} }),
    );
    expect(mistypedViaForm.status).toBe(400);
    expect(mistypedViaForm.body!.problem).toBe('mistyped');
  });

  describe('PDF upload', () => {
    const upload = (file: File | null, headers: Record<string, string> = {}) => {
      const form = new FormData();
      if (file) form.set('pdf', file);
      const request = new Request(new URL('/verify', TEST_APP_URL), { method: 'POST', body: form, headers });
      return outcome(() => uploadAction({ request, context: requestContext(ctx), params: {} }));
    };

    it('recognises an unaltered certificate', async () => {
      const result = await upload(new File([new Uint8Array(validPdf)], 'certificate.pdf', { type: 'application/pdf' }));
      expect(result.status).toBe(200);
      expect(result.body!.upload).toEqual({ problem: null, code: codes.valid });
    });

    it('refuses an altered one', async () => {
      const altered = Buffer.from(validPdf);
      const at = altered.indexOf('/Keywords');
      altered[at + 12] = altered[at + 12] === 0x41 ? 0x42 : 0x41;
      const result = await upload(new File([new Uint8Array(altered)], 'certificate.pdf', { type: 'application/pdf' }));
      expect(result.status).toBe(422);
      expect(result.body!.upload).toEqual({ problem: 'uploadNoMatch', code: null });
    });

    it('refuses what is not a PDF, a missing file and a file over 10 MB', async () => {
      expect((await upload(new File(['hello'], 'note.txt', { type: 'text/plain' }))).status).toBe(415);
      expect((await upload(new File(['%PDF-1.3 but sent as an image'], 'x.png', { type: 'image/png' }))).status).toBe(415);
      expect((await upload(null)).status).toBe(400);
      const big = new Uint8Array(10 * 1024 * 1024 + 1);
      big.set(new TextEncoder().encode('%PDF-1.3'));
      const tooLarge = await upload(new File([big], 'big.pdf', { type: 'application/pdf' }));
      expect(tooLarge.status).toBe(413);
      expect(tooLarge.body!.upload).toEqual({ problem: 'uploadTooLarge', code: null });
    });
  });
});
