import PDFDocument from 'pdfkit';
import QRCode from 'qrcode';
import type { CertificateSnapshot } from '#db/schema';
import { serverT } from '../i18n/i18n';
import { translateKey } from '../i18n/translate';
import { dateTimeFormat, listFormat } from '../time/intl';
import { certificateFonts } from './fonts.server';
import { formatCode } from './code';
import { describeMinutes } from './duration';

/**
 * The certificate as a PDF: A4 landscape, printed in the holder's language
 * with DejaVu (parsed once per process, see fonts.server.ts), a QR code and
 * the printed address of the verification page.
 *
 * Same certificate, same bytes: the info dictionary's dates are the issue
 * instant, pdfkit derives the document ID from that dictionary, font subset
 * tags come from the font's position in the document, zlib is
 * deterministic, and nothing here reads the clock or random numbers. The
 * SHA-256 stored at issue therefore stays valid for every download.
 */

export interface CertificateDocumentInput {
  code: string;
  issuedAt: Date;
  snapshot: CertificateSnapshot;
}

const PAGE = { width: 841.89, height: 595.28 };
const BRAND = '#1f4e79';
const INK = '#1b1b1b';
const MUTED = '#555555';

export function verificationUrl(issuerUrl: string, code: string): string {
  return `${issuerUrl.replace(/\/+$/, '')}/verify/${code}`;
}

// --- Words and numbers in the holder's language, prepared once per language ---

interface Labels {
  title: string;
  certifies: string;
  completedKind: Record<CertificateSnapshot['offeringKind'], string>;
  t: (key: string, params?: Record<string, unknown>) => string;
  date: Intl.DateTimeFormat | null;
  zone: string;
  list: Intl.ListFormat;
}

const labelCache = new Map<string, Labels>();
const KINDS: CertificateSnapshot['offeringKind'][] = ['mooc', 'short_course', 'webinar', 'webinar_series', 'online_event'];

function labelsFor(language: CertificateSnapshot['language'], zone: string): Labels {
  const key = `${language}|${zone}`;
  let labels = labelCache.get(key);
  if (!labels) {
    const t = (k: string, params?: Record<string, unknown>) => translateKey(serverT(language), k, params);
    let date: Intl.DateTimeFormat | null;
    try {
      date = dateTimeFormat(language, { year: 'numeric', month: 'long', day: 'numeric', timeZone: zone });
    } catch {
      date = null;
    }
    labels = {
      title: t('certificates.pdf.title'),
      certifies: t('certificates.pdf.certifies'),
      completedKind: Object.fromEntries(KINDS.map((kind) => [kind, t(`certificates.pdf.completedKinds.${kind}`)])) as Labels['completedKind'],
      t,
      date,
      zone,
      list: listFormat(language, { style: 'long', type: 'conjunction' }),
    };
    // Zones come from profiles; a handful of languages times the zones in use stays small, but never grows without bound.
    if (labelCache.size > 200) labelCache.clear();
    labelCache.set(key, labels);
  }
  return labels;
}

function formatDay(labels: Labels, iso: string): string {
  const instant = new Date(iso);
  return labels.date ? labels.date.format(instant) : instant.toISOString().slice(0, 10);
}

/** The lines under the offering title: dates, time, completion, trainers. */
export function detailLines(snapshot: CertificateSnapshot): string[] {
  const labels = labelsFor(snapshot.language, snapshot.timeZone);
  const { t } = labels;
  const lines: string[] = [];
  if (snapshot.startsAt && snapshot.endsAt) {
    const from = formatDay(labels, snapshot.startsAt);
    const to = formatDay(labels, snapshot.endsAt);
    lines.push(from === to ? t('certificates.pdf.date', { date: from }) : t('certificates.pdf.dates', { from, to }));
  }
  if (snapshot.attendedMinutes !== null) lines.push(t('certificates.pdf.attended', { duration: describeMinutes(snapshot.attendedMinutes, snapshot.language) }));
  else if (snapshot.expectedMinutes) lines.push(t('certificates.pdf.expected', { duration: describeMinutes(snapshot.expectedMinutes, snapshot.language) }));
  lines.push(t('certificates.pdf.completedOn', { date: formatDay(labels, snapshot.completedAt) }));
  if (snapshot.trainers.length > 0) lines.push(t('certificates.pdf.trainers', { names: labels.list.format(snapshot.trainers) }));
  return lines;
}

// --- Drawing ---

/** The QR code as filled rectangles, one per run of dark modules in a row: small, sharp at any size, no image to decode. */
function drawQrCode(doc: PDFKit.PDFDocument, text: string, x: number, y: number, size: number): void {
  const { modules } = QRCode.create(text, { errorCorrectionLevel: 'M' });
  const count = modules.size;
  const cell = size / count;
  for (let row = 0; row < count; row++) {
    let col = 0;
    while (col < count) {
      if (!modules.data[row * count + col]) {
        col++;
        continue;
      }
      const start = col;
      while (col < count && modules.data[row * count + col]) col++;
      doc.rect(x + start * cell, y + row * cell, (col - start) * cell, cell);
    }
  }
  doc.fillColor(INK).fill();
}

/**
 * Draws a line centred on the page in the current font and returns the y
 * below it. Text that fits on one line is placed directly: pdfkit's line
 * wrapper (any `width` option) costs more than the rest of the page. Longer
 * text wraps to at most `maxLines` lines, the last one ending in an ellipsis.
 */
