import { describe } from 'vitest';
import { expect, test } from './support/browser';
import { DEMO_PASSWORD, expectAccessibleWithoutScripts, expectFieldError, expectFlash, openDevice, pathOf, visit } from './support/flows';
import { tr } from './support/i18n';

/**
 * Without JavaScript every form is a plain HTML form post: signing in, a
 * refused and an accepted profile save, and signing out still work.
 */

const ELENI = { email: 'eleni.papadopoulou@sxoleio.example.gr', name: 'Ελένη Παπαδοπούλου' }; // en; profile changed here

const en = (key: string, params?: Record<string, string | number>) => tr('en', key, params);

describe('without JavaScript', () => {
  test('sign-in, a profile save (refused, then accepted) and sign-out work as plain form posts', async ({ browser }) => {
    const { context, page } = await openDevice(browser, { javaScriptEnabled: false });
    try {
      // Sign in: a wrong password first, answered by a full page.
      await visit(page, '/login', 'sign-in page without JavaScript', { javaScript: false, status: 200 });
      const login = page.locator('form#login');
      expect(await login.getAttribute('method')).toBe('post');
      await login.getByLabel(en('auth.fields.email'), { exact: true }).fill(ELENI.email);
      await login.getByLabel(en('auth.fields.password'), { exact: true }).fill('not the password at all');
      const [refused] = await Promise.all([
        page.waitForNavigation(),
        login.getByRole('button', { name: en('auth.login.submit'), exact: true }).click(),
      ]);
      expect(refused?.status()).toBe(401);
      await page.getByRole('alert').filter({ hasText: en('errors.invalidCredentials') }).waitFor();
      expect(await login.getByLabel(en('auth.fields.email'), { exact: true }).inputValue()).toBe(ELENI.email);
      await expectAccessibleWithoutScripts(page, 'sign-in page with a wrong password, without JavaScript');

      await login.getByLabel(en('auth.fields.password'), { exact: true }).fill(DEMO_PASSWORD);
      await Promise.all([page.waitForURL((url) => url.pathname === '/'), login.getByRole('button', { name: en('auth.login.submit'), exact: true }).click()]);
      await page.getByRole('heading', { level: 1, name: en('home.welcomeBack', { name: ELENI.name }) }).waitFor();
      await expectAccessibleWithoutScripts(page, 'home page signed in, without JavaScript');

      // The profile: a missing name is refused with the error on the field.
      await visit(page, '/profile', 'profile without JavaScript', { javaScript: false, status: 200 });
      const profile = page.locator('form#profile');
      const fullName = profile.getByLabel(en('auth.fields.fullName'), { exact: true });
      const school = profile.getByLabel(en('auth.fields.school'), { exact: true });
      const notify = profile.getByLabel(en('profile.notifyOnReplies'), { exact: true });
      expect(await fullName.inputValue()).toBe(ELENI.name);
      expect(await notify.isChecked()).toBe(true);

      await fullName.fill('');
      await school.fill('3ο Γυμνάσιο Θεσσαλονίκης');
      const [invalid] = await Promise.all([page.waitForNavigation(), profile.getByRole('button', { name: en('common.save'), exact: true }).click()]);
      expect(invalid?.status()).toBe(400);
      // Remix posts an index route's form to "?index".
      expect(pathOf(page)).toBe('/profile?index');
      await expectFieldError(page.locator('form#profile').getByLabel(en('auth.fields.fullName'), { exact: true }), en('errors.required'));
      // What was typed is kept.
      expect(await page.locator('form#profile').getByLabel(en('auth.fields.school'), { exact: true }).inputValue()).toBe('3ο Γυμνάσιο Θεσσαλονίκης');
      await expectAccessibleWithoutScripts(page, 'profile with a missing name, without JavaScript');

      // Fixed and saved, with the reply setting turned off.
      await page.locator('form#profile').getByLabel(en('auth.fields.fullName'), { exact: true }).fill(ELENI.name);
      await page.locator('form#profile').getByLabel(en('profile.notifyOnReplies'), { exact: true }).uncheck();
      await Promise.all([
        page.waitForNavigation(),
        page.locator('form#profile').getByRole('button', { name: en('common.save'), exact: true }).click(),
      ]);
      expect(pathOf(page)).toBe('/profile');
      await expectFlash(page, en('profile.saved'));
      expect(await page.locator('form#profile').getByLabel(en('auth.fields.school'), { exact: true }).inputValue()).toBe('3ο Γυμνάσιο Θεσσαλονίκης');
      expect(await page.locator('form#profile').getByLabel(en('auth.fields.fullName'), { exact: true }).inputValue()).toBe(ELENI.name);
      expect(await page.locator('form#profile').getByLabel(en('profile.notifyOnReplies'), { exact: true }).isChecked()).toBe(false);
      await expectAccessibleWithoutScripts(page, 'profile after saving, without JavaScript');

      // Sign out with the header button.
      await Promise.all([
        page.waitForURL((url) => url.pathname === '/'),
        page.getByRole('banner').getByRole('button', { name: en('nav.signOut'), exact: true }).click(),
      ]);
      await expectFlash(page, en('auth.logout.done'));
      await page.getByRole('navigation', { name: en('app.mainNavigation') }).getByRole('link', { name: en('nav.signIn'), exact: true }).waitFor();
      await expectAccessibleWithoutScripts(page, 'home page after signing out, without JavaScript');
    } finally {
      await context.close();
    }
  });
});
