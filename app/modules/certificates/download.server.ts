import { requireViewer } from '../auth/viewer.server';
import type { RequestContext } from '../context.server';
import { offeringAccess } from '../offerings/access.server';
import { notFound, requirePermission } from '../policy/guard.server';
import { isUuid } from '../ui/ids';
import { formatCode } from './code';
import { renderCertificatePdf } from './pdf.server';
import { findCertificateForDownload } from './queries.server';

/**
 * A certificate's PDF for the person asking: its holder, the offering's
 * trainers and admins (any of its certificates, replaced and revoked ones
 * too: the file verifies as what it is). Everyone else, and ids that name
 * nothing, get 404 once signed in, so ids cannot be probed.
 */
export async function certificatePdfDownload(context: RequestContext, request: Request, certificateId: string | undefined) {
  if (!isUuid(certificateId)) {
    await requireViewer(context, request);
    notFound();
  }
  const row = await findCertificateForDownload(context.db, certificateId);
  const access = row ? await offeringAccess(context.db, row.offeringId) : null;
  if (!row || !access) {
    await requireViewer(context, request);
    notFound();
  }
  await requirePermission(context, request, { action: 'certificate.download', certificate: { holderId: row.userId }, offering: access });
  const pdf = await renderCertificatePdf(row);
  return { pdf, filename: `certificate-${formatCode(row.code)}.pdf` };
}
