import { holderNameOf, type OpenBadgeCredential } from './credential';
import type { CertificateStanding } from './status';

/** What the verification page shows of a credential whose signature checked out. */
export interface CredentialReport {
  holderName: string | null;
  credentialName: string;
  achievementName: string;
  achievementType: string | null;
  criteria: string | null;
  description: string | null;
  hours: number | null;
  /** Courses state expected learning hours, live kinds attended hours. */
  hoursKind: 'expected' | 'attended';
  validFrom: string;
  activityStartDate: string | null;
  activityEndDate: string | null;
  issuerName: string;
  issuerId: string;
  validity: 'current' | 'notYetValid' | 'expired';
  /** The code as printed (XXXX-XXXX-XXXX), for links to /verify/<code>. */
  certificate: { code: string; printedCode: string; standing: CertificateStanding; newerPrintedCode: string | null } | null;
}

/** XXXX-XXXX-XXXX, as the certificate prints its code. */
const formatCode = (code: string) => code.match(/.{1,4}/g)?.join('-') ?? code;
const textOrNull = (value: unknown) => (typeof value === 'string' && value.length > 0 ? value : null);
const numberOrNull = (value: unknown) => (typeof value === 'number' && Number.isFinite(value) ? value : null);

export function credentialReport(
  credential: OpenBadgeCredential,
  validity: CredentialReport['validity'],
  certificate: { code: string; standing: CertificateStanding } | null,
): CredentialReport {
  const subject = credential.credentialSubject;
  const achievement = subject.achievement;
  return {
    holderName: holderNameOf(credential),
    credentialName: credential.name,
    achievementName: achievement.name,
    achievementType: textOrNull(achievement.achievementType),
    criteria: textOrNull(achievement.criteria?.narrative),
    description: textOrNull(achievement.description),
    hours: numberOrNull(subject.creditsEarned),
    hoursKind: numberOrNull(achievement.creditsAvailable) !== null ? 'expected' : 'attended',
    validFrom: credential.validFrom,
    activityStartDate: textOrNull(subject.activityStartDate),
    activityEndDate: textOrNull(subject.activityEndDate),
    issuerName: textOrNull(credential.issuer.name) ?? credential.issuer.id,
    issuerId: credential.issuer.id,
    validity,
    certificate: certificate && {
      ...certificate,
      printedCode: formatCode(certificate.code),
      newerPrintedCode: certificate.standing.state === 'superseded' && certificate.standing.byCode ? formatCode(certificate.standing.byCode) : null,
    },
  };
}
