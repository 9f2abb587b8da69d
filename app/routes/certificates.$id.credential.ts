import type { LoaderFunctionArgs } from '@remix-run/node';
import { credentialDownload } from '~/modules/badges/credentials.server';

/**
 * The certificate's Open Badges 3.0 credential as a VC-JWT file, for its
 * holder, the offering's trainers and admins (anyone else: 404).
 */
export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { token, filename } = await credentialDownload(context, request, params.id, new Date());
  return new Response(token, {
    headers: {
      'Content-Type': 'application/vc+jwt',
      'Content-Disposition': `attachment; filename="${filename}"`,
      // Personal data: never kept by a shared cache.
      'Cache-Control': 'private, no-store',
    },
  });
}
