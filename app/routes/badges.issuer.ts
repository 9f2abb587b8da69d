import type { LoaderFunctionArgs } from '@remix-run/node';
import { issuerProfileDocument } from '~/modules/badges/issuer.server';

/** The Open Badges issuer Profile (JSON-LD) that every credential's `issuer.id` points at. */
export async function loader({ context }: LoaderFunctionArgs) {
  return Response.json(issuerProfileDocument(context.config), {
    headers: { 'Content-Type': 'application/ld+json', 'Cache-Control': 'public, max-age=3600' },
  });
}
