/**
 * Where a certificate stands now, as a verifier is told. A withdrawn
 * certificate (its holder erased their account) says nothing more; a
 * revocation outranks a later supersession, since the revoked claim was
 * never true.
 */
export type CertificateStanding =
  | { state: 'valid' }
  | { state: 'revoked'; at: string; reason: string }
  | { state: 'superseded'; at: string; byCode: string | null }
  | { state: 'withdrawn'; at: string };

export interface CertificateStatusFacts {
  revokedAt: Date | null;
  revocationReason: string | null;
  supersededAt: Date | null;
  supersededByCode: string | null;
  withdrawnAt: Date | null;
}

export function certificateStanding(facts: CertificateStatusFacts): CertificateStanding {
  if (facts.withdrawnAt) return { state: 'withdrawn', at: facts.withdrawnAt.toISOString() };
  if (facts.revokedAt) return { state: 'revoked', at: facts.revokedAt.toISOString(), reason: facts.revocationReason ?? '' };
  if (facts.supersededAt) return { state: 'superseded', at: facts.supersededAt.toISOString(), byCode: facts.supersededByCode };
  return { state: 'valid' };
}
