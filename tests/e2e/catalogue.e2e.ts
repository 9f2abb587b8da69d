import { DateTime } from 'luxon';
import type { Page } from 'playwright-core';
import { describe } from 'vitest';
import { expect, expectAccessible, test } from './support/browser';
import { createOffering, openMyOfferings, titleSuffix } from './support/authoring';
import { expectFlash, openDevice, unexpectedConsoleErrors, visit, waitForHydration, waitForPath } from './support/flows';
import { tr } from './support/i18n';

/**
 * The public side: an anonymous visitor (en-GB, Europe/Oslo) filters and
 * searches the catalogue, reads offering pages and follows the home page's
 * highlights. Uses the demo offerings (db/seed-offerings.ts), which other
 * files never change; the Markdown check makes its own draft.
 */

const en = (key: string, params?: Record<string, string | number>) => tr('en', key, params);

const SERIES = 'Project-based learning: plan and reflect'; // webinar series, en, enrolment open
const MOOC_EN = 'Inclusive classrooms: differentiation in practice'; // MOOC, en, started, enrolment closed
const MOOC_NB = 'Digital dømmekraft i ungdomsskolen'; // MOOC, nb, enrolment open
const OSTERSUND = 'Östersunds sommarskola: flerspråkiga klassrum';
const CONFERENCE = { slug: 'kollega-autumn-conference-wellbeing-at-school', title: 'Kollega conference: wellbeing at school' }; // Europe/Helsinki
const DRAFT_SLUG = 'stem-lab-safety';
const SERIES_KIND = en('offerings.kinds.webinar_series');
const MOOC_KIND = en('offerings.kinds.mooc');
const OPEN_NOW = en('catalogue.openNow');

/** The catalogue's result cards' titles, once the count above them has settled. */
async function resultTitles(page: Page): Promise<string[]> {
  await page.getByRole('status').filter({ hasText: /offerings? found/ }).waitFor();
  return page.locator('.catalogue-results .offering-card__title').allInnerTexts();
}

/** The number in "N offerings found". */
async function foundCount(page: Page): Promise<number> {
  const text = await page.locator('.catalogue-results__count').innerText();
  return Number(/\d+/.exec(text)?.[0] ?? NaN);
}

/** The labels of the active-filter chips, as the page rendered them from its loader data. */
const chipLabels = (page: Page) => page.locator('.active-filters a.filter-chip').evaluateAll((links) => links.map((a) => a.getAttribute('aria-label') ?? '').sort());

/**
 * Waits until the page shows the catalogue for exactly these filters: the URL
 * (the short form, without empty parameters) and the active-filter chips,
 * which render together with the results (the URL alone changes a moment
 * before the page does).
 */
async function waitForFilters(page: Page, expected: Record<string, string>, chips: string[]) {
  await page.waitForURL((url) => {
    const params = new URLSearchParams(url.search);
    return [...params.keys()].sort().join() === Object.keys(expected).sort().join() && Object.entries(expected).every(([k, v]) => params.get(k) === v);
  });
  const wanted = chips.map((label) => en('catalogue.removeFilter', { label })).sort();
  await expect.poll(() => chipLabels(page)).toEqual(wanted);
  await waitForHydration(page);
}

async function applyFilters(page: Page, expected: Record<string, string>, chips: string[]) {
  await page.getByRole('search').getByRole('button', { name: en('catalogue.apply'), exact: true }).click();
  await waitForFilters(page, expected, chips);
}

/** Gives the context the kollega_tz cookie (set once the home page has hydrated), so times show in Europe/Oslo. */
async function settleTimeZone(page: Page) {
  await visit(page, '/', 'home page');
  await expect.poll(async () => (await page.context().cookies()).find((c) => c.name === 'kollega_tz')?.value).toBe(encodeURIComponent('Europe/Oslo'));
}