function centred(doc: PDFKit.PDFDocument, text: string, y: number, maxWidth: number, maxLines = 1): number {
  const lineHeight = doc.currentLineHeight(true);
  const textWidth = doc.widthOfString(text);
  if (textWidth <= maxWidth || maxLines === 1) {
    doc.text(text, Math.max((PAGE.width - maxWidth) / 2, (PAGE.width - textWidth) / 2), y, { lineBreak: false });
    return y + lineHeight;
  }
  doc.text(text, (PAGE.width - maxWidth) / 2, y, { width: maxWidth, align: 'center', height: lineHeight * maxLines, ellipsis: true });
  return Math.max(doc.y, y + lineHeight);
}

/** Largest size from `size` down to `min` at which the text fits on one line. */
function fittingSize(doc: PDFKit.PDFDocument, text: string, width: number, size: number, min: number): number {
  let current = size;
  while (current > min && doc.fontSize(current).widthOfString(text) > width) current -= 1;
  return current;
}

function registerFonts(doc: PDFKit.PDFDocument): void {
  const fonts = certificateFonts();
  // pdfkit 0.20 accepts a parsed fontkit font where its types only list file sources.
  doc.registerFont('sans', fonts.sans as unknown as Buffer);
  doc.registerFont('sansBold', fonts.sansBold as unknown as Buffer);
  doc.registerFont('serifBold', fonts.serifBold as unknown as Buffer);
}

/**
 * The certificate's PDF as a pdfkit document, already ended: a readable
 * stream of the bytes (for a download or a ZIP entry).
 */
export function certificateDocument(input: CertificateDocumentInput): PDFKit.PDFDocument {
  const { snapshot, code, issuedAt } = input;
  const labels = labelsFor(snapshot.language, snapshot.timeZone);
  const url = verificationUrl(snapshot.issuer.url, code);
  const doc = new PDFDocument({
    size: 'A4',
    layout: 'landscape',
    margin: 0,
    autoFirstPage: false,
    // No default Helvetica: pdfkit would parse its metrics for every document, and nothing here uses it.
    font: null as unknown as string,
    lang: snapshot.language,
    displayTitle: true,
    info: {
      Title: `${labels.title}: ${snapshot.holderName} · ${snapshot.offeringTitle}`,
      Author: snapshot.issuer.organisationName,
      Subject: snapshot.offeringTitle,
      Keywords: formatCode(code),
      Creator: snapshot.issuer.platformName,
      Producer: snapshot.issuer.platformName,
      CreationDate: issuedAt,
      ModDate: issuedAt,
    },
  });
  registerFonts(doc);
  doc.addPage({ size: 'A4', layout: 'landscape', margin: 0 });

  // Frame
  doc.lineWidth(2.5).strokeColor(BRAND).rect(24, 24, PAGE.width - 48, PAGE.height - 48).stroke();
  doc.lineWidth(0.6).rect(31, 31, PAGE.width - 62, PAGE.height - 62).stroke();

  const left = 70;
  const width = PAGE.width - 2 * left;

  // Issuer
  doc.font('sansBold').fontSize(12).fillColor(BRAND).text(snapshot.issuer.platformName.toUpperCase(), left, 56, { characterSpacing: 2.5, lineBreak: false });
  doc.font('sans').fontSize(10.5).fillColor(MUTED).text(snapshot.issuer.organisationName, left, 73, { lineBreak: false });

  // Title and holder
  doc.font('serifBold').fontSize(32).fillColor(BRAND);
  centred(doc, labels.title, 112, width);
  doc.font('sans').fontSize(13).fillColor(MUTED);
  centred(doc, labels.certifies, 172, width);
  doc.font('serifBold');
  doc.fontSize(fittingSize(doc, snapshot.holderName, width, 30, 14)).fillColor(INK);
  centred(doc, snapshot.holderName, 196, width, 1);
  doc.lineWidth(0.8).strokeColor(BRAND).moveTo(PAGE.width / 2 - 190, 240).lineTo(PAGE.width / 2 + 190, 240).stroke();

  // What was completed
  doc.font('sans').fontSize(13).fillColor(MUTED);
  centred(doc, labels.completedKind[snapshot.offeringKind], 256, width);
  doc.font('sansBold').fontSize(19).fillColor(INK);
  centred(doc, snapshot.offeringTitle, 280, width - 80, 2);

  // Details
  doc.font('sans').fontSize(11).fillColor(INK);
  let y = 348;
  for (const line of detailLines(snapshot)) y = centred(doc, line, y, width - 80, 2) + 4;

  // Verification
  const qrSize = 92;
  const qrX = PAGE.width - 56 - qrSize;
  const qrY = PAGE.height - 56 - qrSize;
  drawQrCode(doc, url, qrX, qrY, qrSize);
  doc.font('sans').fontSize(9.5).fillColor(MUTED).text(labels.t('certificates.pdf.code'), left, qrY + 6, { lineBreak: false });
  doc.font('sansBold').fontSize(15).fillColor(INK).text(formatCode(code), left, qrY + 20, { characterSpacing: 1, lineBreak: false });
  doc.font('sans').fontSize(9.5).fillColor(MUTED).text(labels.t('certificates.pdf.verifyAt'), left, qrY + 48, { lineBreak: false });
  doc.fillColor(BRAND).text(url, left, qrY + 62, { lineBreak: false, link: url });
  doc
    .fontSize(8.5)
    .fillColor(MUTED)
    .text(labels.t('certificates.pdf.issuedBy', { organisation: snapshot.issuer.organisationName, platform: snapshot.issuer.platformName }), left, qrY + 78, {
      lineBreak: false,
    });

  doc.end();
  return doc;
}

/** The whole PDF in memory: for the hash at issue and single downloads (tens of kilobytes). */
export function renderCertificatePdf(input: CertificateDocumentInput): Promise<Buffer> {
  const doc = certificateDocument(input);
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
}
