import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe } from 'vitest';
import { fill, textsFor } from '#emails/texts';
import { CODE_ALPHABET, formatCode } from '~/modules/certificates/code';
import { PLATFORM_NAME } from '~/modules/certificates/platform';
import { expect, expectAccessible, test } from './support/browser';
import { closeDb, insertTestOffering } from './support/db';
import { DEMO_PASSWORD, expectFlash, signIn, uniqueSuffix, unexpectedConsoleErrors, visit, waitForHydration, waitForPath } from './support/flows';
import { tr } from './support/i18n';
import { closeMailbox, waitForLink, waitForMail } from './support/mailbox';

/**
 * Certificates end to end (issue 6's scenario): a Polish teacher, whose name
 * needs the PDF's embedded font, completes a short course; the worker issues
 * her certificate and emails her the verification link; the public page shows
 * the claim; she downloads the PDF from her dashboard, its text carries her
 * name and the code exactly, and /verify recognises the file as unaltered,
 * refuses a copy with one byte changed and tells a mistyped code apart.
 */

const TEACHER = { email: 'lucja.zolkiewska@szkola.example.pl', name: 'Łucja Żółkiewska' }; // validated, UI in English
const TRAINER = 'trainer.hansen@example.org';
const ORGANISER_ZONE = 'Europe/Oslo';

const en = (key: string, params?: Record<string, string | number>) => tr('en', key, params);
const run = promisify(execFile);

const suffix = uniqueSuffix();
const TITLE = `Assessment for learning ${suffix}`;
const SLUG = `assessment-for-learning-${suffix}`;
const MODULE = 'Week 1: why assess for learning';
const PAGE = 'Read: assessment that helps learners';

let offeringId: string;
let downloads: string;

beforeAll(async () => {
  const start = DateTime.now().setZone(ORGANISER_ZONE).minus({ days: 1 }).set({ hour: 9, minute: 0, second: 0, millisecond: 0 });
  const ends = DateTime.now().setZone(ORGANISER_ZONE).plus({ weeks: 2 }).set({ hour: 17, minute: 0, second: 0, millisecond: 0 });
  const offering = await insertTestOffering({
    slug: SLUG,
    title: TITLE,
    kind: 'short_course',
    organiserTimeZone: ORGANISER_ZONE,
    enrolmentOpensAt: start.minus({ days: 14 }).toJSDate(),
    enrolmentClosesAt: ends.toJSDate(),
    startsAt: start.toJSDate(),
    endsAt: ends.toJSDate(),
    certificateEnabled: true,
    trainer: TRAINER,
    modules: [
      {
        title: MODULE,
        releaseAt: start.toJSDate(),
        activities: [{ kind: 'page', title: PAGE, content: { kind: 'page', body: 'Assessment **for** learning shows the next step.', videoUrl: '' } }],
      },
    ],
  });
  offeringId = offering.id;
  downloads = mkdtempSync(path.join(os.tmpdir(), 'kollega-e2e-certificates-'));
});

afterAll(async () => {
  await closeDb();
  await closeMailbox();
  if (downloads) rmSync(downloads, { recursive: true, force: true });
});

/** The same code with its first character replaced: the check character catches every single substitution. */
function withTypo(code: string): string {
  const replacement = [...CODE_ALPHABET].find((char) => char !== code[0])!;
  return replacement + code.slice(1);
}