describe('finding offerings in the catalogue', () => {
  test('an anonymous visitor filters by kind, language and open enrolment, searches without accents, and shares the URL', async ({ page, browser, consoleErrors }) => {
    await visit(page, '/catalogue', 'catalogue');
    await page.getByRole('heading', { level: 1, name: en('catalogue.title') }).waitFor();
    const search = page.getByRole('search');

    // Webinar series in English, open for enrolment now.
    await search.getByLabel(en('catalogue.kind'), { exact: true }).selectOption({ label: en('offerings.kinds.webinar_series') });
    await search.getByLabel(en('catalogue.language'), { exact: true }).selectOption('en');
    await search.getByLabel(en('catalogue.openNow'), { exact: true }).check();
    await applyFilters(page, { kind: 'webinar_series', language: 'en', open: '1' }, [SERIES_KIND, 'English', OPEN_NOW]);
    const seriesResults = await resultTitles(page);
    expect(seriesResults).toContain(SERIES);
    // (allTextContents: the kind line is upper-cased by CSS.)
    for (const kind of await page.locator('.catalogue-results .offering-card__kind').allTextContents()) expect(kind.trim()).toBe(en('offerings.kinds.webinar_series'));
    for (const badges of await page.locator('.catalogue-results .offering-card').allInnerTexts()) expect(badges).toContain(en('catalogue.card.openNow'));
    expect(await foundCount(page)).toBe(seriesResults.length);
    await expectAccessible(page, 'catalogue filtered to English webinar series open now');

    // A reload keeps them: they live in the URL.
    const shared = page.url();
    await page.reload();
    await waitForHydration(page);
    expect(await search.getByLabel(en('catalogue.kind'), { exact: true }).inputValue()).toBe('webinar_series');
    expect(await search.getByLabel(en('catalogue.language'), { exact: true }).inputValue()).toBe('en');
    expect(await search.getByLabel(en('catalogue.openNow'), { exact: true }).isChecked()).toBe(true);
    expect(await resultTitles(page)).toEqual(seriesResults);

    // Someone else opening the shared address sees the same list.
    const friend = await openDevice(browser);
    try {
      await friend.page.goto(shared);
      await waitForHydration(friend.page);
      expect(await resultTitles(friend.page)).toEqual(seriesResults);
      expect(await friend.page.getByRole('search').getByLabel(en('catalogue.kind'), { exact: true }).inputValue()).toBe('webinar_series');
      expect(unexpectedConsoleErrors(friend.errors)).toEqual([]);
    } finally {
      await friend.context.close();
    }

    // MOOCs in English: the inclusive-classrooms MOOC is listed, but its enrolment has closed.
    await search.getByLabel(en('catalogue.kind'), { exact: true }).selectOption({ label: en('offerings.kinds.mooc') });
    await search.getByLabel(en('catalogue.openNow'), { exact: true }).uncheck();
    await applyFilters(page, { kind: 'mooc', language: 'en' }, [MOOC_KIND, 'English']);
    expect(await resultTitles(page)).toContain(MOOC_EN);
    await search.getByLabel(en('catalogue.openNow'), { exact: true }).check();
    await applyFilters(page, { kind: 'mooc', language: 'en', open: '1' }, [MOOC_KIND, 'English', OPEN_NOW]);
    expect(await resultTitles(page)).not.toContain(MOOC_EN);
    // In Norwegian Bokmål, one is open.
    await search.getByLabel(en('catalogue.language'), { exact: true }).selectOption('nb');
    await applyFilters(page, { kind: 'mooc', language: 'nb', open: '1' }, [MOOC_KIND, 'Norwegian Bokmål', OPEN_NOW]);
    expect(await resultTitles(page)).toEqual([MOOC_NB]);
    await expectAccessible(page, 'catalogue filtered to open MOOCs in Norwegian');

    // Dropping one filter keeps the others.
    await page.getByRole('link', { name: en('catalogue.removeFilter', { label: OPEN_NOW }) }).click();
    await waitForFilters(page, { kind: 'mooc', language: 'nb' }, [MOOC_KIND, 'Norwegian Bokmål']);
    expect(await resultTitles(page)).toContain(MOOC_NB);
    await page.getByRole('link', { name: en('catalogue.clearAll') }).click();
    await waitForFilters(page, {}, []);
    expect(await page.locator('.active-filters').count()).toBe(0);

    // Search ignores accents: "ostersund" finds Östersund.
    await search.getByLabel(en('catalogue.search'), { exact: true }).fill('ostersund');
    await applyFilters(page, { q: 'ostersund' }, [en('catalogue.searchFor', { q: 'ostersund' })]);
    expect(await resultTitles(page)).toEqual([OSTERSUND]);
    await expectAccessible(page, 'catalogue search for "ostersund"');

    // Nonsense finds nothing, and says so.
    await search.getByLabel(en('catalogue.search'), { exact: true }).fill('qwxzv plomberq');
    await applyFilters(page, { q: 'qwxzv plomberq' }, [en('catalogue.searchFor', { q: 'qwxzv plomberq' })]);
    expect(await resultTitles(page)).toEqual([]);
    expect(await foundCount(page)).toBe(0);
    await page.getByText(en('catalogue.empty')).waitFor();
    await page.getByRole('main').getByRole('link', { name: en('catalogue.browseAll') }).waitFor();
    await expectAccessible(page, 'catalogue with no results');
    expect(unexpectedConsoleErrors(consoleErrors)).toEqual([]);
  });

  test('pagination keeps the filters and answers a page past the end', async ({ page, consoleErrors }) => {
    await visit(page, '/catalogue?language=en', 'catalogue, English offerings');
    const total = await foundCount(page);
    const pageSize = 12; // CATALOGUE_PAGE_SIZE
    const pages = Math.max(1, Math.ceil(total / pageSize));
    const pager = page.getByRole('navigation', { name: en('common.pagination') });
    const first = await resultTitles(page);
    expect(first.length).toBe(Math.min(total, pageSize));
    if (pages > 1) {
      await pager.getByRole('link', { name: en('common.next') }).click();
      await page.waitForURL((url) => url.searchParams.get('page') === '2' && url.searchParams.get('language') === 'en');
      await pager.getByText(en('common.pageOf', { page: 2, pages })).waitFor();
      await waitForHydration(page);
      const second = await resultTitles(page);
      expect(second.length).toBeGreaterThan(0);
      for (const title of second) expect(first).not.toContain(title);
      await expectAccessible(page, 'catalogue, page 2');
    } else {
      // Everything fits on one page: no pager.
      expect(await pager.count()).toBe(0);
    }
    // A page past the end is empty, not an error, and leads back.
    await visit(page, `/catalogue?language=en&page=${pages + 1}`, 'catalogue, a page past the end', { status: 200 });
    expect(await resultTitles(page)).toEqual([]);
    expect(await foundCount(page)).toBe(total);
    await pager.getByText(en('common.pageOf', { page: pages + 1, pages })).waitFor();
    await pager.getByRole('link', { name: en('common.previous') }).click();
    await page.waitForURL((url) => url.searchParams.get('page') === String(pages) && url.searchParams.get('language') === 'en');
    // Back on the last page, with its cards (and, on a single page, no pager at all).
    await expect.poll(async () => (await resultTitles(page)).length).toBe(total - (pages - 1) * pageSize);
    if (pages === 1) expect(await pager.count()).toBe(0);
    await waitForHydration(page);
    expect(unexpectedConsoleErrors(consoleErrors)).toEqual([]);
  });

  test('a filter value that is not one of the options answers 400 with a message, not 500', async ({ page, consoleErrors }) => {
    for (const query of ['kind=banana', 'open=yes', 'month=2026-13', 'page=0']) {
      await visit(page, `/catalogue?${query}`, `catalogue with ${query}`, { status: 400 });
      await page.getByRole('heading', { level: 1, name: en('errors.badRequestTitle') }).waitFor();
      await page.getByText(en('errors.badFilter')).waitFor();
      expect(await page.title()).toContain(en('errors.badRequestTitle'));
    }
    // The way back works.
    await page.getByRole('main').getByRole('link', { name: en('catalogue.browseAll') }).click();
    await page.waitForURL((url) => url.pathname === '/catalogue' && url.search === '');
    await page.getByRole('heading', { level: 1, name: en('catalogue.title') }).waitFor();
    expect(unexpectedConsoleErrors(consoleErrors)).toEqual([]);
  });
});

