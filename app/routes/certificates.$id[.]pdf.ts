import type { LoaderFunctionArgs } from '@remix-run/node';
import { certificatePdfDownload } from '~/modules/certificates/download.server';

/** A certificate's PDF: for its holder, the offering's trainers and admins; 404 for everyone else. */
export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { pdf, filename } = await certificatePdfDownload(context, request, params.id);
  return new Response(new Uint8Array(pdf), {
    headers: {
      'Content-Type': 'application/pdf',
      'Content-Disposition': `attachment; filename="${filename}"`,
      'Content-Length': String(pdf.byteLength),
      'Cache-Control': 'private, no-store',
    },
  });
}
