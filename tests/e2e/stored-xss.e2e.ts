import { randomUUID } from 'node:crypto';
import { DateTime } from 'luxon';
import postgres from 'postgres';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe } from 'vitest';
import { hashPassword } from '~/modules/auth/password.server';
import { expect, expectAccessible, test } from './support/browser';
import { closeDb, insertTestOffering } from './support/db';
import { DEMO_PASSWORD, expectFlash, uniqueSuffix, unexpectedConsoleErrors, waitForHydration } from './support/flows';
import { tr } from './support/i18n';
import { databaseUrl } from './support/provided';

/**
 * Stored XSS in Chromium: a trainer and a participant whose names carry
 * script payloads, an offering whose title, summary, description, module,
 * activities, quiz and discussion carry them too, and a post written
 * through the page. Every page that shows that text is opened by the person
 * who may see it; the test fails on any dialog, on window.__xss being set,
 * on an element the payloads would create (img[src=x], svg, an event
 * handler attribute, a javascript: link), on a console error (a CSP refusal
 * shows there) and on axe violations; the payload must be on the page as
 * text. Accounts and the offering are written to the database here (as
 * support/db.ts does for offerings) to keep the file short; the post goes
 * through the browser, including the editor's live preview.
 */

const SCRIPT = '<script>window.__xss=1</script>';
const PAYLOAD = `${SCRIPT}"><img src=x onerror="window.__xss=2"><svg onload="window.__xss=3">`;
const MARKDOWN = [
  `Intro ${SCRIPT}`,
  '',
  '[click me](javascript:window.__xss=4) <a href="javascript:window.__xss=5">raw link</a>',
  '',
  '<img src=x onerror="window.__xss=6"> <div onclick="window.__xss=7">raw html</div>',
].join('\n');

const suffix = uniqueSuffix();
const TRAINER = { email: `xss-trainer-${suffix}@example.org`, name: `Trainer ${PAYLOAD}` };
const LEARNER = { email: `xss-learner-${suffix}@example.org`, name: `Learner ${PAYLOAD}` };
const SLUG = `xss-${suffix}`;
const TITLE = `XSS ${suffix} ${PAYLOAD}`;
const PASSWORD = 'stored-xss-harbour-lantern-2041';
const ORGANISER_ZONE = 'Europe/Oslo';
const en = (key: string, params?: Record<string, string | number>) => tr('en', key, params);

let sql: postgres.Sql;
let offering: { id: string; slug: string; activityIds: Record<string, string> };

async function insertAccount(account: { email: string; name: string }, passwordHash: string, options: { trainer?: boolean; pending?: boolean } = {}) {
  const [row] = await sql<{ id: string }[]>`
    insert into users (email, email_verified_at, password_hash, full_name, certificate_name, country, school, school_role, locale, time_zone, staff_status)
    values (${account.email}, now(), ${passwordHash}, ${account.name}, ${account.name}, 'NO', ${`School ${PAYLOAD}`}, 'teacher', 'en', 'Europe/Oslo',
      ${options.pending ? 'pending' : 'validated'})
    returning id`;
  if (options.trainer) await sql`insert into user_roles (user_id, role, country) values (${row!.id}, 'trainer', '')`;
  if (options.pending) {
    await sql`insert into staff_validation_requests (user_id, country, school, school_role, note) values (${row!.id}, 'NO', ${`School ${PAYLOAD}`}, 'teacher', ${PAYLOAD})`;
  }
  return row!.id;
}

