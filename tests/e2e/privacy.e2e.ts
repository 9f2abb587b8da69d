import { readFileSync } from 'node:fs';
import { DateTime } from 'luxon';
import postgres from 'postgres';
import { afterAll, beforeAll, describe } from 'vitest';
import { formatCode } from '~/modules/certificates/code';
import { hashPassword } from '~/modules/auth/password.server';
import { expect, expectAccessible, test } from './support/browser';
import { closeDb, insertTestOffering } from './support/db';
import { expectFieldError, signIn, uniqueSuffix, unexpectedConsoleErrors, visit, waitForHydration, waitForPath } from './support/flows';
import { tr } from './support/i18n';
import { databaseUrl } from './support/provided';

/**
 * Issue 7's privacy functions in Chromium: a throw-away teacher (made here,
 * never a demo account other files use) with a certificate downloads her
 * data as JSON from her profile, deletes her account, and then her
 * certificate verifies as withdrawn at her request and her password signs
 * nobody in.
 */

const en = (key: string, params?: Record<string, string | number>) => tr('en', key, params);
const suffix = uniqueSuffix();
const TEACHER = { email: `privacy.${suffix}@skole.example.no`, name: 'Åse Ødegård', password: `Northern lights over Tromsø ${suffix}` };
const TITLE = `Formative feedback ${suffix}`;

let db: postgres.Sql;
let userId: string;
let code: string;

beforeAll(async () => {
  db = postgres(databaseUrl(), { max: 1, idle_timeout: 2, onnotice: () => {} });
  const start = DateTime.now().minus({ days: 7 });
  const offering = await insertTestOffering({
    slug: `formative-feedback-${suffix}`,
    title: TITLE,
    kind: 'short_course',
    organiserTimeZone: 'Europe/Oslo',
    enrolmentOpensAt: start.minus({ days: 7 }).toJSDate(),
    enrolmentClosesAt: start.plus({ days: 21 }).toJSDate(),
    startsAt: start.toJSDate(),
    endsAt: start.plus({ days: 21 }).toJSDate(),
    trainer: 'trainer.hansen@example.org',
  });
  // The account and its completed course are set up directly (registration and completing a course have their own
  // e2e files); the worker then issues the certificate from the completion event, as it does for everyone.
  const [user] = await db<{ id: string }[]>`
    insert into users (email, email_verified_at, password_hash, full_name, certificate_name, country, school, school_role, locale, time_zone)
    values (${TEACHER.email}, now(), ${await hashPassword(TEACHER.password)}, ${TEACHER.name}, ${TEACHER.name}, 'NO', 'Tromsø skole', 'teacher', 'en', 'Europe/Oslo')
    returning id`;
  userId = user!.id;
  const [enrolment] = await db<{ id: string }[]>`
    insert into enrolments (offering_id, user_id, status, enrolled_at, completed_at)
    values (${offering.id}, ${userId}, 'completed', ${start.toJSDate()}, now()) returning id`;
  await db`insert into completion_events (enrolment_id, occurred_at) values (${enrolment!.id}, now())`;
  const deadline = Date.now() + 20_000;
  while (!code && Date.now() < deadline) {
    const [row] = await db<{ code: string }[]>`select code from certificates where enrolment_id = ${enrolment!.id}`;
    if (row) code = row.code;
    else await new Promise((resolve) => setTimeout(resolve, 250));
  }
  expect(code, 'the worker issued the certificate').toBeTruthy();
});

afterAll(async () => {
  await db?.end({ timeout: 5 });
  await closeDb();
});

