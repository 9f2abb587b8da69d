import { randomBytes } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { calculateJwkThumbprint, CompactSign, createLocalJWKSet, decodeProtectedHeader, exportJWK, generateKeyPair, jwtVerify, type JSONWebKeySet } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDatabase } from '#db/client';
import { certificates, enrolments, offeringTrainers, offerings, signingKeys, type CertificateSnapshot } from '#db/schema';
import { credentialForCertificate, verifyCredential } from '~/modules/badges/credentials.server';
import { ensureSigningKey, rotateSigningKey } from '~/modules/badges/signing-keys.server';
import { ConfigError } from '~/modules/config/config.server';
import { loader as issuerLoader } from '~/routes/badges.issuer';
import { loader as credentialLoader } from '~/routes/certificates.$id.credential';
import { loader as dashboardLoader } from '~/routes/dashboard';
import { loader as jwksLoader } from '~/routes/[.]well-known.jwks[.]json';
import { action as verifyAction } from '~/routes/verify.credential';
import { createTestContext, recordingJobQueue, TEST_APP_URL, type TestContext } from '../support/context';
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
  if (value instanceof Response) return { status: value.status, headers: value.headers, body: null as Record<string, unknown> | null, response: value };
  const withInit = value as { type?: string; data?: Record<string, unknown>; init?: { status?: number; headers?: Record<string, string> } };
  if (withInit && withInit.type === 'DataWithResponseInit') {
    return { status: withInit.init?.status ?? 200, headers: new Headers(withInit.init?.headers), body: withInit.data ?? null, response: null };
  }
  return { status: 200, headers: new Headers(), body: value as Record<string, unknown>, response: null };
}

const DAY = 86_400_000;
const CODE_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const randomCode = () => Array.from(randomBytes(12), (b) => CODE_ALPHABET[b % 32]).join('');

/** base64url JSON, for building altered tokens. */
const encodePart = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const decodePart = (part: string) => JSON.parse(Buffer.from(part, 'base64url').toString('utf8')) as Record<string, unknown>;

