import { UNSAFE_flatRoutes as flatRoutes } from '@remix-run/dev';
import { createHash } from 'node:crypto';
import { rmSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { CertificateSnapshot } from '#db/schema';
import {
  buildOpenBadgeCredential,
  codeFromCredentialId,
  hashedEmailIdentity,
  holderNameOf,
  hoursFrom,
  looksLikeOpenBadgeCredential,
  OB_CONTEXT,
  VC_CONTEXT,
} from '~/modules/badges/credential';
import { decryptPrivateKey, encryptPrivateKey, KeyDecryptionError } from '~/modules/badges/key-encryption.server';
import { credentialReport } from '~/modules/badges/report';
import { verifyCredentialSchema } from '~/modules/badges/schemas';
import { certificateStanding } from '~/modules/badges/status';
import { ConfigError, loadConfig } from '~/modules/config/config.server';
import { can, type Actor } from '~/modules/policy/policy';
import { makeTempDir } from '../support/context';

const APP = 'https://academy.example.org';
const SECRET = 'a-credential-key-secret-of-more-than-32-chars';

function snapshot(overrides: Partial<CertificateSnapshot> = {}): CertificateSnapshot {
  return {
    holderName: 'Łucja Żółkiewska',
    offeringTitle: 'Inquiry-based science',
    offeringKind: 'mooc',
    offeringSlug: 'inquiry-science-2026',
    expectedMinutes: 15 * 60,
    attendedMinutes: null,
    startsAt: '2026-03-02T08:00:00.000Z',
    endsAt: '2026-04-10T21:59:00.000Z',
    completedAt: '2026-04-01T12:30:45.123Z',
    issuer: { platformName: 'Kollega', organisationName: 'European Schoolnet Academy', url: APP },
    trainers: ['Ana Pérez', 'Jonas Berg'],
    language: 'en',
    timeZone: 'Europe/Oslo',
    ...overrides,
  };
}

const certificate = (overrides: Partial<CertificateSnapshot> = {}, id = '6d1c3c1e-9a55-4b7a-9a1e-0c7f4f0e2b11') => ({
  id,
  code: '7KQ2M9XW4RTB',
  issuedAt: new Date('2026-04-01T12:31:02.456Z'),
  snapshot: snapshot(overrides),
});

describe('OpenBadgeCredential from a certificate', () => {
  const credential = buildOpenBadgeCredential({ appUrl: APP, certificate: certificate(), holderEmail: 'Lucja@School.example' });

  it('uses the VC 2.0 and OB 3.0 contexts, types, our issuer and the verification page as id', () => {
    expect(credential['@context']).toEqual([VC_CONTEXT, OB_CONTEXT]);
    expect(credential.type).toEqual(['VerifiableCredential', 'OpenBadgeCredential']);
    expect(credential.id).toBe(`${APP}/verify/7KQ2M9XW4RTB`);
    expect(credential.issuer).toEqual({ id: `${APP}/badges/issuer`, type: ['Profile'], name: 'European Schoolnet Academy', url: APP });
    expect(credential.validFrom).toBe('2026-04-01T12:31:02Z');
    expect(credential.name).toBe('Certificate: Inquiry-based science');
    expect(looksLikeOpenBadgeCredential(credential)).toBe(true);
  });

  it('describes the course as an Achievement with its criteria and hours', () => {
    const { achievement } = credential.credentialSubject;
    expect(credential.credentialSubject.type).toEqual(['AchievementSubject']);
    expect(achievement).toMatchObject({
      id: `${APP}/offerings/inquiry-science-2026`,
      type: ['Achievement'],
      achievementType: 'Course',
      name: 'Inquiry-based science',
      creditsAvailable: 15,
      inLanguage: 'en',
    });
    expect(achievement.criteria.narrative).toContain('every required activity');
    expect(achievement.description).toContain('European Schoolnet Academy');
    expect(achievement.description).toContain('15 hours');
    expect(achievement.description).toContain('Ana Pérez, Jonas Berg');
    expect(credential.credentialSubject.creditsEarned).toBe(15);
    expect(credential.credentialSubject.activityStartDate).toBe('2026-03-02T08:00:00Z');
    expect(credential.credentialSubject.activityEndDate).toBe('2026-04-01T12:30:45Z');
  });

  it('names the holder plainly and identifies them by a salted hash of their address', () => {
    const [name, email] = credential.credentialSubject.identifier;
    expect(name).toEqual({ type: 'IdentityObject', identityHash: 'Łucja Żółkiewska', identityType: 'name', hashed: false });
    expect(holderNameOf(credential)).toBe('Łucja Żółkiewska');
    expect(email!.identityType).toBe('emailAddress');
    expect(email!.hashed).toBe(true);
    const expected = createHash('sha256').update('lucja@school.example' + email!.salt).digest('hex');
    expect(email!.identityHash).toBe(`sha256$${expected}`);
    expect(JSON.stringify(credential)).not.toContain('school.example');
  });

  it('salts each certificate differently, and the same certificate the same', () => {
    const a = hashedEmailIdentity('x@example.test', 'cert-a');
    expect(hashedEmailIdentity('x@example.test', 'cert-a')).toEqual(a);
    const b = hashedEmailIdentity('x@example.test', 'cert-b');
    expect(b.salt).not.toBe(a.salt);
    expect(b.identityHash).not.toBe(a.identityHash);
  });

  it('gives the same claims for the same certificate', () => {
    const again = buildOpenBadgeCredential({ appUrl: APP, certificate: certificate(), holderEmail: 'Lucja@School.example' });
    expect(JSON.stringify(again)).toBe(JSON.stringify(credential));
  });

  it('states attended hours for a webinar, and no hours on offer', () => {
    const webinar = buildOpenBadgeCredential({
      appUrl: APP,
      certificate: certificate({ offeringKind: 'webinar', expectedMinutes: null, attendedMinutes: 50, startsAt: null }),
      holderEmail: 'a@b.test',
    });
    expect(webinar.credentialSubject.creditsEarned).toBe(0.83);
    expect(webinar.credentialSubject.achievement.creditsAvailable).toBeUndefined();
    expect(webinar.credentialSubject.achievement.achievementType).toBe('CertificateOfCompletion');
    expect(webinar.credentialSubject.activityStartDate).toBeUndefined();
    expect(webinar.credentialSubject.achievement.criteria.narrative).toContain('attendance threshold');
    expect(webinar.credentialSubject.achievement.description).toContain('Time attended: 0.83 hours');
  });

  it('is written in the holder’s language', () => {
    const fi = buildOpenBadgeCredential({ appUrl: APP, certificate: certificate({ language: 'fi' }), holderEmail: 'a@b.test' });
    expect(fi.name).toBe('Todistus: Inquiry-based science');
    expect(fi.credentialSubject.achievement.inLanguage).toBe('fi');
    const nb = buildOpenBadgeCredential({ appUrl: APP, certificate: certificate({ language: 'nb', offeringKind: 'online_event' }), holderEmail: 'a@b.test' });
    expect(nb.credentialSubject.achievement.criteria.narrative).toContain('direktesendte økter');
  });

  it('reads hours and codes exactly', () => {
    expect(hoursFrom(90)).toBe(1.5);
    expect(hoursFrom(900)).toBe(15);
    expect(codeFromCredentialId(APP, `${APP}/verify/7KQ2M9XW4RTB`)).toBe('7KQ2M9XW4RTB');
    expect(codeFromCredentialId(APP, `https://elsewhere.example/verify/7KQ2M9XW4RTB`)).toBeNull();
    expect(codeFromCredentialId(APP, `${APP}/verify/../admin`)).toBeNull();
    expect(codeFromCredentialId(APP, 42)).toBeNull();
  });

  it('refuses things that are not credentials', () => {
    expect(looksLikeOpenBadgeCredential(null)).toBe(false);
    expect(looksLikeOpenBadgeCredential({ a: 1 })).toBe(false);
    expect(looksLikeOpenBadgeCredential({ ...credential, '@context': [OB_CONTEXT] })).toBe(false);
    expect(looksLikeOpenBadgeCredential({ ...credential, type: ['VerifiableCredential'] })).toBe(false);
    expect(looksLikeOpenBadgeCredential({ ...credential, credentialSubject: { type: ['AchievementSubject'] } })).toBe(false);
  });

  it('reports the claim for the verification page', () => {
    const report = credentialReport(credential, 'current', { code: '7KQ2M9XW4RTB', standing: { state: 'superseded', at: '2026-05-01T00:00:00.000Z', byCode: 'ABCDEFGH2345' } });
    expect(report).toMatchObject({
      holderName: 'Łucja Żółkiewska',
      achievementName: 'Inquiry-based science',
      hours: 15,
      hoursKind: 'expected',
      issuerName: 'European Schoolnet Academy',
      certificate: { printedCode: '7KQ2-M9XW-4RTB', newerPrintedCode: 'ABCD-EFGH-2345' },
    });
  });
});

describe('certificate standing', () => {
  const none = { revokedAt: null, revocationReason: null, supersededAt: null, supersededByCode: null, withdrawnAt: null };
  const at = new Date('2026-05-01T10:00:00Z');

  it('is valid, revoked, superseded or withdrawn, a withdrawal first and a revocation before a supersession', () => {
    expect(certificateStanding(none)).toEqual({ state: 'valid' });
    expect(certificateStanding({ ...none, revokedAt: at, revocationReason: 'Plagiarism' })).toEqual({ state: 'revoked', at: at.toISOString(), reason: 'Plagiarism' });
    expect(certificateStanding({ ...none, supersededAt: at, supersededByCode: 'X' })).toEqual({ state: 'superseded', at: at.toISOString(), byCode: 'X' });
    expect(certificateStanding({ ...none, supersededAt: at, revokedAt: at, revocationReason: 'r' }).state).toBe('revoked');
    expect(certificateStanding({ ...none, revokedAt: at, revocationReason: 'r', withdrawnAt: at }).state).toBe('withdrawn');
  });
});

describe('signing key encryption', () => {
  const jwk = JSON.stringify({ kty: 'OKP', crv: 'Ed25519', x: 'abc', d: 'secret-part' });

  it('round-trips with the right secret and key id, with a fresh IV each time', () => {
    const sealed = encryptPrivateKey(jwk, 'kid-1', SECRET);
    expect(sealed.split('.')).toHaveLength(3);
    expect(sealed).not.toContain('secret-part');
    expect(encryptPrivateKey(jwk, 'kid-1', SECRET)).not.toBe(sealed);
    expect(decryptPrivateKey(sealed, 'kid-1', SECRET)).toBe(jwk);
  });

  it('cannot be read with a wrong secret, under another key id, or when altered', () => {
    const sealed = encryptPrivateKey(jwk, 'kid-1', SECRET);
    expect(() => decryptPrivateKey(sealed, 'kid-1', SECRET + 'x')).toThrow(KeyDecryptionError);
    expect(() => decryptPrivateKey(sealed, 'kid-2', SECRET)).toThrow(KeyDecryptionError);
    const [iv, tag, data] = sealed.split('.') as [string, string, string];
    const flipped = Buffer.from(data, 'base64url');
    flipped[0] = flipped[0]! ^ 1;
    expect(() => decryptPrivateKey([iv, tag, flipped.toString('base64url')].join('.'), 'kid-1', SECRET)).toThrow(KeyDecryptionError);
    expect(() => decryptPrivateKey('not-sealed', 'kid-1', SECRET)).toThrow(KeyDecryptionError);
    expect(() => decryptPrivateKey('a.b.c', 'kid-1', SECRET)).toThrow(KeyDecryptionError);
  });
});

describe('CREDENTIAL_KEY_SECRET', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });
  const base = () => {
    const dir = makeTempDir('kollega-badges-config-');
    dirs.push(dir);
    return { NODE_ENV: 'test', DATA_DIR: dir, SESSION_SECRET: 's'.repeat(40) } as NodeJS.ProcessEnv;
  };

  it('is used when set and falls back to the session secret', () => {
    expect(loadConfig({ ...base(), CREDENTIAL_KEY_SECRET: SECRET }).credentialKeySecret).toBe(SECRET);
    expect(loadConfig(base()).credentialKeySecret).toBe('s'.repeat(40));
  });

  it('must be at least 32 characters, and is not echoed in the error', () => {
    let error: unknown;
    try {
      loadConfig({ ...base(), CREDENTIAL_KEY_SECRET: 'short-secret' });
    } catch (thrown) {
      error = thrown;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).variable).toBe('CREDENTIAL_KEY_SECRET');
    expect((error as ConfigError).message).not.toContain('short-secret');
  });
});

