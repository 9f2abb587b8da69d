import type { LoaderFunctionArgs } from '@remix-run/node';
import { publishedKeys } from '~/modules/badges/signing-keys.server';

/**
 * /.well-known/jwks.json: the public keys credentials are signed with,
 * retired ones included so older credentials keep verifying. Cached for
 * minutes only: a new key must reach verifiers soon after a rotation.
 */
export async function loader({ context }: LoaderFunctionArgs) {
  const keys = await publishedKeys(context.db);
  return Response.json(
    { keys },
    { headers: { 'Content-Type': 'application/jwk-set+json', 'Cache-Control': 'public, max-age=300', 'Access-Control-Allow-Origin': '*' } },
  );
}