describe('Open Badges credentials', () => {
  let ctx: TestContext;
  let holder: Awaited<ReturnType<typeof createUser>>;
  let other: Awaited<ReturnType<typeof createUser>>;
  let trainer: Awaited<ReturnType<typeof createUser>>;
  let otherTrainer: Awaited<ReturnType<typeof createUser>>;
  let admin: Awaited<ReturnType<typeof createUser>>;

  beforeAll(async () => {
    ctx = await createTestContext({ jobs: recordingJobQueue() });
    holder = await createUser(ctx.db, { fullName: 'Αλέξανδρος Παπαδόπουλος', certificateName: 'Αλέξανδρος Παπαδόπουλος' });
    other = await createUser(ctx.db);
    trainer = await createUser(ctx.db, { roles: [{ role: 'trainer' }] });
    otherTrainer = await createUser(ctx.db, { roles: [{ role: 'trainer' }] });
    admin = await createUser(ctx.db, { roles: [{ role: 'admin' }] });
  });
  afterAll(async () => {
    await ctx?.close();
  });

  /** A published course run by `trainer`; every certificate gets its own, as one enrolment holds one current certificate. */
  async function makeOffering() {
    const suffix = randomBytes(4).toString('hex');
    const [offering] = await ctx.db
      .insert(offerings)
      .values({
        slug: `badges-${suffix}`,
        kind: 'mooc',
        title: 'Inquiry-based science',
        language: 'en',
        organiserTimeZone: 'Europe/Oslo',
        status: 'published',
        expectedMinutes: 900,
        startsAt: new Date(Date.now() - 40 * DAY),
        endsAt: new Date(Date.now() - 2 * DAY),
        completionDeadline: new Date(Date.now() + 10 * DAY),
      })
      .returning();
    await ctx.db.insert(offeringTrainers).values({ offeringId: offering!.id, userId: trainer.id });
    return offering!.id;
  }

  /** A completed enrolment with a certificate, the way the certificates module stores one. */
  async function issueCertificate(userId: string, holderName: string, reissueOf?: { offeringId: string; enrolmentId: string }) {
    const offeringId = reissueOf?.offeringId ?? (await makeOffering());
    const enrolmentId =
      reissueOf?.enrolmentId ??
      (
        await ctx.db
          .insert(enrolments)
          .values({ offeringId, userId, status: 'completed', enrolledAt: new Date(Date.now() - 30 * DAY), completedAt: new Date(Date.now() - 3 * DAY) })
          .returning()
      )[0]!.id;
    const snapshot: CertificateSnapshot = {
      holderName,
      offeringTitle: 'Inquiry-based science',
      offeringKind: 'mooc',
      offeringSlug: 'inquiry-science',
      expectedMinutes: 900,
      attendedMinutes: null,
      startsAt: new Date(Date.now() - 40 * DAY).toISOString(),
      endsAt: new Date(Date.now() - 2 * DAY).toISOString(),
      completedAt: new Date(Date.now() - 3 * DAY).toISOString(),
      issuer: { platformName: 'Kollega', organisationName: ctx.config.organisationName, url: TEST_APP_URL },
      trainers: ['Trainer One'],
      language: 'en',
      timeZone: 'Europe/Oslo',
    };
    const [row] = await ctx.db
      .insert(certificates)
      .values({ code: randomCode(), enrolmentId, userId, offeringId, snapshot, issuedAt: new Date(Date.now() - 3 * DAY), pdfSha256: randomBytes(32).toString('hex') })
      .returning();
    return row!;
  }

  async function publishedJwks(): Promise<JSONWebKeySet> {
    const result = await outcome(() => jwksLoader({ request: makeRequest('/.well-known/jwks.json'), context: requestContext(ctx), params: {} }));
    expect(result.status).toBe(200);
    return (await result.response!.json()) as JSONWebKeySet;
  }

  const download = (certificateId: string, cookie?: string) =>
    outcome(() => credentialLoader({ request: makeRequest(`/certificates/${certificateId}/credential`, { cookie }), context: requestContext(ctx), params: { id: certificateId } }));

  const postVerify = (token: string) =>
    outcome(() => verifyAction({ request: makeRequest('/verify/credential', { form: { token } }), context: requestContext(ctx), params: {} }));

  it('publishes the issuer profile and the JWKS with cache headers', async () => {
    const token = await credentialForCertificate(ctx, (await issueCertificate(holder.id, 'Αλέξανδρος Παπαδόπουλος')).id);
    expect(token).toBeTruthy();
    const profile = await outcome(() => issuerLoader({ request: makeRequest('/badges/issuer'), context: requestContext(ctx), params: {} }));
    expect(profile.status).toBe(200);
    expect(profile.headers.get('cache-control')).toMatch(/^public, max-age=\d+$/);
    expect(await profile.response!.json()).toEqual({
      '@context': ['https://www.w3.org/ns/credentials/v2', 'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json'],
      id: `${TEST_APP_URL}/badges/issuer`,
      type: ['Profile'],
      name: ctx.config.organisationName,
      url: TEST_APP_URL,
    });

    const jwks = await outcome(() => jwksLoader({ request: makeRequest('/.well-known/jwks.json'), context: requestContext(ctx), params: {} }));
    expect(jwks.headers.get('cache-control')).toBe('public, max-age=300');
    const { keys } = (await jwks.response!.json()) as JSONWebKeySet;
    expect(keys).toHaveLength(1);
    expect(keys[0]).toMatchObject({ kty: 'OKP', crv: 'Ed25519', alg: 'EdDSA', use: 'sig' });
    expect(keys[0]!.d).toBeUndefined();
    expect(keys[0]!.kid).toBe(await calculateJwkThumbprint(keys[0]!));
  });

  it('signs a VC-JWT that jose verifies against the published JWKS, the same token every time', async () => {
    const certificate = await issueCertificate(holder.id, 'Αλέξανδρος Παπαδόπουλος');
    const token = (await credentialForCertificate(ctx, certificate.id))!;
    expect(await credentialForCertificate(ctx, certificate.id)).toBe(token);

    const jwks = await publishedJwks();
    const { payload, protectedHeader } = await jwtVerify(token, createLocalJWKSet(jwks), { typ: 'vc+jwt', algorithms: ['EdDSA'] });
    expect(protectedHeader).toEqual({ alg: 'EdDSA', typ: 'vc+jwt', kid: jwks.keys[0]!.kid });
    expect(payload).toMatchObject({
      id: `${TEST_APP_URL}/verify/${certificate.code}`,
      type: ['VerifiableCredential', 'OpenBadgeCredential'],
      issuer: { id: `${TEST_APP_URL}/badges/issuer` },
      credentialSubject: { achievement: { name: 'Inquiry-based science', creditsAvailable: 15 } },
    });
    const subject = payload.credentialSubject as { identifier: { identityHash: string }[] };
    expect(subject.identifier[0]!.identityHash).toBe('Αλέξανδρος Παπαδόπουλος');
    expect(JSON.stringify(payload)).not.toContain(holder.email);

    const check = await verifyCredential(ctx, token, new Date());
    expect(check).toMatchObject({ ok: true, validity: 'current', certificate: { code: certificate.code, standing: { state: 'valid' } } });
    // Pasted with line breaks, as mail programs wrap it.
    expect((await verifyCredential(ctx, token.replace(/(.{60})/g, '$1\n'), new Date())).ok).toBe(true);
    // Before its validFrom it is signature-valid but not yet valid.
    expect(await verifyCredential(ctx, token, new Date(certificate.issuedAt.getTime() - DAY))).toMatchObject({ ok: true, validity: 'notYetValid' });
  });

  it('refuses tampered tokens: changed payload, changed signature, another key, garbage', async () => {
    const certificate = await issueCertificate(holder.id, 'Αλέξανδρος Παπαδόπουλος');
    const token = (await credentialForCertificate(ctx, certificate.id))!;
    const [header, body, signature] = token.split('.') as [string, string, string];
    const jwks = createLocalJWKSet(await publishedJwks());

    const claims = decodePart(body) as { credentialSubject: { identifier: { identityHash: string }[] } };
    claims.credentialSubject.identifier[0]!.identityHash = 'Mallory';
    const changedPayload = [header, encodePart(claims), signature].join('.');
    expect(await verifyCredential(ctx, changedPayload, new Date())).toEqual({ ok: false, problem: 'badSignature' });
    await expect(jwtVerify(changedPayload, jwks)).rejects.toThrow();

    const bytes = Buffer.from(signature, 'base64url');
    bytes[10] = bytes[10]! ^ 0x01;
    const changedSignature = [header, body, bytes.toString('base64url')].join('.');
    expect(await verifyCredential(ctx, changedSignature, new Date())).toEqual({ ok: false, problem: 'badSignature' });
    await expect(jwtVerify(changedSignature, jwks)).rejects.toThrow();

    // Someone else's Ed25519 key: under our kid the signature fails, under its own kid the key is unknown.
    const foreign = await generateKeyPair('EdDSA', { crv: 'Ed25519' });
    const payload = Buffer.from(body, 'base64url');
    const ourKid = decodeProtectedHeader(token).kid!;
    const underOurKid = await new CompactSign(payload).setProtectedHeader({ alg: 'EdDSA', typ: 'vc+jwt', kid: ourKid }).sign(foreign.privateKey);
    expect(await verifyCredential(ctx, underOurKid, new Date())).toEqual({ ok: false, problem: 'badSignature' });
    await expect(jwtVerify(underOurKid, jwks)).rejects.toThrow();
    const foreignKid = await calculateJwkThumbprint(await exportJWK(foreign.publicKey));
    const underItsKid = await new CompactSign(payload).setProtectedHeader({ alg: 'EdDSA', typ: 'vc+jwt', kid: foreignKid }).sign(foreign.privateKey);
    expect(await verifyCredential(ctx, underItsKid, new Date())).toEqual({ ok: false, problem: 'unknownKey' });

    // "alg: none" and a wrong typ are not ours.
    const unsigned = [encodePart({ alg: 'none', typ: 'vc+jwt', kid: ourKid }), body, ''].join('.');
    expect(await verifyCredential(ctx, unsigned, new Date())).toEqual({ ok: false, problem: 'malformed' });
    const wrongTyp = [encodePart({ alg: 'EdDSA', typ: 'JWT', kid: ourKid }), body, signature].join('.');
    expect(await verifyCredential(ctx, wrongTyp, new Date())).toEqual({ ok: false, problem: 'malformed' });

    for (const garbage of ['', 'hello', 'a.b.c', '....', `${header}.${body}`, '€€€.€€€.€€€', 'x'.repeat(30_000)]) {
      expect(await verifyCredential(ctx, garbage, new Date())).toEqual({ ok: false, problem: 'malformed' });
    }
  });

  it('verifies a revoked certificate’s credential as signature-valid but revoked', async () => {
    const certificate = await issueCertificate(holder.id, 'Αλέξανδρος Παπαδόπουλος');
    const token = (await credentialForCertificate(ctx, certificate.id))!;
    await ctx.db.update(certificates).set({ revokedAt: new Date(), revokedBy: trainer.id, revocationReason: 'Issued by mistake' }).where(eq(certificates.id, certificate.id));
    const check = await verifyCredential(ctx, token, new Date());
    expect(check).toMatchObject({ ok: true, validity: 'current', certificate: { code: certificate.code, standing: { state: 'revoked', reason: 'Issued by mistake' } } });
    // The holder can no longer download it.
    expect((await download(certificate.id, await signIn(ctx, holder.id))).status).toBe(404);
  });

  it('says superseded (with the newer code) and withdrawn', async () => {
    const old = await issueCertificate(other.id, 'Ђорђе Петровић');
    const token = (await credentialForCertificate(ctx, old.id))!;
    await ctx.db.update(certificates).set({ supersededAt: new Date() }).where(eq(certificates.id, old.id));
    const newer = await issueCertificate(other.id, 'Ђорђе Петровић-Јовановић', { offeringId: old.offeringId, enrolmentId: old.enrolmentId });
    await ctx.db.update(certificates).set({ supersededById: newer.id }).where(eq(certificates.id, old.id));
    expect(await verifyCredential(ctx, token, new Date())).toMatchObject({ ok: true, certificate: { standing: { state: 'superseded', byCode: newer.code } } });

    const newerToken = (await credentialForCertificate(ctx, newer.id))!;
    await ctx.db.update(certificates).set({ withdrawnAt: new Date(), userId: null }).where(eq(certificates.id, newer.id));
    expect(await verifyCredential(ctx, newerToken, new Date())).toMatchObject({ ok: true, certificate: { standing: { state: 'withdrawn' } } });
    // No personal data left to state: no new credential.
    expect(await credentialForCertificate(ctx, newer.id)).toBeNull();
  });

  it('lets the holder, the offering’s trainers and admins download it; anyone else gets 404', async () => {
    const certificate = await issueCertificate(holder.id, 'Αλέξανδρος Παπαδόπουλος');
    const expected = await credentialForCertificate(ctx, certificate.id);

    const mine = await download(certificate.id, await signIn(ctx, holder.id));
    expect(mine.status).toBe(200);
    expect(mine.headers.get('content-type')).toBe('application/vc+jwt');
    expect(mine.headers.get('content-disposition')).toBe(`attachment; filename="certificate-${certificate.code}.jwt"`);
    expect(mine.headers.get('cache-control')).toContain('no-store');
    expect(await mine.response!.text()).toBe(expected);

    expect((await download(certificate.id, await signIn(ctx, trainer.id))).status).toBe(200);
    expect((await download(certificate.id, await signIn(ctx, admin.id))).status).toBe(200);

    expect((await download(certificate.id, await signIn(ctx, other.id))).status).toBe(404);
    expect((await download(certificate.id, await signIn(ctx, otherTrainer.id))).status).toBe(404);
    const unknown = '00000000-0000-4000-8000-000000000000';
    expect((await download(unknown, await signIn(ctx, other.id))).status).toBe(404);
    expect((await download('not-a-uuid', await signIn(ctx, other.id))).status).toBe(404);

    const anonymous = await download(certificate.id);
    expect(anonymous.status).toBe(302);
    expect(anonymous.headers.get('location')).toMatch(/^\/login\?redirectTo=/);
  });

  it('shows the download link on the holder’s dashboard only', async () => {
    const certificate = await issueCertificate(holder.id, 'Αλέξανδρος Παπαδόπουλος');
    const holderView = await outcome(async () =>
      dashboardLoader({ request: makeRequest('/dashboard', { cookie: await signIn(ctx, holder.id) }), context: requestContext(ctx), params: {} }),
    );
    expect((holderView.body as { certificates: Record<string, { id: string }> }).certificates[certificate.offeringId]?.id).toBe(certificate.id);
    const otherView = await outcome(async () =>
      dashboardLoader({ request: makeRequest('/dashboard', { cookie: await signIn(ctx, otherTrainer.id) }), context: requestContext(ctx), params: {} }),
    );
    expect((otherView.body as { certificates: Record<string, unknown> }).certificates).toEqual({});
  });

  it('answers the verify page: the claim for a sound token, 400 with a reason otherwise', async () => {
    const certificate = await issueCertificate(holder.id, 'Αλέξανδρος Παπαδόπουλος');
    const token = (await credentialForCertificate(ctx, certificate.id))!;
    const good = await postVerify(token);
    expect(good.status).toBe(200);
    expect(good.body).toMatchObject({
      problem: null,
      report: {
        holderName: 'Αλέξανδρος Παπαδόπουλος',
        achievementName: 'Inquiry-based science',
        hours: 15,
        issuerId: `${TEST_APP_URL}/badges/issuer`,
        validity: 'current',
        certificate: { code: certificate.code, standing: { state: 'valid' } },
      },
    });

    const [header, body, signature] = token.split('.') as [string, string, string];
    const claims = decodePart(body);
    claims.name = 'Certificate: Rocket science';
    const tampered = await postVerify([header, encodePart(claims), signature].join('.'));
    expect(tampered.status).toBe(400);
    expect(tampered.body).toMatchObject({ problem: 'badSignature', report: null });

    const malformed = await postVerify('eyJhbGciOi.not-a-token');
    expect(malformed.status).toBe(400);
    expect(malformed.body).toMatchObject({ problem: 'malformed', report: null });

    const empty = await postVerify('   ');
    expect(empty.status).toBe(400);
    expect(empty.body).toMatchObject({ problem: null, report: null });

    const broken = await outcome(() =>
      verifyAction({
        request: new Request(`${TEST_APP_URL}/verify/credential`, {
          method: 'POST',
          headers: { 'content-type': 'multipart/form-data; boundary=nope', origin: TEST_APP_URL },
          body: 'garbage',
        }),
        context: requestContext(ctx),
        params: {},
      }),
    );
    expect(broken.status).toBe(400);
  });

  it('keeps verifying what a retired key signed after a rotation', async () => {
    const certificate = await issueCertificate(holder.id, 'Αλέξανδρος Παπαδόπουλος');
    const before = (await credentialForCertificate(ctx, certificate.id))!;
    const oldKid = decodeProtectedHeader(before).kid;
    const newKid = await rotateSigningKey(ctx, new Date());
    expect(newKid).not.toBe(oldKid);

    const jwks = await publishedJwks();
    expect(jwks.keys.map((k) => k.kid)).toEqual([oldKid, newKid]);
    const after = (await credentialForCertificate(ctx, certificate.id))!;
    expect(decodeProtectedHeader(after).kid).toBe(newKid);
    for (const token of [before, after]) {
      await expect(jwtVerify(token, createLocalJWKSet(jwks), { typ: 'vc+jwt' })).resolves.toBeTruthy();
      expect(await verifyCredential(ctx, token, new Date())).toMatchObject({ ok: true, certificate: { standing: { state: 'valid' } } });
    }
    const rows = await ctx.db.select().from(signingKeys);
    expect(rows.filter((r) => r.retiredAt === null).map((r) => r.kid)).toEqual([newKid]);
  });

  it('cannot use the stored key with a wrong secret', async () => {
    const wrong = { db: ctx.db, config: { ...ctx.config, credentialKeySecret: 'another-secret-that-is-long-enough-1234567890' } };
    const certificate = await issueCertificate(holder.id, 'Αλέξανδρος Παπαδόπουλος');
    const failure = await credentialForCertificate(wrong, certificate.id).then(
      () => null,
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(ConfigError);
    expect((failure as ConfigError).variable).toBe('CREDENTIAL_KEY_SECRET');
    // The stored private key is not readable as it is.
    const rows = await ctx.db.select().from(signingKeys);
    for (const row of rows) expect(row.privateKeyEncrypted).not.toMatch(/"d"|Ed25519/);
  });
});

describe('signing key creation', () => {
  let ctx: TestContext;
  beforeAll(async () => {
    ctx = await createTestContext({ jobs: recordingJobQueue() });
  });
  afterAll(async () => {
    await ctx?.close();
  });

  it('makes exactly one key when several processes start at once', async () => {
    const handles = [ctx.handle, createDatabase({ kind: 'postgres', url: ctx.handle.url!, poolSize: 2 }), createDatabase({ kind: 'postgres', url: ctx.handle.url!, poolSize: 2 })];
    try {
      const starters = handles.flatMap((handle) => [0, 1].map(() => ensureSigningKey({ db: handle.db, config: ctx.config }, new Date())));
      const kids = await Promise.all(starters);
      expect(new Set(kids).size).toBe(1);
      const rows = await ctx.db.select().from(signingKeys);
      expect(rows).toHaveLength(1);
      expect(rows[0]!.kid).toBe(kids[0]);
      // Kept: a later start finds it.
      expect(await ensureSigningKey(ctx, new Date())).toBe(kids[0]);
    } finally {
      await Promise.all(handles.slice(1).map((handle) => handle.close()));
    }
  });
});