describe('the verify form', () => {
  it('needs a token and refuses an oversized paste', () => {
    expect(verifyCredentialSchema.safeParse({ token: '  ' }).success).toBe(false);
    expect(verifyCredentialSchema.safeParse({ token: 'x'.repeat(20_001) }).success).toBe(false);
    expect(verifyCredentialSchema.safeParse({ token: ' a.b.c\n' })).toMatchObject({ success: true, data: { token: 'a.b.c' } });
  });
});

describe('certificate.download', () => {
  const person = (id: string, roles: Actor['roles'] = []): Actor => ({ id, roles, country: 'NO', emailVerified: true });
  const offering = { status: 'published' as const, trainerIds: ['trainer'] };
  const allowed = (actor: Actor | null, holderId: string | null = 'holder') =>
    can(actor, { action: 'certificate.download', certificate: { holderId }, offering }, { development: false });

  it('lets the holder, the offering’s own trainers and admins download, nobody else', () => {
    expect(allowed(person('holder'))).toBe(true);
    expect(allowed(person('trainer', [{ role: 'trainer', country: '' }]))).toBe(true);
    expect(allowed(person('boss', [{ role: 'admin', country: '' }]))).toBe(true);
    expect(allowed(person('someone-else'))).toBe(false);
    expect(allowed(person('other-trainer', [{ role: 'trainer', country: '' }]))).toBe(false);
    expect(allowed(person('nso', [{ role: 'nso', country: 'NO' }]))).toBe(false);
    expect(allowed(null)).toBe(false);
    // A holder whose account is gone matches nobody.
    expect(allowed(person('holder'), null)).toBe(false);
  });
});

describe('routes', () => {
  it('map the escaped flat-route file names to the public paths', () => {
    const routes = Object.values(flatRoutes(path.resolve('app'), [], 'routes'));
    const pathOf = (file: string) => routes.find((r) => r.file === `routes/${file}`)?.path;
    expect(pathOf('[.]well-known.jwks[.]json.ts')).toBe('.well-known/jwks.json');
    expect(pathOf('badges.issuer.ts')).toBe('badges/issuer');
    expect(pathOf('certificates.$id.credential.ts')).toBe('certificates/:id/credential');
    expect(pathOf('verify.credential.tsx')).toBe('verify/credential');
    // Resources, not pages: no layout may wrap them.
    for (const file of ['[.]well-known.jwks[.]json.ts', 'badges.issuer.ts', 'certificates.$id.credential.ts']) {
      expect(routes.find((r) => r.file === `routes/${file}`)?.parentId).toBe('root');
    }
  });
});