beforeAll(async () => {
  sql = postgres(databaseUrl(), { max: 1, idle_timeout: 2, onnotice: () => {} });
  const passwordHash = await hashPassword(PASSWORD);
  await insertAccount(TRAINER, passwordHash, { trainer: true });
  const learnerId = await insertAccount(LEARNER, passwordHash, { pending: true });
  const start = DateTime.now().setZone(ORGANISER_ZONE).minus({ days: 2 }).startOf('hour');
  const ends = start.plus({ weeks: 3 });
  offering = await insertTestOffering({
    slug: SLUG,
    title: TITLE,
    summary: `Summary ${PAYLOAD}`,
    kind: 'short_course',
    organiserTimeZone: ORGANISER_ZONE,
    enrolmentOpensAt: start.minus({ days: 7 }).toJSDate(),
    enrolmentClosesAt: ends.toJSDate(),
    startsAt: start.toJSDate(),
    endsAt: ends.toJSDate(),
    trainer: TRAINER.email,
    modules: [
      {
        title: `Week ${PAYLOAD}`,
        releaseAt: start.toJSDate(),
        activities: [
          { kind: 'page', title: `Page ${PAYLOAD}`, content: { kind: 'page', body: MARKDOWN, videoUrl: '' } },
          {
            kind: 'quiz',
            title: `Quiz ${PAYLOAD}`,
            content: {
              kind: 'quiz',
              intro: MARKDOWN,
              passMarkPercent: 50,
              attemptsAllowed: 2,
              questions: [
                {
                  id: randomUUID(),
                  prompt: `Question ${PAYLOAD}`,
                  multiple: false,
                  choices: [
                    { id: randomUUID(), label: `Right ${PAYLOAD}`, correct: true },
                    { id: randomUUID(), label: 'javascript:window.__xss=8', correct: false },
                  ],
                },
              ],
            },
          },
          { kind: 'discussion', title: `Talk ${PAYLOAD}`, content: { kind: 'discussion', prompt: MARKDOWN } },
        ],
      },
    ],
  });
  // The description is Markdown the trainer writes; insertTestOffering sets a fixed one.
  await sql`update offerings set description = ${MARKDOWN} where id = ${offering.id}`;
  await sql`insert into enrolments (offering_id, user_id, status, enrolled_at) values (${offering.id}, ${learnerId}, 'enrolled', now())`;
});

afterAll(async () => {
  await sql?.end({ timeout: 5 });
  await closeDb();
});

/** Fails the test on any dialog a payload would open (alert, confirm, prompt). */
function refuseDialogs(page: Page): string[] {
  const opened: string[] = [];
  page.on('dialog', (dialog) => {
    opened.push(`${dialog.type()}: ${dialog.message()}`);
    void dialog.dismiss();
  });
  return opened;
}

/** What a payload that became markup would leave behind in the DOM. */
async function injectedMarkup(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const found: string[] = [];
    if ((window as unknown as { __xss?: unknown }).__xss !== undefined) found.push(`window.__xss = ${String((window as unknown as { __xss?: unknown }).__xss)}`);
    for (const element of Array.from(document.querySelectorAll('body *'))) {
      for (const attribute of Array.from(element.attributes)) {
        if (/^on/i.test(attribute.name)) found.push(`<${element.localName} ${attribute.name}>`);
        if ((attribute.name === 'href' || attribute.name === 'src') && /^\s*(javascript|data|vbscript):/i.test(attribute.value)) {
          found.push(`<${element.localName} ${attribute.name}="${attribute.value}">`);
        }
      }
    }
    if (document.querySelector('img[src="x"]')) found.push('img[src=x]');
    if (document.querySelector('main svg[onload], main iframe, main object, main embed')) found.push('svg/iframe/object/embed');
    // Remix's hydration data and the JSON-LD hold the payload as escaped data; an injected element would hold only it.
    for (const script of Array.from(document.querySelectorAll('script'))) {
      if (/^\s*window\.__xss/.test(script.textContent ?? '')) found.push('a script element made from the payload');
    }
    return found;
  });
}

/** Opens a page, waits for hydration, and checks that the payload shows as text and nothing of it runs. */
async function expectInert(page: Page, path: string, label: string, dialogs: string[], options: { shows?: string } = {}) {
  const response = await page.goto(path);
  expect(response?.status(), `${label}: status of ${path}`).toBe(200);
  await waitForHydration(page);
  expect(await injectedMarkup(page), `${label}: markup made from a payload`).toEqual([]);
  expect(dialogs, `${label}: dialogs`).toEqual([]);
  const text = await page.locator('body').innerText();
  expect(text, `${label}: the payload shows as text`).toContain(options.shows ?? 'window.__xss=1');
  await expectAccessible(page, label);
}

/**
 * Signs in by typing on /login, without the axe runs of flows.signIn: the
 * sign-in page is checked by account.e2e.ts, and this file's time goes to
 * the pages that show the payloads.
 */
async function quickSignIn(page: Page, email: string, password: string) {
  await page.goto('/login');
  await waitForHydration(page);
  const form = page.locator('form#login');
  await form.getByLabel(en('auth.fields.email'), { exact: true }).fill(email);
  await form.getByLabel(en('auth.fields.password'), { exact: true }).fill(password);
  await Promise.all([page.waitForURL((url) => url.pathname !== '/login'), form.getByRole('button', { name: en('auth.login.submit'), exact: true }).click()]);
  await page.locator('header form[action="/logout"]').waitFor();
}

