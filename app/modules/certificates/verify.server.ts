import { unstable_parseMultipartFormData, type UploadHandler } from '@remix-run/node';
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

class PartTooLarge extends Error {}

async function collect(data: AsyncIterable<Uint8Array>, limit: number): Promise<Uint8Array<ArrayBuffer>> {
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of data) {
    size += chunk.byteLength;
    if (size > limit) throw new PartTooLarge();
    chunks.push(chunk);
  }
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return bytes;
}

/** Each part is held to its limit while it streams in, so an oversized file is refused without reading it all. */
const limitedUpload: UploadHandler = async ({ name, filename, contentType, data }) => {
  const bytes = await collect(data, name === PDF_FIELD ? MAX_PDF_BYTES : SMALL_FIELD_BYTES);
  if (filename !== undefined) return new File([bytes], filename, { type: contentType });
  return new TextDecoder().decode(bytes);
};

export type PdfCheck =
  | { ok: true; match: { code: string } | null }
  | { ok: false; status: 400 | 413 | 415; problem: 'uploadMissing' | 'uploadTooLarge' | 'uploadNotPdf' };

/** Whether the uploaded file is, byte for byte, a PDF issued here (its SHA-256 is a stored one). */
export async function checkUploadedPdf(db: Executor, request: Request): Promise<PdfCheck> {
  const declared = Number(request.headers.get('content-length') ?? '0');
  if (Number.isFinite(declared) && declared > MAX_UPLOAD_FORM_BYTES) return { ok: false, status: 413, problem: 'uploadTooLarge' };
  if (!(request.headers.get('content-type') ?? '').toLowerCase().startsWith('multipart/form-data')) return { ok: false, status: 400, problem: 'uploadMissing' };
  let form: FormData;
  try {
    form = await unstable_parseMultipartFormData(request, limitedUpload);
  } catch (error) {
    if (error instanceof PartTooLarge) return { ok: false, status: 413, problem: 'uploadTooLarge' };
    return { ok: false, status: 400, problem: 'uploadMissing' };
  }
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