describe('certificates', () => {
  test(
    'completing a course issues a certificate: emailed link, public verification page, PDF download with the exact name, and the PDF and code checks on /verify',
    async ({ page, consoleErrors }) => {
      expect(offeringId).toBeTruthy();

      // --- Enrol and complete the one required activity.
      await signIn(page, TEACHER.email, DEMO_PASSWORD);
      await visit(page, `/offerings/${SLUG}`, 'offering page before enrolling');
      await page.getByRole('heading', { level: 1, name: TITLE }).waitFor();
      const panel = page.getByRole('region', { name: en('offeringPage.enrolment') });
      await panel.getByRole('button', { name: en('enrolment.panel.enrol'), exact: true }).click();
      await expectFlash(page, en('enrolment.flash.enrolled', { title: TITLE }));
      await waitForHydration(page);
      await panel.getByRole('link', { name: en('enrolment.panel.goToCourse') }).click();
      await waitForPath(page, `/learn/${SLUG}`);
      await waitForHydration(page);
      await page.getByRole('link', { name: PAGE, exact: true }).click();
      await page.getByRole('heading', { level: 1, name: PAGE }).waitFor();
      await waitForHydration(page);
      const completedAt = new Date();
      await page.getByRole('button', { name: en('learn.page.markDone'), exact: true }).click();
      // The last required activity: the course is completed.
      await expectFlash(page, en('learn.flash.completed', { title: TITLE }));
      await page.getByRole('note').filter({ hasText: en('learn.page.done') }).waitFor();

      // --- The worker issues the certificate and emails the verification link.
      const subject = fill(textsFor('en').certificateIssued.subject, { title: TITLE });
      const mail = await waitForMail(TEACHER.email, { subject, since: completedAt, timeoutMs: 30_000 });
      const verifyPath = await waitForLink(TEACHER.email, '/verify/', { subject, since: completedAt });
      const code = /^\/verify\/([0-9A-Z]{12})$/.exec(verifyPath)?.[1];
      expect(code, `a canonical code in ${verifyPath}`).toBeTruthy();
      expect(mail.text).toContain(fill(textsFor('en').certificateIssued.code, { code: formatCode(code!) }));

      // --- The public verification page: her name exactly, the offering, valid.
      await visit(page, verifyPath, 'verification page opened from the email', { status: 200 });
      await page.getByRole('heading', { level: 1, name: en('verify.certificateTitle', { code: formatCode(code!) }) }).waitFor();
      const status = page.locator('main [role="status"]').filter({ hasText: en('verify.statusLabel') });
      expect(await status.innerText()).toContain(`${en('verify.statusLabel')}: ${en('certificates.status.valid')}.`);
      expect(await status.innerText()).toContain(en('verify.valid'));
      const facts = page.locator('dl.facts');
      const fact = async (label: string) => (await facts.locator('dt', { hasText: label }).locator('xpath=following-sibling::dd[1]').innerText()).trim();
      expect(await fact(en('verify.holder'))).toBe(TEACHER.name);
      expect(await fact(en('verify.offering'))).toBe(TITLE);
      expect(await fact(en('verify.kind'))).toBe(en('offerings.kinds.short_course'));
      expect(await fact(en('verify.code'))).toBe(formatCode(code!));

      // --- The dashboard: download the PDF.
      await visit(page, '/dashboard', 'dashboard with the certificate');
      const completed = page.getByRole('region', { name: en('dashboard.completed'), exact: true });
      const downloadLink = completed.getByRole('link', { name: `${en('certificates.dashboard.download')}: ${TITLE}`, exact: true });
      const [download] = await Promise.all([page.waitForEvent('download'), downloadLink.click()]);
      const pdfFile = path.join(downloads, 'certificate.pdf');
      await download.saveAs(pdfFile);
      const pdf = readFileSync(pdfFile);
      expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
      const { stdout: pdfText } = await run('pdftotext', [pdfFile, '-'], { encoding: 'utf8' });
      expect(pdfText).toContain(TEACHER.name);
      expect(pdfText).toContain(formatCode(code!));
      expect(pdfText).toContain(TITLE);

      // --- /verify: the downloaded file is recognised as unaltered.
      await visit(page, '/verify', 'verification form');
      const uploadSection = page.getByRole('region', { name: en('verify.uploadTitle') });
      const uploadFile = async (file: string) => {
        await uploadSection.getByLabel(en('verify.uploadLabel'), { exact: true }).setInputFiles(file);
        await uploadSection.getByRole('button', { name: en('verify.upload'), exact: true }).click();
      };
      await uploadFile(pdfFile);
      const matched = uploadSection.getByRole('status').filter({ hasText: en('verify.uploadMatch') });
      await matched.waitFor();
      await matched.getByRole('link', { name: en('verify.seeCertificate', { code: formatCode(code!) }) }).waitFor();
      await expectAccessible(page, 'verification form, unaltered PDF');

      // A copy with one byte changed (in the middle, so it still looks like a PDF) is refused.
      const altered = Buffer.from(pdf);
      const at = Math.floor(altered.length / 2);
      altered[at] = altered[at]! ^ 0x01;
      const alteredFile = path.join(downloads, 'certificate-altered.pdf');
      writeFileSync(alteredFile, altered);
      await uploadFile(alteredFile);
      await uploadSection.getByRole('alert').filter({ hasText: en('verify.uploadNoMatch', { platform: PLATFORM_NAME }) }).waitFor();
      expect(await uploadSection.getByRole('status').filter({ hasText: en('verify.uploadMatch') }).count()).toBe(0);
      await expectAccessible(page, 'verification form, altered PDF refused');

      // --- A code with a typo is told apart from an unknown one.
      await visit(page, '/verify', 'verification form before typing a code');
      const codeField = page.getByLabel(en('verify.codeLabel'), { exact: true });
      await codeField.fill(formatCode(withTypo(code!)));
      await page.getByRole('button', { name: en('verify.check'), exact: true }).click();
      await page.getByRole('alert').filter({ hasText: en('verify.mistyped') }).waitFor();
      expect(await codeField.getAttribute('aria-invalid')).toBe('true');
      await expectAccessible(page, 'verification form, mistyped code');

      // The right code leads to the certificate's page.
      await codeField.fill(formatCode(code!).toLowerCase());
      await page.getByRole('button', { name: en('verify.check'), exact: true }).click();
      await waitForPath(page, `/verify/${code}`);
      await page.getByRole('heading', { level: 1, name: en('verify.certificateTitle', { code: formatCode(code!) }) }).waitFor();

      expect(unexpectedConsoleErrors(consoleErrors)).toEqual([]);
    },
    90_000,
  );
});