describe('stored XSS', () => {
  test('public pages and the participant\'s pages show the payloads as text, and a post written here too', async ({ page, consoleErrors }) => {
    const dialogs = refuseDialogs(page);
    await expectInert(page, `/offerings/${SLUG}`, 'offering page', dialogs);
    // Rendered Markdown keeps the link texts and drops what would run.
    expect(await page.locator('.description').innerText()).toContain('click me');
    await expectInert(page, `/catalogue?q=${encodeURIComponent(`XSS ${suffix}`)}`, 'catalogue search', dialogs);

    await quickSignIn(page, LEARNER.email, PASSWORD);
    expect(await injectedMarkup(page)).toEqual([]);
    await expectInert(page, `/learn/${SLUG}`, 'course overview', dialogs);
    for (const kind of ['Page', 'Quiz', 'Talk']) {
      await expectInert(page, `/learn/${SLUG}/activities/${offering.activityIds[`${kind} ${PAYLOAD}`]}`, `${kind.toLowerCase()} activity`, dialogs);
    }
    // The editor's preview renders the post in the browser as it is typed.
    const editor = page.getByLabel(en('learn.discussion.postLabel'), { exact: true });
    await editor.fill(`${MARKDOWN}\n\nPosted by a test ${suffix}`);
    await expect.poll(() => injectedMarkup(page)).toEqual([]);
    await page.getByRole('button', { name: en('learn.discussion.post'), exact: true }).click();
    await expectFlash(page, en('learn.flash.posted'));
    const post = page.locator('article.learn-post').filter({ hasText: `Posted by a test ${suffix}` });
    await post.waitFor();
    expect(await post.getAttribute('aria-label')).toContain(LEARNER.name);
    expect(await injectedMarkup(page)).toEqual([]);
    expect(dialogs).toEqual([]);
    await expectInert(page, '/dashboard', 'dashboard', dialogs);
    expect(unexpectedConsoleErrors(consoleErrors)).toEqual([]);
  });

  test("the trainer's pages (the trainer has a payload name too) show the payloads as text", async ({ page, consoleErrors }) => {
    const dialogs = refuseDialogs(page);
    await quickSignIn(page, TRAINER.email, PASSWORD);
    for (const [tab, label] of [
      ['participants', 'participant list'],
      ['progress', 'progress grid'],
      ['reviews', 'review queue and discussions'],
      ['structure', 'structure editor'],
    ] as const) {
      await expectInert(page, `/trainer/offerings/${offering.id}/${tab}`, label, dialogs);
    }
    expect(unexpectedConsoleErrors(consoleErrors)).toEqual([]);
  });

  test("the validation queue and the administrator's user list show payload names as text", async ({ page, consoleErrors }) => {
    const dialogs = refuseDialogs(page);
    await quickSignIn(page, 'nso.norway@example.no', DEMO_PASSWORD);
    await expectInert(page, '/validations', 'validation queue', dialogs);
    await page.context().clearCookies();
    await quickSignIn(page, 'admin@kollega.example', DEMO_PASSWORD);
    await expectInert(page, `/admin/users?q=${encodeURIComponent(`xss-learner-${suffix}`)}`, 'admin user list', dialogs);
    expect(unexpectedConsoleErrors(consoleErrors)).toEqual([]);
  });

  test('every page carries a fresh CSP nonce that only its own scripts hold', async ({ page }) => {
    const first = await page.goto(`/offerings/${SLUG}`);
    const csp = first?.headers()['content-security-policy'] ?? '';
    const nonce = /'nonce-([^']+)'/.exec(csp)?.[1];
    expect(nonce).toBeTruthy();
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("object-src 'none'");
    expect(csp).not.toMatch(/script-src[^;]*'unsafe-inline'/);
    expect(first?.headers()['x-frame-options']).toBe('DENY');
    expect(first?.headers()['x-content-type-options']).toBe('nosniff');
    // Inline scripts (Remix's, the JSON-LD) carry this response's nonce; the browser hides it from the attribute after parsing.
    const inlineWithoutNonce = await page.evaluate(
      () => Array.from(document.querySelectorAll('script:not([src])')).filter((script) => !(script as HTMLScriptElement).nonce).length,
    );
    expect(inlineWithoutNonce).toBe(0);
    const second = await page.goto(`/offerings/${SLUG}`);
    expect(/'nonce-([^']+)'/.exec(second?.headers()['content-security-policy'] ?? '')?.[1]).not.toBe(nonce);
  });
});
