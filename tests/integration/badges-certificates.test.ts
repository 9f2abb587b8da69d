import { randomBytes } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { createLocalJWKSet, jwtVerify, type JSONWebKeySet } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { certificates, enrolments, offeringTrainers, offerings, users } from '#db/schema';
import { credentialForCertificate, verifyCredential } from '~/modules/badges/credentials.server';
import { issueByTrainer, reissueForNameChange, revokeCertificate } from '~/modules/certificates/issue.server';
import { loader as jwksLoader } from '~/routes/[.]well-known.jwks[.]json';
import { createTestContext, recordingJobQueue, TEST_APP_URL, type TestContext } from '../support/context';
import { createUser } from '../support/factories';
import { makeRequest, requestContext } from '../support/requests';

const DAY = 86_400_000;

/** Credentials of certificates issued, revoked and re-issued by the certificates module itself. */
describe('credentials of real certificates', () => {
  let ctx: TestContext;
  beforeAll(async () => {
    ctx = await createTestContext({ jobs: recordingJobQueue() });
  });
  afterAll(async () => {
    await ctx?.close();
  });

  async function completedEnrolment(kind: 'short_course' | 'webinar', holderName: string) {
    const trainer = await createUser(ctx.db, { roles: [{ role: 'trainer' }], fullName: 'Ana Pérez' });
    const holder = await createUser(ctx.db, { certificateName: holderName, locale: 'sv', timeZone: 'Europe/Stockholm' });
    const [offering] = await ctx.db
      .insert(offerings)
      .values({
        slug: `badges-real-${randomBytes(4).toString('hex')}`,
        kind,
        title: kind === 'webinar' ? 'Formative assessment live' : 'Coding in primary school',
        language: 'en',
        organiserTimeZone: 'Europe/Oslo',
        status: 'published',
        expectedMinutes: kind === 'webinar' ? 60 : 6 * 60,
        startsAt: new Date(Date.now() - 20 * DAY),
        endsAt: new Date(Date.now() - 2 * DAY),
        completionDeadline: new Date(Date.now() + 5 * DAY),
      })
      .returning();
    await ctx.db.insert(offeringTrainers).values({ offeringId: offering!.id, userId: trainer.id });
    const [enrolment] = await ctx.db
      .insert(enrolments)
      .values({ offeringId: offering!.id, userId: holder.id, status: 'completed', enrolledAt: new Date(Date.now() - 19 * DAY), completedAt: new Date(Date.now() - 3 * DAY) })
      .returning();
    return { trainer, holder, offering: offering!, enrolment: enrolment! };
  }

  async function jwks() {
    const response = (await jwksLoader({ request: makeRequest('/.well-known/jwks.json'), context: requestContext(ctx), params: {} })) as Response;
    return createLocalJWKSet((await response.json()) as JSONWebKeySet);
  }

  it('states what the certificate states, in the holder’s language, and follows revocation', async () => {
    const { trainer, holder, offering, enrolment } = await completedEnrolment('short_course', 'Şükrü Öztürk');
    const issued = await issueByTrainer(ctx, { offeringId: offering.id, enrolmentId: enrolment.id, actorId: trainer.id, reason: 'Completed offline' }, new Date());
    if (!issued.ok) throw new Error(`not issued: ${issued.reason}`);
    const certificate = issued.certificate;

    const token = (await credentialForCertificate(ctx, certificate.id))!;
    const { payload } = await jwtVerify(token, await jwks(), { typ: 'vc+jwt' });
    expect(payload).toMatchObject({
      id: `${TEST_APP_URL}/verify/${certificate.code}`,
      name: 'Intyg: Coding in primary school',
      validFrom: certificate.issuedAt.toISOString().replace(/\.\d{3}Z$/, 'Z'),
      credentialSubject: {
        identifier: [{ identityHash: 'Şükrü Öztürk', identityType: 'name' }, { identityType: 'emailAddress', hashed: true }],
        creditsEarned: 6,
        achievement: { name: 'Coding in primary school', achievementType: 'Course', creditsAvailable: 6, inLanguage: 'sv' },
      },
    });
    expect(JSON.stringify(payload)).toContain('Ana Pérez');
    expect(JSON.stringify(payload)).not.toContain(holder.email);

    const revoked = await revokeCertificate(ctx, { offeringId: offering.id, certificateId: certificate.id, actorId: trainer.id, reason: 'Wrong participant' }, new Date());
    expect(revoked.ok).toBe(true);
    expect(await verifyCredential(ctx, token, new Date())).toMatchObject({
      ok: true,
      certificate: { code: certificate.code, standing: { state: 'revoked', reason: 'Wrong participant' } },
    });
  });

  it('points an old credential at the re-issued certificate after a name correction', async () => {
    const { trainer, holder, offering, enrolment } = await completedEnrolment('webinar', 'Ђорђе Петровић');
    const issued = await issueByTrainer(ctx, { offeringId: offering.id, enrolmentId: enrolment.id, actorId: trainer.id, reason: 'Attended in the room' }, new Date());
    if (!issued.ok) throw new Error(`not issued: ${issued.reason}`);
    const oldToken = (await credentialForCertificate(ctx, issued.certificate.id))!;
    expect((await jwtVerify(oldToken, await jwks())).payload).toMatchObject({ credentialSubject: { achievement: { achievementType: 'CertificateOfCompletion' } } });

    await ctx.db.update(users).set({ certificateName: 'Ђорђе Петровић Јовановић' }).where(eq(users.id, holder.id));
    expect(await reissueForNameChange(ctx, holder.id, new Date())).toBe(1);

    const check = await verifyCredential(ctx, oldToken, new Date());
    if (!check.ok || !check.certificate || check.certificate.standing.state !== 'superseded') throw new Error(`expected superseded, got ${JSON.stringify(check)}`);
    const newerCode = check.certificate.standing.byCode!;
    expect(newerCode).not.toBe(issued.certificate.code);
    // The re-issued certificate's credential carries the corrected name and verifies as valid.
    const [newer] = await ctx.db.select({ id: certificates.id }).from(certificates).where(eq(certificates.code, newerCode));
    const newToken = (await credentialForCertificate(ctx, newer!.id))!;
    const fresh = await verifyCredential(ctx, newToken, new Date());
    expect(fresh).toMatchObject({ ok: true, certificate: { code: newerCode, standing: { state: 'valid' } } });
    expect(fresh.ok && fresh.credential.credentialSubject.identifier[0]!.identityHash).toBe('Ђорђе Петровић Јовановић');
  });
});
