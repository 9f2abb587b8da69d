import { data, redirect } from '@remix-run/node';
import type { RequestContext } from '../context.server';
import { getViewer, type Viewer } from '../auth/viewer.server';
import { can, type Permission } from './policy';

export function policyEnvironment(context: RequestContext) {
  return { development: context.config.env === 'development' };
}

function signInRedirect(request: Request): never {
  const url = new URL(request.url);
  throw redirect(`/login?redirectTo=${encodeURIComponent(url.pathname + url.search)}`);
}

/**
 * The viewer (null when anonymous and the permission allows that), or a
 * thrown response: anonymous visitors are sent to sign in; signed-in people
 * without the permission get 404, so what they probed stays hidden.
 */
export async function authorize(context: RequestContext, request: Request, permission: Permission): Promise<Viewer | null> {
  const viewer = await getViewer(context, request);
  if (can(viewer, permission, policyEnvironment(context))) return viewer;
  if (!viewer) signInRedirect(request);
  throw notFound();
}

/** Like authorize, for permissions that always need a signed-in person. */
export async function requirePermission(context: RequestContext, request: Request, permission: Permission): Promise<Viewer> {
  const viewer = await authorize(context, request, permission);
  if (!viewer) signInRedirect(request);
  return viewer;
}

/**
 * For pages about one's own account (profile, validation request, data export, deletion): there is
 * no user id in the URL; anonymous visitors sign in, and the policy is asked about the viewer's own account.
 */
export async function requireOwnAccount(context: RequestContext, request: Request): Promise<Viewer> {
  const viewer = await getViewer(context, request);
  if (!viewer) signInRedirect(request);
  return requirePermission(context, request, { action: 'account.manage', userId: viewer.id });
}

export function notFound(): never {
  throw data({ message: 'Not found' }, { status: 404 });
}
