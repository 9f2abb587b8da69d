import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { CertificateSnapshot } from '#db/schema';
import { formatCode, generateCode } from '~/modules/certificates/code';
import { certificateFontParseCount } from '~/modules/certificates/fonts.server';
import { renderCertificatePdf } from '~/modules/certificates/pdf.server';

const NAMES = ['Łucja Żółkiewska', 'Şükrü Öztürk', 'Αλέξανδρος Παπαδόπουλος', 'Ђорђе Петровић'];

function snapshot(overrides: Partial<CertificateSnapshot> = {}): CertificateSnapshot {
  return {
    holderName: 'Ingrid Østergård',
    offeringTitle: 'Formative assessment in practice',
    offeringKind: 'short_course',
    offeringSlug: 'formative-assessment',
    expectedMinutes: 360,
    attendedMinutes: null,
    startsAt: '2026-03-02T08:00:00.000Z',
    endsAt: '2026-04-24T15:00:00.000Z',
    completedAt: '2026-04-20T11:30:00.000Z',
    issuer: { platformName: 'Kollega', organisationName: 'Nordic School Network', url: 'https://kollega.example.org' },
    trainers: ['Anna Berg', 'Jussi Mäkinen'],
    language: 'en',
    timeZone: 'Europe/Oslo',
    ...overrides,
  };
}

const dir = mkdtempSync(path.join(os.tmpdir(), 'kollega-certificate-pdf-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The text poppler reads from the PDF, as a reader's copy-and-paste would get it. */
function pdfText(pdf: Buffer): string {
  const file = path.join(dir, `${Math.random().toString(36).slice(2)}.pdf`);
  writeFileSync(file, pdf);
  return execFileSync('pdftotext', ['-enc', 'UTF-8', file, '-'], { encoding: 'utf8' });
}

describe('certificate PDF', () => {
  it.each(NAMES)('prints %s so that the text read back is exactly the name', async (name) => {
    const code = generateCode();
    const pdf = await renderCertificatePdf({ code, issuedAt: new Date('2026-04-20T11:30:05Z'), snapshot: snapshot({ holderName: name, trainers: NAMES }) });
    const text = pdfText(pdf);
    expect(text).toContain(name);
    for (const trainer of NAMES) expect(text).toContain(trainer);
    expect(text).toContain(formatCode(code));
    expect(text).toContain(`https://kollega.example.org/verify/${code}`);
  });

  it('is A4 landscape with the fonts embedded, and the same certificate always gives the same bytes', async () => {
    const input = { code: generateCode(), issuedAt: new Date('2026-04-20T11:30:05Z'), snapshot: snapshot({ holderName: NAMES[2]! }) };
    const first = await renderCertificatePdf(input);
    const second = await renderCertificatePdf({ ...input, snapshot: structuredClone(input.snapshot) });
    expect(second.equals(first)).toBe(true);
    const raw = first.toString('latin1');
    expect(raw).toMatch(/\/MediaBox \[0 0 841\.89 595\.28\]/);
    expect(raw).toContain('/FontFile2');
    expect(raw).toContain('DejaVuSans');
    // Fixed dates: the issue instant, not the time of rendering.
    expect(raw).toMatch(/\/CreationDate \d+ 0 R/);
    expect(raw).toMatch(/\/ModDate \d+ 0 R/);
    expect(raw.split('(D:20260420113005Z)')).toHaveLength(3);
    // Another certificate (another code) has another document ID.
    const other = await renderCertificatePdf({ ...input, code: generateCode() });
    const id = (bytes: Buffer) => /\/ID \[<([0-9a-f]+)>/.exec(bytes.toString('latin1'))?.[1];
    expect(id(first)).toMatch(/^[0-9a-f]{32}$/);
    expect(id(other)).not.toBe(id(first));
  });

  it.each([
    ['en', 'Certificate of completion', 'Expected learning time: 6 hours'],
    ['nb', 'Kursbevis', 'Forventet læringstid: 6 timer'],
    ['sv', 'Intyg om genomförd utbildning', 'Beräknad studietid: 6 timmar'],
    ['fi', 'Todistus suorituksesta', 'Arvioitu opiskeluaika: 6 tuntia'],
  ] as const)('is printed in the holder language (%s)', async (language, title, hours) => {
    const text = pdfText(await renderCertificatePdf({ code: generateCode(), issuedAt: new Date('2026-04-20T11:30:05Z'), snapshot: snapshot({ language }) }));
    expect(text).toContain(title);
    expect(text).toContain(hours);
  });

  it('keeps the text of a letter that an earlier document only used inside an accented one (the font is shared)', async () => {
    // Ǯ is drawn from the glyph of Ʒ plus a caron; the subset of the first document asks for Ʒ without a character.
    await renderCertificatePdf({ code: generateCode(), issuedAt: new Date('2026-04-20T11:30:05Z'), snapshot: snapshot({ holderName: 'Ǯ Ǯ' }) });
    const text = pdfText(await renderCertificatePdf({ code: generateCode(), issuedAt: new Date('2026-04-20T11:30:05Z'), snapshot: snapshot({ holderName: 'Ʒaneta Ʒ' }) }));
    expect(text).toContain('Ʒaneta Ʒ');
  });

  it('shows attended minutes for live kinds, and parses the fonts once per process', async () => {
    const text = pdfText(
      await renderCertificatePdf({
        code: generateCode(),
        issuedAt: new Date('2026-04-20T11:30:05Z'),
        snapshot: snapshot({ offeringKind: 'webinar_series', expectedMinutes: null, attendedMinutes: 200 }),
      }),
    );
    expect(text).toContain('has completed the webinar series');
    expect(text).toContain('Time attended: 3 hours 20 minutes');
    expect(certificateFontParseCount()).toBe(1);
  });
});
