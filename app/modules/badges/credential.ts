import { createHash } from 'node:crypto';
import type { CertificateSnapshot } from '#db/schema';
import { i18nFor } from '../i18n/i18n';
import { translateKey } from '../i18n/translate';

/**
 * The Open Badges 3.0 `OpenBadgeCredential` a certificate also is
 * (docs/decisions/0011-open-badges.md). Pure: built from the certificate
 * row, the holder's address and the app URL only, so the same certificate
 * always gives the same claims (and, Ed25519 being deterministic, the same
 * token).
 */
export const VC_CONTEXT = 'https://www.w3.org/ns/credentials/v2';
export const OB_CONTEXT = 'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json';
export const OB_SCHEMA = 'https://purl.imsglobal.org/spec/ob/v3p0/schema/json/ob_v3p0_achievementcredential_schema.json';
export const CREDENTIAL_TYPES = ['VerifiableCredential', 'OpenBadgeCredential'] as const;
/** The JOSE `typ` (and the download's media type without `application/`), per VC-JOSE-COSE. */
export const VC_JWT_TYPE = 'vc+jwt';

export type OfferingKind = CertificateSnapshot['offeringKind'];

export interface IdentityObject {
  type: 'IdentityObject';
  identityHash: string;
  identityType: 'name' | 'emailAddress';
  hashed: boolean;
  salt?: string;
}

export interface IssuerProfile {
  id: string;
  type: ['Profile'];
  name: string;
  url: string;
  description?: string;
}

export interface OpenBadgeCredential {
  '@context': [typeof VC_CONTEXT, typeof OB_CONTEXT];
  id: string;
  type: ['VerifiableCredential', 'OpenBadgeCredential'];
  issuer: IssuerProfile;
  validFrom: string;
  name: string;
  credentialSubject: {
    type: ['AchievementSubject'];
    identifier: IdentityObject[];
    activityStartDate?: string;
    activityEndDate?: string;
    /** Hours: expected learning time for courses, attended time for live kinds. */
    creditsEarned?: number;
    achievement: {
      id: string;
      type: ['Achievement'];
      achievementType: 'Course' | 'CertificateOfCompletion';
      name: string;
      description: string;
      criteria: { narrative: string };
      /** Hours of expected learning (courses only: live kinds have no fixed amount). */
      creditsAvailable?: number;
      inLanguage: string;
    };
  };
  credentialSchema: [{ id: typeof OB_SCHEMA; type: '1EdTechJsonSchemaValidator2019' }];
}

export function issuerId(appUrl: string): string {
  return `${appUrl}/badges/issuer`;
}

/** The credential's id is the certificate's public verification page. */
export function credentialId(appUrl: string, code: string): string {
  return `${appUrl}/verify/${code}`;
}

/** The code in a credential id of ours, or null for any other id. */
export function codeFromCredentialId(appUrl: string, id: unknown): string | null {
  const prefix = `${appUrl}/verify/`;
  if (typeof id !== 'string' || !id.startsWith(prefix)) return null;
  const code = id.slice(prefix.length);
  return /^[0-9A-Z]{6,32}$/.test(code) ? code : null;
}

/** The public issuer profile (JSON-LD), as /badges/issuer serves it and credentials embed it. */
export function issuerProfile(appUrl: string, organisationName: string, homepage = appUrl): IssuerProfile {
  return { id: issuerId(appUrl), type: ['Profile'], name: organisationName, url: homepage };
}

const isCourse = (kind: OfferingKind) => kind === 'mooc' || kind === 'short_course';

/** Minutes as hours with at most two decimals (90 → 1.5). */
export function hoursFrom(minutes: number): number {
  return Math.round((minutes / 60) * 100) / 100;
}

