import { redirect, type ActionFunctionArgs } from '@remix-run/node';
import { endAllSessions, endSession } from '~/modules/auth/sign-in.server';
import { getViewer } from '~/modules/auth/viewer.server';
import { redirectWithFlash } from '~/modules/ui/flash.server';
import { readFormData } from '~/modules/forms/read-form.server';

/** POST only: signing out by a GET link would let any page sign people out. */
export async function action({ request, context }: ActionFunctionArgs) {
  const form = await readFormData(request);
  const viewer = await getViewer(context, request);
  if (form.get('scope') === 'everywhere' && viewer) {
    const setCookie = await endAllSessions(context, viewer.id);
    return redirectWithFlash(context, request, '/login', { key: 'auth.logout.everywhereDone', tone: 'success' }, { 'Set-Cookie': setCookie });
  }
  const setCookie = await endSession(context, request);
  return redirectWithFlash(context, request, '/', { key: 'auth.logout.done', tone: 'success' }, { 'Set-Cookie': setCookie });
}

export function loader() {
  return redirect('/');
}
