import type { LoaderFunctionArgs } from '@remix-run/node';
import { databaseIsUp } from '~/modules/health/health.server';

export async function loader({ context }: LoaderFunctionArgs) {
  const up = await databaseIsUp(context);
  return Response.json(up ? { ok: true, db: 'up' } : { ok: false, db: 'down' }, {
    status: up ? 200 : 503,
    headers: { 'Cache-Control': 'no-store' },
  });
}
