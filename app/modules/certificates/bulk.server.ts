import { once } from 'node:events';
import type { Readable } from 'node:stream';
import { ZipArchive } from 'archiver';
import { stringify } from 'csv-stringify/sync';
import { DateTime } from 'luxon';
import type { Executor } from '#db/client';
import { serverT } from '../i18n/i18n';
import type { Locale } from '../i18n/locales';
import { translateKey } from '../i18n/translate';
import { formatCode } from './code';
import { renderCertificatePdf } from './pdf.server';
import { listOfferingCertificates, offeringCertificatesPage } from './queries.server';

const PAGE_SIZE = 100;

/** Latin letters that do not decompose into a base letter and a mark. */
const LATIN_EXTRA: Record<string, string> = { Ø: 'O', ø: 'o', Æ: 'Ae', æ: 'ae', Œ: 'Oe', œ: 'oe', Ł: 'L', ł: 'l', Đ: 'D', đ: 'd', ß: 'ss', Þ: 'Th', þ: 'th', ı: 'i' };

/** A file name part from a person's name: ASCII letters and digits, so every ZIP tool shows it the same (other scripts fall back to "certificate"). */
function fileNamePart(name: string): string {
  return (
    name
      .replace(/[ØøÆæŒœŁłĐđßÞþı]/g, (letter) => LATIN_EXTRA[letter] ?? letter)
      .normalize('NFKD')
      .replace(/[\u0300-\u036f]/g, '')
      .replace(/[^A-Za-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 60) || 'certificate'
  );
}

/**
 * Every valid certificate of an offering as one ZIP, streamed: certificates
 * are read a page at a time, and each PDF is rendered (into one buffer of
 * some 30 KB) and handed to the archive only once the one before it has
 * been written out, so memory holds one or two PDFs whatever the number
 * (PDFs are compressed already: stored, not deflated again). One buffer per
 * PDF rather than pdfkit's stream of small chunks through the archive:
 * the same bytes, less garbage (bench:certificates, docs/benchmarks.md).
 * A client that goes away stops the work.
 */
export function certificatesZip(db: Executor, offeringId: string): Readable {
  const archive = new ZipArchive({ store: true });
  const closed = once(archive, 'close').catch(() => undefined);
  const fill = async () => {
    let after: { issuedAt: Date; id: string } | null = null;
    for (;;) {
      const page = await offeringCertificatesPage(db, offeringId, after, PAGE_SIZE);
      for (const certificate of page) {
        if (archive.destroyed) return;
        const pdf = await renderCertificatePdf(certificate);
        const written = once(archive, 'entry');
        archive.append(pdf, {
          name: `${formatCode(certificate.code)}-${fileNamePart(certificate.snapshot.holderName)}.pdf`,
          date: certificate.issuedAt,
        });
        await Promise.race([written, closed]);
      }
      if (page.length < PAGE_SIZE) break;
      const last = page[page.length - 1]!;
      after = { issuedAt: last.issuedAt, id: last.id };
    }
    if (!archive.destroyed) await archive.finalize();
  };
  fill().catch((error: unknown) => archive.destroy(error instanceof Error ? error : new Error(String(error))));
  return archive;
}

/** Text a spreadsheet would run as a formula gets a leading apostrophe (OWASP's advice for CSV injection). */
function neutralise(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

/**
 * The register of an offering's certificates as CSV, every one (replaced and
 * revoked too): code, name, email, issued (in the viewer's zone), status.
 * Labels in the viewer's language; a byte-order mark so spreadsheets read UTF-8.
 */
export async function certificatesCsv(db: Executor, offeringId: string, locale: Locale, zone: string): Promise<string> {
  const rows = await listOfferingCertificates(db, offeringId);
  const t = serverT(locale);
  const tr = (key: string, params?: Record<string, unknown>) => translateKey(t, key, params);
  const header = [tr('certificates.csv.code'), tr('certificates.csv.name'), tr('certificates.csv.email'), tr('certificates.csv.issued', { zone }), tr('certificates.csv.status')];
  const records = rows.map((row) => [
    formatCode(row.code),
    row.holderName,
    row.email ?? '',
    DateTime.fromJSDate(row.issuedAt, { zone }).toFormat('yyyy-MM-dd HH:mm'),
    tr(`certificates.status.${row.status.kind}`),
  ]);
  return `\uFEFF${stringify([header, ...records].map((record) => record.map(neutralise)), { record_delimiter: 'windows' })}`;
}
