import type { Viewer } from '../auth/viewer.server';
import type { TranslationKey } from '../i18n/keys';
import { can, type PolicyEnvironment } from '../policy/policy';

export type NavItem = { to: string; label: TranslationKey };

/** The header links this viewer may follow; the policy decides, so no link leads to a 404. */
export function navigationFor(viewer: Viewer | null, env: PolicyEnvironment): NavItem[] {
  const items: NavItem[] = [{ to: '/', label: 'nav.home' }, { to: '/catalogue', label: 'catalogue.nav' }];
  if (!viewer) {
    items.push({ to: '/login', label: 'nav.signIn' }, { to: '/register', label: 'nav.register' });
  } else {
    if (can(viewer, { action: 'learning.dashboard' }, env)) items.push({ to: '/dashboard', label: 'dashboard.nav' });
    items.push({ to: '/profile', label: 'nav.profile' });
    if (can(viewer, { action: 'offering.create' }, env)) items.push({ to: '/trainer', label: 'authoring.navTrainer' });
    if (can(viewer, { action: 'validation.review' }, env)) items.push({ to: '/validations', label: 'nav.validations' });
    if (can(viewer, { action: 'admin.users.manage' }, env)) items.push({ to: '/admin/users', label: 'nav.adminUsers' });
    if (can(viewer, { action: 'admin.emails.manage' }, env)) items.push({ to: '/admin/emails', label: 'nav.adminEmails' });
  }
  if (can(viewer, { action: 'mailbox.view' }, env)) items.push({ to: '/dev/mailbox', label: 'nav.mailbox' });
  return items;
}
