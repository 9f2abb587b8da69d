import { eq } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import { CompactSign, compactVerify, decodeProtectedHeader, errors as joseErrors, importJWK } from 'jose';
import type { Executor } from '#db/client';
import { certificates, users } from '#db/schema';
import { requireViewer } from '../auth/viewer.server';
import type { AppContext, RequestContext } from '../context.server';
import { offeringAccess } from '../offerings/access.server';
import { notFound, requirePermission } from '../policy/guard.server';
import { isUuid } from '../ui/ids';
import {
  buildOpenBadgeCredential,
  codeFromCredentialId,
  issuerId,
  looksLikeOpenBadgeCredential,
  VC_JWT_TYPE,
  type OpenBadgeCredential,
} from './credential';
import { MAX_TOKEN_LENGTH } from './schemas';
import { activeSigningKey, publishedKey, SIGNING_ALGORITHM } from './signing-keys.server';
import { certificateStanding, type CertificateStanding } from './status';

const encoder = new TextEncoder();
const decoder = new TextDecoder();

async function credentialSource(db: Executor, certificateId: string) {
  const [row] = await db
    .select({
      id: certificates.id,
      code: certificates.code,
      issuedAt: certificates.issuedAt,
      snapshot: certificates.snapshot,
      withdrawnAt: certificates.withdrawnAt,
      holderEmail: users.email,
    })
    .from(certificates)
    .leftJoin(users, eq(users.id, certificates.userId))
    .where(eq(certificates.id, certificateId))
    .limit(1);
  return row ?? null;
}

/**
 * The certificate as a signed VC-JWT (VC-JOSE-COSE: the credential itself
 * is the payload; header alg EdDSA, typ vc+jwt, kid). Null when there is no
 * such certificate or its holder's account is gone (withdrawn: no personal
 * data left to state). Revoked and superseded ones are still built, so a
 * copy made earlier can be compared; the download only offers current ones.
 */
export async function credentialForCertificate(context: Pick<AppContext, 'db' | 'config'>, certificateId: string, now = new Date()): Promise<string | null> {
  if (!isUuid(certificateId)) return null;
  const row = await credentialSource(context.db, certificateId);
  if (!row || row.withdrawnAt || row.holderEmail === null) return null;
  const credential = buildOpenBadgeCredential({
    appUrl: context.config.appUrl,
    certificate: { id: row.id, code: row.code, issuedAt: row.issuedAt, snapshot: row.snapshot },
    holderEmail: row.holderEmail,
  });
  return signCredential(context, credential, now);
}

export async function signCredential(context: Pick<AppContext, 'db' | 'config'>, credential: OpenBadgeCredential, now: Date): Promise<string> {
  const key = await activeSigningKey(context, now);
  return new CompactSign(encoder.encode(JSON.stringify(credential)))
    .setProtectedHeader({ alg: SIGNING_ALGORITHM, typ: VC_JWT_TYPE, kid: key.kid })
    .sign(key.privateKey);
}

/**
 * The credential file of a certificate for the person asking: the holder,
 * the offering's trainers and admins. Everyone else, an unknown id and a
 * certificate that is no longer current (revoked, superseded, withdrawn)
 * get 404, so ids cannot be probed.
 */
export async function credentialDownload(context: RequestContext, request: Request, certificateId: string | undefined, now: Date) {
  if (!isUuid(certificateId)) {
    await requireViewer(context, request);
    notFound();
  }
  const [row] = await context.db
    .select({
      userId: certificates.userId,
      offeringId: certificates.offeringId,
      code: certificates.code,
      revokedAt: certificates.revokedAt,
      supersededAt: certificates.supersededAt,
      withdrawnAt: certificates.withdrawnAt,
    })
    .from(certificates)
    .where(eq(certificates.id, certificateId))
    .limit(1);
  const access = row ? await offeringAccess(context.db, row.offeringId) : null;
  if (!row || !access) {
    await requireViewer(context, request);
    notFound();
  }
  await requirePermission(context, request, { action: 'certificate.download', certificate: { holderId: row.userId }, offering: access });
  if (row.revokedAt || row.supersededAt || row.withdrawnAt) notFound();
  const token = await credentialForCertificate(context, certificateId, now);
  if (!token) notFound();
  return { token, filename: `certificate-${row.code}.jwt` };
}

