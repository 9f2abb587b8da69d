import { readLimitedMultipart } from '../forms/upload.server';
import type { Executor } from '#db/client';
import { parseCode } from './code';
import { sha256 } from './issue.server';
import { findCertificateByCode, findCodeByPdfHash, type VerifiedCertificate } from './queries.server';
import { MAX_PDF_BYTES, PDF_FIELD } from './verify-form';

/**
 * Public verification (no sign-in): by code, and by uploading the PDF. A
 * code that fails its check character is a typo, told apart from a
 * well-formed code that names nothing.
 */

export type CodeVerification = { result: 'malformed' | 'mistyped' | 'unknown'; input: string } | { result: 'found'; certificate: VerifiedCertificate };

export async function verifyCode(db: Executor, input: string): Promise<CodeVerification> {
  const parsed = parseCode(input);
  if (!parsed.ok) return { result: parsed.reason, input };
  const certificate = await findCertificateByCode(db, parsed.code);
  return certificate ? { result: 'found', certificate } : { result: 'unknown', input };
}

/** The whole upload form: the file and a little room for framing and the intent field. */
export const MAX_UPLOAD_FORM_BYTES = MAX_PDF_BYTES + 64 * 1024;
const SMALL_FIELD_BYTES = 1024;

export type PdfCheck =
  | { ok: true; match: { code: string } | null }
  | { ok: false; status: 400 | 413 | 415; problem: 'uploadMissing' | 'uploadTooLarge' | 'uploadNotPdf' };

/** Whether the uploaded file is, byte for byte, a PDF issued here (its SHA-256 is a stored one). */
export async function checkUploadedPdf(db: Executor, request: Request): Promise<PdfCheck> {
  const read = await readLimitedMultipart(request, {
    maxFormBytes: MAX_UPLOAD_FORM_BYTES,
    partBytes: { [PDF_FIELD]: MAX_PDF_BYTES },
    otherFieldBytes: SMALL_FIELD_BYTES,
  });
  if (!read.ok) return { ok: false, status: read.status, problem: read.problem === 'too-large' ? 'uploadTooLarge' : 'uploadMissing' };
  const form = read.form;
  const file = form.get(PDF_FIELD);
  if (!(file instanceof File) || file.size === 0) return { ok: false, status: 400, problem: 'uploadMissing' };
  const bytes = new Uint8Array(await file.arrayBuffer());
  const type = file.type.split(';')[0]!.trim().toLowerCase();
  const looksLikePdf = new TextDecoder().decode(bytes.subarray(0, 5)) === '%PDF-';
  if ((type !== 'application/pdf' && type !== 'application/octet-stream' && type !== '') || !looksLikePdf) {
    return { ok: false, status: 415, problem: 'uploadNotPdf' };
  }
  const code = await findCodeByPdfHash(db, sha256(bytes));
  return { ok: true, match: code ? { code } : null };
}
