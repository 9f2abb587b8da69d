import { redirect, type ActionFunctionArgs } from '@remix-run/node';
import { cookies } from '~/modules/auth/cookies.server';
import { getViewer } from '~/modules/auth/viewer.server';
import { isLocale } from '~/modules/i18n/locales';
import { safeRedirect } from '~/modules/ui/safe-redirect';
import { setUserLocale } from '~/modules/users/preferences.server';
import { readFormData } from '~/modules/forms/read-form.server';

/** The language switcher posts here; it works without JavaScript. Anyone may change their own language. */
export async function action({ request, context }: ActionFunctionArgs) {
  const form = await readFormData(request);
  const locale = form.get('locale');
  const to = safeRedirect(form.get('redirectTo'));
  if (!isLocale(locale)) return redirect(to);
  const viewer = await getViewer(context, request);
  if (viewer) await setUserLocale(context.db, viewer.id, locale);
  return redirect(to, { headers: { 'Set-Cookie': await cookies(context.config).language.serialize(locale) } });
}

export function loader() {
  return redirect('/');
}