/** An xsd:dateTimeStamp without milliseconds. */
function timestamp(instant: Date | string): string {
  return new Date(instant).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/**
 * OB 3.0's hashed email identity: "sha256$" + hex(SHA-256(address + salt)).
 * The salt is derived from the certificate, so it differs per credential
 * (no one can link two credentials of one person by the hash) yet stays the
 * same for the same certificate.
 */
export function hashedEmailIdentity(email: string, certificateId: string): IdentityObject {
  const salt = createHash('sha256').update(`kollega-ob3-salt:${certificateId}`).digest('base64url').slice(0, 22);
  const identityHash = 'sha256$' + createHash('sha256').update(email.trim().toLowerCase() + salt).digest('hex');
  return { type: 'IdentityObject', identityHash, identityType: 'emailAddress', hashed: true, salt };
}

export interface CredentialSource {
  appUrl: string;
  certificate: { id: string; code: string; issuedAt: Date; snapshot: CertificateSnapshot };
  holderEmail: string;
}

export function buildOpenBadgeCredential({ appUrl, certificate, holderEmail }: CredentialSource): OpenBadgeCredential {
  const { snapshot } = certificate;
  const t = i18nFor(snapshot.language).t;
  const kindName = translateKey(t, `offerings.kinds.${snapshot.offeringKind}`);
  const course = isCourse(snapshot.offeringKind);
  const minutes = course ? snapshot.expectedMinutes : snapshot.attendedMinutes;
  const hours = minutes !== null && minutes > 0 ? hoursFrom(minutes) : null;
  const by = snapshot.issuer.organisationName;

  const description = [
    translateKey(t, 'badges.credential.description', { kind: kindName, title: snapshot.offeringTitle, organisation: by, platform: snapshot.issuer.platformName }),
    hours !== null ? translateKey(t, course ? 'badges.credential.expectedHours' : 'badges.credential.attendedHours', { hours }) : null,
    snapshot.trainers.length > 0 ? translateKey(t, 'badges.credential.trainers', { names: snapshot.trainers.join(', ') }) : null,
  ]
    .filter(Boolean)
    .join(' ');

  return {
    '@context': [VC_CONTEXT, OB_CONTEXT],
    id: credentialId(appUrl, certificate.code),
    type: ['VerifiableCredential', 'OpenBadgeCredential'],
    issuer: issuerProfile(appUrl, by, snapshot.issuer.url || appUrl),
    validFrom: timestamp(certificate.issuedAt),
    name: translateKey(t, 'badges.credential.name', { title: snapshot.offeringTitle }),
    credentialSubject: {
      type: ['AchievementSubject'],
      identifier: [
        { type: 'IdentityObject', identityHash: snapshot.holderName, identityType: 'name', hashed: false },
        hashedEmailIdentity(holderEmail, certificate.id),
      ],
      ...(snapshot.startsAt ? { activityStartDate: timestamp(snapshot.startsAt) } : {}),
      activityEndDate: timestamp(snapshot.completedAt),
      ...(hours !== null ? { creditsEarned: hours } : {}),
      achievement: {
        id: `${appUrl}/offerings/${snapshot.offeringSlug}`,
        type: ['Achievement'],
        achievementType: course ? 'Course' : 'CertificateOfCompletion',
        name: snapshot.offeringTitle,
        description,
        criteria: { narrative: translateKey(t, `badges.criteria.${snapshot.offeringKind}`) },
        ...(course && hours !== null ? { creditsAvailable: hours } : {}),
        inLanguage: snapshot.language,
      },
    },
    credentialSchema: [{ id: OB_SCHEMA, type: '1EdTechJsonSchemaValidator2019' }],
  };
}

/** The shape checks a verifier needs before it trusts the claim's fields. */
export function looksLikeOpenBadgeCredential(value: unknown): value is OpenBadgeCredential {
  if (!value || typeof value !== 'object') return false;
  const c = value as Partial<OpenBadgeCredential>;
  const types = Array.isArray(c.type) ? (c.type as string[]) : [];
  const contexts = Array.isArray(c['@context']) ? (c['@context'] as string[]) : [];
  const subject = c.credentialSubject;
  return (
    contexts[0] === VC_CONTEXT &&
    contexts.includes(OB_CONTEXT) &&
    CREDENTIAL_TYPES.every((type) => types.includes(type)) &&
    typeof c.id === 'string' &&
    typeof c.validFrom === 'string' &&
    typeof c.name === 'string' &&
    !!c.issuer &&
    typeof c.issuer === 'object' &&
    typeof c.issuer.id === 'string' &&
    !!subject &&
    typeof subject === 'object' &&
    !!subject.achievement &&
    typeof subject.achievement === 'object' &&
    typeof subject.achievement.name === 'string' &&
    Array.isArray(subject.identifier)
  );
}

/** The holder's name as the credential states it (an unhashed name identity). */
export function holderNameOf(credential: OpenBadgeCredential): string | null {
  const identity = credential.credentialSubject.identifier.find((i) => i && i.identityType === 'name' && i.hashed === false);
  return typeof identity?.identityHash === 'string' ? identity.identityHash : null;
}