describe('offering pages', () => {
  test('the conference page shows description, trainers, sessions in Oslo time with Helsinki time beside them, certificate rules and Event JSON-LD', async ({
    page,
    consoleErrors,
  }) => {
    await settleTimeZone(page);
    await visit(page, `/catalogue?q=${encodeURIComponent('wellbeing school')}`, 'catalogue search for the conference');
    await page.getByRole('link', { name: CONFERENCE.title, exact: true }).click();
    await waitForPath(page, `/offerings/${CONFERENCE.slug}`);
    await page.getByRole('heading', { level: 1, name: CONFERENCE.title }).waitFor();
    await waitForHydration(page);
    await expectAccessible(page, 'conference page');

    // Description (Markdown rendered), trainers.
    const description = page.getByRole('region', { name: en('offeringPage.description') });
    expect(await description.innerText()).toContain('Choose your workshops.');
    expect(await description.locator('strong').innerText()).toBe('at least two sessions');
    const trainers = page.getByRole('region', { name: en('offeringPage.trainers') });
    expect(await trainers.getByRole('listitem').allInnerTexts()).toEqual(['Ingrid Hansen', 'Tomasz Żuławski']);

    // Schedule: four sessions; each in the viewer's zone (Oslo), with the organiser's Helsinki time beside it.
    const schedule = page.getByRole('region', { name: en('offeringPage.schedule') });
    const sessions = schedule.locator('ol.schedule > li');
    expect(await sessions.count()).toBe(4);
    const keynote = sessions.filter({ hasText: 'Keynote: wellbeing is a team sport' });
    const instant = DateTime.fromISO((await keynote.locator('time').getAttribute('datetime'))!);
    expect(instant.setZone('Europe/Helsinki').toFormat('HH:mm')).toBe('13:00');
    const oslo = instant.setZone('Europe/Oslo');
    const keynoteText = await keynote.locator('.session-time').innerText();
    expect(keynoteText).toContain(`${oslo.toFormat('d')} ${oslo.setLocale('en-GB').toFormat('LLL')}`);
    expect(keynoteText).toContain(oslo.toFormat('HH:mm'));
    expect(keynoteText).toContain(`(${en('offeringPage.organiserTime', { time: '13:00', place: 'Helsinki' })})`);
    expect(await keynote.innerText()).toContain(en('offeringPage.sessionDuration', { minutes: 45 }));

    // Certificate: two sessions to attend.
    const certificate = page.getByRole('region', { name: en('offeringPage.certificate.heading') });
    expect(await certificate.innerText()).toContain(en('offeringPage.certificate.event_other', { count: 2 }));
    expect(await certificate.innerText()).toContain(en('offeringPage.certificate.then'));

    // Structured data: an Event that parses, with the page's facts.
    const scripts = page.locator('script[type="application/ld+json"]');
    expect(await scripts.count()).toBe(1);
    const jsonLd = JSON.parse((await scripts.textContent()) ?? '') as Record<string, unknown>;
    expect(jsonLd['@type']).toBe('Event');
    expect(jsonLd.name).toBe(CONFERENCE.title);
    expect(new Date(String(jsonLd.startDate)).toISOString()).toBe(instant.toUTC().toISO());
    expect(unexpectedConsoleErrors(consoleErrors)).toEqual([]);
  });

  test('a MOOC page carries Course JSON-LD; a draft’s address is 404 for a visitor', async ({ page, consoleErrors }) => {
    await visit(page, '/offerings/inclusive-classrooms-differentiation-in-practice', 'MOOC page');
    await page.getByRole('heading', { level: 1, name: MOOC_EN }).waitFor();
    const jsonLd = JSON.parse((await page.locator('script[type="application/ld+json"]').textContent()) ?? '') as Record<string, unknown>;
    expect(jsonLd['@type']).toBe('Course');
    expect(jsonLd.name).toBe(MOOC_EN);
    const modules = page.getByRole('region', { name: en('offeringPage.schedule') }).locator('ol.schedule');
    expect(await modules.last().locator(':scope > li').count()).toBe(6);
    expect(await page.getByRole('region', { name: en('offeringPage.certificate.heading') }).innerText()).toMatch(/Complete every required activity and pass the quizzes by /);

    await visit(page, `/offerings/${DRAFT_SLUG}`, 'draft offering page for a visitor', { status: 404 });
    await page.getByRole('heading', { level: 1, name: en('errors.notFoundTitle') }).waitFor();
    expect(await page.getByText('STEM lab safety').count()).toBe(0);
    expect(await page.locator('script[type="application/ld+json"]').count()).toBe(0);
    expect(unexpectedConsoleErrors(consoleErrors)).toEqual([]);
  });

  test('the home page highlights offerings open for enrolment now and starting soon, with links to their pages', async ({ page, consoleErrors }) => {
    await settleTimeZone(page);
    for (const headingKey of ['catalogue.home.openNow', 'catalogue.home.startingSoon']) {
      const section = page.getByRole('region', { name: en(headingKey), exact: true });
      const links = section.locator('.offering-card__title a');
      // (After "back" the home page renders again from fresh loader data: wait for it.)
      await links.first().waitFor();
      expect(await links.count(), `${en(headingKey)} lists offerings`).toBeGreaterThan(0);
      const title = (await links.first().innerText()).trim();
      await links.first().click();
      await page.waitForURL((url) => url.pathname.startsWith('/offerings/'));
      await page.getByRole('heading', { level: 1, name: title }).waitFor();
      await waitForHydration(page);
      await expectAccessible(page, `offering page reached from "${en(headingKey)}"`);
      await page.goBack();
      await waitForPath(page, '/');
      await page.getByRole('heading', { level: 1, name: en('home.title') }).waitFor();
      await waitForHydration(page);
    }
    // Every card in "open now" says enrolment is open; "starting soon" repeats none of them.
    const openNow = page.getByRole('region', { name: en('catalogue.home.openNow'), exact: true });
    const soon = page.getByRole('region', { name: en('catalogue.home.startingSoon'), exact: true });
    for (const card of await openNow.locator('.offering-card').allInnerTexts()) expect(card).toContain(en('catalogue.card.openNow'));
    const openTitles = await openNow.locator('.offering-card__title').allInnerTexts();
    for (const title of await soon.locator('.offering-card__title').allInnerTexts()) expect(openTitles).not.toContain(title);
    // "All offerings open for enrolment" is the catalogue's open filter.
    await openNow.getByRole('link', { name: en('catalogue.home.seeAllOpen') }).click();
    await page.waitForURL((url) => url.pathname === '/catalogue' && url.searchParams.get('open') === '1');
    await waitForHydration(page);
    expect(await page.getByRole('search').getByLabel(en('catalogue.openNow'), { exact: true }).isChecked()).toBe(true);
    for (const title of openTitles) expect(await resultTitles(page)).toContain(title);
    await expectAccessible(page, 'catalogue of offerings open now, from the home page');
    expect(unexpectedConsoleErrors(consoleErrors)).toEqual([]);
  });

  test('Markdown in a description cannot run script: the preview shows the text, without script or event handlers', async ({ page, consoleErrors }) => {
    const title = `Safe markdown webinar ${titleSuffix()}`;
    await openMyOfferings(page, 'trainer.zulawski@example.org');
    await createOffering(page, { kind: 'webinar', title, zone: 'Europe/Warsaw' });
    const details = page.locator('form#offering-details');
    await details.getByLabel(en('authoring.fields.summary'), { exact: true }).fill('A webinar whose description tries to run script.');
    await details
      .getByLabel(en('authoring.fields.description'), { exact: true })
      .fill(
        'Welcome to **this webinar**.\n\n<script>window.__xss=1</script>\n\n<img src=x onerror="window.__xss=2">\n\n[A link](javascript:window.__xss=3)\n\nSee you there.',
      );
    await details.getByRole('button', { name: en('common.save'), exact: true }).click();
    await expectFlash(page, en('authoring.flash.saved'));
    await waitForHydration(page);

    // The preview is the public page of the draft, which its trainers may see.
    await page.getByRole('navigation', { name: en('authoring.layout.tabs') }).getByRole('link', { name: en('authoring.layout.preview'), exact: true }).click();
    await page.waitForURL((url) => url.pathname.startsWith('/offerings/'));
    await page.getByRole('heading', { level: 1, name: title }).waitFor();
    await waitForHydration(page);
    await page.getByRole('note').filter({ hasText: en('offeringPage.draftNotice') }).waitFor();

    const description = page.getByRole('region', { name: en('offeringPage.description') }).locator('.description');
    expect(await description.locator('strong').innerText()).toBe('this webinar');
    const text = await description.innerText();
    expect(text).toContain('Welcome to this webinar.');
    expect(text).toContain('See you there.');
    expect(await description.locator('script').count()).toBe(0);
    expect(await description.locator('[onerror], [onload], [onclick]').count()).toBe(0);
    const hrefs = await description.locator('a').evaluateAll((links) => links.map((a) => a.getAttribute('href') ?? ''));
    for (const href of hrefs) expect(href.toLowerCase()).not.toContain('javascript:');
    // Give an image error handler every chance to run, then check nothing ran.
    await page.waitForLoadState('load');
    await page.waitForTimeout(300);
    expect(await page.evaluate(() => (window as unknown as { __xss?: unknown }).__xss)).toBeUndefined();
    // What is left of the raw <img> must be a proper image: an https address (the editor's own rule) and a text alternative.
    // App bug: renderMarkdown (app/modules/markdown/markdown.ts) keeps <img src="x"> as it is, with a relative src and no alt,
    // so the public page shows an image without alternative text (axe image-alt, WCAG 1.1.1) that loads /offerings/x.
    const images = await description.locator('img').evaluateAll((imgs) => imgs.map((img) => ({ src: img.getAttribute('src'), alt: img.getAttribute('alt') })));
    for (const image of images) {
      expect(image.src ?? '', 'an image kept from the description loads from an https address').toMatch(/^https:\/\//);
      expect(image.alt, 'an image kept from the description has an alt attribute').not.toBeNull();
    }
    await expectAccessible(page, 'preview of the draft with unsafe Markdown');
    expect(unexpectedConsoleErrors(consoleErrors)).toEqual([]);
  });
});