export type CredentialProblem = 'malformed' | 'unknownKey' | 'badSignature' | 'notCredential' | 'wrongIssuer';

export type CredentialCheck =
  | { ok: false; problem: CredentialProblem }
  | {
      ok: true;
      kid: string;
      credential: OpenBadgeCredential;
      /** Against the credential's own validFrom / validUntil. */
      validity: 'current' | 'notYetValid' | 'expired';
      /** The certificate now; null if the credential names no certificate we know. */
      certificate: { code: string; standing: CertificateStanding } | null;
    };

async function standingByCode(db: Executor, code: string) {
  const successor = alias(certificates, 'successor');
  const [row] = await db
    .select({
      code: certificates.code,
      revokedAt: certificates.revokedAt,
      revocationReason: certificates.revocationReason,
      supersededAt: certificates.supersededAt,
      supersededByCode: successor.code,
      withdrawnAt: certificates.withdrawnAt,
    })
    .from(certificates)
    .leftJoin(successor, eq(successor.id, certificates.supersededById))
    .where(eq(certificates.code, code))
    .limit(1);
  return row ? { code: row.code, standing: certificateStanding(row) } : null;
}

/**
 * Checks a pasted VC-JWT the way an outside verifier would: a compact JWS
 * with our header, signed by a key in our JWKS (active or retired), an
 * OpenBadgeCredential naming us as issuer, inside its validity dates; then
 * looks up what became of the certificate. Never throws for bad input.
 */
export async function verifyCredential(context: Pick<AppContext, 'db' | 'config'>, token: string, now = new Date()): Promise<CredentialCheck> {
  const compact = token.replace(/\s+/g, '');
  if (compact.length === 0 || compact.length > MAX_TOKEN_LENGTH || !/^[\w-]+\.[\w-]+\.[\w-]+$/.test(compact)) return { ok: false, problem: 'malformed' };

  let header: ReturnType<typeof decodeProtectedHeader>;
  try {
    header = decodeProtectedHeader(compact);
  } catch {
    return { ok: false, problem: 'malformed' };
  }
  if (header.alg !== SIGNING_ALGORITHM || header.typ !== VC_JWT_TYPE || typeof header.kid !== 'string') return { ok: false, problem: 'malformed' };

  const jwk = await publishedKey(context.db, header.kid);
  if (!jwk) return { ok: false, problem: 'unknownKey' };

  let payload: Uint8Array;
  try {
    ({ payload } = await compactVerify(compact, await importJWK(jwk, SIGNING_ALGORITHM), { algorithms: [SIGNING_ALGORITHM] }));
  } catch (error) {
    if (error instanceof joseErrors.JWSSignatureVerificationFailed) return { ok: false, problem: 'badSignature' };
    return { ok: false, problem: 'malformed' };
  }

  let credential: unknown;
  try {
    credential = JSON.parse(decoder.decode(payload));
  } catch {
    return { ok: false, problem: 'notCredential' };
  }
  if (!looksLikeOpenBadgeCredential(credential)) return { ok: false, problem: 'notCredential' };
  if (credential.issuer.id !== issuerId(context.config.appUrl)) return { ok: false, problem: 'wrongIssuer' };

  const validFrom = Date.parse(credential.validFrom);
  const validUntilText = (credential as { validUntil?: unknown }).validUntil;
  const validUntil = typeof validUntilText === 'string' ? Date.parse(validUntilText) : null;
  if (Number.isNaN(validFrom) || Number.isNaN(validUntil)) return { ok: false, problem: 'notCredential' };
  const validity = validFrom > now.getTime() ? 'notYetValid' : validUntil !== null && validUntil < now.getTime() ? 'expired' : 'current';

  const code = codeFromCredentialId(context.config.appUrl, credential.id);
  const certificate = code ? await standingByCode(context.db, code) : null;
  return { ok: true, kid: header.kid, credential, validity, certificate };
}
