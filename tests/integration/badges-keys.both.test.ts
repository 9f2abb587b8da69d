import { createLocalJWKSet, decodeProtectedHeader, jwtVerify, type JSONWebKeySet } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signingKeys } from '#db/schema';
import { buildOpenBadgeCredential } from '~/modules/badges/credential';
import { signCredential, verifyCredential } from '~/modules/badges/credentials.server';
import { decryptPrivateKey, KeyDecryptionError } from '~/modules/badges/key-encryption.server';
import { activeSigningKey, ensureSigningKey } from '~/modules/badges/signing-keys.server';
import { ConfigError } from '~/modules/config/config.server';
import { loader as jwksLoader } from '~/routes/[.]well-known.jwks[.]json';
import { createTestContext, recordingJobQueue, TEST_APP_URL, type TestContext } from '../support/context';
import { makeRequest, requestContext } from '../support/requests';

const SECRET = 'credential-key-secret-for-the-both-drivers-test';

/** The signing key on either driver: PGlite (embedded mode) keeps it in the same table. */
describe('signing key (both drivers)', () => {
  let ctx: TestContext;
  beforeAll(async () => {
    ctx = await createTestContext({ jobs: recordingJobQueue(), env: { CREDENTIAL_KEY_SECRET: SECRET } });
  });
  afterAll(async () => {
    await ctx?.close();
  });

  it('is made once on first start, kept, and stored encrypted with the configured secret', async () => {
    const now = new Date();
    const [first, second] = await Promise.all([ensureSigningKey(ctx, now), ensureSigningKey(ctx, now)]);
    expect(second).toBe(first);
    expect(await ensureSigningKey(ctx, new Date())).toBe(first);
    const rows = await ctx.db.select().from(signingKeys);
    expect(rows).toHaveLength(1);
    const row = rows[0]!;
    expect(row.kid).toBe(first);
    expect(row.retiredAt).toBeNull();
    expect(JSON.parse(decryptPrivateKey(row.privateKeyEncrypted, row.kid, SECRET))).toMatchObject({ kty: 'OKP', crv: 'Ed25519', x: row.publicJwk.x });
    expect(() => decryptPrivateKey(row.privateKeyEncrypted, row.kid, ctx.config.sessionSecret)).toThrow(KeyDecryptionError);
  });

  it('refuses to sign with a secret that does not decrypt the key', async () => {
    const wrong = { db: ctx.db, config: { ...ctx.config, credentialKeySecret: ctx.config.sessionSecret } };
    await expect(activeSigningKey(wrong, new Date())).rejects.toBeInstanceOf(ConfigError);
    await expect(activeSigningKey(wrong, new Date())).rejects.toThrow(/CREDENTIAL_KEY_SECRET/);
    // The right secret still works after the failure.
    expect((await activeSigningKey(ctx, new Date())).kid).toBe((await ctx.db.select().from(signingKeys))[0]!.kid);
  });

  it('signs credentials that verify against the published JWKS', async () => {
    const credential = buildOpenBadgeCredential({
      appUrl: TEST_APP_URL,
      certificate: {
        id: '3f0d5f7e-5a3e-4c55-8f0a-9a9d8a0c1b22',
        code: 'ZZZZZZZZZZZZ',
        issuedAt: new Date('2026-02-01T10:00:00Z'),
        snapshot: {
          holderName: 'Şükrü Öztürk',
          offeringTitle: 'Digital storytelling',
          offeringKind: 'webinar_series',
          offeringSlug: 'storytelling',
          expectedMinutes: null,
          attendedMinutes: 125,
          startsAt: '2026-01-10T15:00:00.000Z',
          endsAt: '2026-01-24T16:00:00.000Z',
          completedAt: '2026-01-24T16:00:00.000Z',
          issuer: { platformName: 'Kollega', organisationName: 'Kollega', url: TEST_APP_URL },
          trainers: [],
          language: 'sv',
          timeZone: 'Europe/Stockholm',
        },
      },
      holderEmail: 'sukru@example.test',
    });
    const token = await signCredential(ctx, credential, new Date());
    const response = (await jwksLoader({ request: makeRequest('/.well-known/jwks.json'), context: requestContext(ctx), params: {} })) as Response;
    const jwks = (await response.json()) as JSONWebKeySet;
    const { payload } = await jwtVerify(token, createLocalJWKSet(jwks), { typ: 'vc+jwt' });
    expect(payload).toEqual(JSON.parse(JSON.stringify(credential)));
    expect(decodeProtectedHeader(token).kid).toBe(jwks.keys[0]!.kid);
    // Signed by us, but no certificate with that code exists here.
    expect(await verifyCredential(ctx, token, new Date())).toMatchObject({ ok: true, validity: 'current', certificate: null });
  });
});