describe('privacy', () => {
  test('download my data as JSON, delete my account, then the certificate verifies as withdrawn and the password is refused', async ({ page, consoleErrors }) => {
    await signIn(page, TEACHER.email, TEACHER.password);

    // --- Download my data, from the profile, confirmed by the password.
    await visit(page, '/profile', 'profile with the privacy entries');
    const privacy = page.getByRole('region', { name: en('privacy.profile.title') });
    await privacy.getByRole('link', { name: en('privacy.profile.exportLink'), exact: true }).click();
    await waitForPath(page, '/profile/data');
    await waitForHydration(page);
    await expectAccessible(page, 'download my data');
    const passwordField = page.getByLabel(en('auth.fields.currentPassword'), { exact: true });
    const downloadButton = page.getByRole('button', { name: en('privacy.export.submit'), exact: true });
    await passwordField.fill('not my password at all');
    await downloadButton.click();
    await expectFieldError(page.getByLabel(en('auth.fields.currentPassword'), { exact: true }), en('errors.wrongPassword'));
    await expectAccessible(page, 'download my data, wrong password');

    await waitForHydration(page);
    const retyped = page.getByLabel(en('auth.fields.currentPassword'), { exact: true });
    await retyped.fill(TEACHER.password);
    // Typing clears the server's error first; otherwise the button would move up under the pointer mid-click.
    await expect.poll(() => retyped.getAttribute('aria-invalid')).not.toBe('true');
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: en('privacy.export.submit'), exact: true }).click()]);
    expect(download.suggestedFilename()).toMatch(/^kollega-my-data-\d{4}-\d{2}-\d{2}\.json$/);
    const exported = JSON.parse(readFileSync((await download.path())!, 'utf8')) as {
      profile: { email: string; fullName: string };
      enrolments: { offeringTitle: string; status: string }[];
      certificates: { code: string; verificationUrl: string; holderName: string }[];
      sessions: Record<string, unknown>[];
    };
    expect(exported.profile).toMatchObject({ email: TEACHER.email, fullName: TEACHER.name });
    expect(exported.enrolments).toEqual([expect.objectContaining({ offeringTitle: TITLE, status: 'completed' })]);
    expect(exported.certificates).toEqual([expect.objectContaining({ code: formatCode(code), holderName: TEACHER.name })]);
    expect(exported.certificates[0]!.verificationUrl).toMatch(new RegExp(`/verify/${code}$`));
    expect(exported.sessions.length).toBeGreaterThan(0);
    for (const session of exported.sessions) expect(session).not.toHaveProperty('tokenHash');

    // --- Delete my account: the password and an explicit confirmation.
    // Pages checked with axe once each: the second visit of the profile and of /login go without it.
    await page.goto('/profile');
    await waitForHydration(page);
    await page.getByRole('region', { name: en('privacy.profile.title') }).getByRole('link', { name: en('privacy.profile.deleteLink'), exact: true }).click();
    await waitForPath(page, '/profile/delete');
    await waitForHydration(page);
    await expectAccessible(page, 'delete my account');
    await page.getByLabel(en('auth.fields.currentPassword'), { exact: true }).fill(TEACHER.password);
    const confirm = page.getByLabel(en('privacy.delete.confirm'), { exact: true });
    const deleteButton = page.getByRole('button', { name: en('privacy.delete.submit'), exact: true });
    await deleteButton.click();
    await expectFieldError(confirm, en('privacy.errors.confirmRequired'));
    await confirm.check();
    await expect.poll(() => confirm.getAttribute('aria-invalid')).not.toBe('true');
    await deleteButton.click();
    await page.getByRole('heading', { level: 1, name: en('privacy.delete.doneTitle') }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/profile/delete');
    // Signed out: the header offers signing in again.
    await page.locator('header').getByRole('link', { name: en('nav.signIn'), exact: true }).waitFor();
    await expectAccessible(page, 'account deleted');
    const [row] = await db<{ email: string; deleted: boolean }[]>`select email, deleted_at is not null as deleted from users where id = ${userId}`;
    expect(row).toMatchObject({ deleted: true, email: expect.stringMatching(/@deleted\.invalid$/) });

    // --- The certificate now verifies as withdrawn at the holder's request, without her name.
    await visit(page, `/verify/${code}`, 'verification page of a withdrawn certificate', { status: 200 });
    await page.getByText(en('verify.withdrawn')).waitFor();
    expect(await page.locator('main').innerText()).not.toContain(TEACHER.name);

    // --- The old password signs nobody in.
    await page.goto('/login');
    await waitForHydration(page);
    const form = page.locator('form#login');
    await form.getByLabel(en('auth.fields.email'), { exact: true }).fill(TEACHER.email);
    await form.getByLabel(en('auth.fields.password'), { exact: true }).fill(TEACHER.password);
    await form.getByRole('button', { name: en('auth.login.submit'), exact: true }).click();
    await page.getByRole('alert').filter({ hasText: en('errors.invalidCredentials') }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/login');
    await expectAccessible(page, 'sign-in refused after deletion');

    expect(unexpectedConsoleErrors(consoleErrors)).toEqual([]);
  });
});
