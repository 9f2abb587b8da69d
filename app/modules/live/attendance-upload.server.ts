import { readLimitedMultipart, type UploadRead } from '../forms/upload.server';
import { MAX_REPORT_BYTES } from './reports';
import { REPORT_COPY_FIELD, REPORT_FIELD } from './schemas';

/**
 * Reading the attendance import's form: the report file in step 1 (the
 * preview), its bytes again as base64 in step 2 (the save). Each part is
 * held to its own limit while it streams in, so a file over MAX_REPORT_BYTES
 * is refused without reading it all; a declared Content-Length over the
 * whole form's limit is refused before reading anything.
 */

/** Base64 of the largest report, as the save step carries it. */
export const MAX_REPORT_BASE64_CHARS = Math.ceil(MAX_REPORT_BYTES / 3) * 4;
/** The largest import form: the base64 copy plus room for the small fields and multipart framing. */
export const MAX_IMPORT_FORM_BYTES = MAX_REPORT_BASE64_CHARS + 64 * 1024;

const SMALL_FIELD_BYTES = 4 * 1024;

/**
 * Types browsers give .csv and .txt files (Windows says application/vnd.ms-excel
 * for CSV, some send nothing or octet-stream); the parser refuses what is
 * not text anyway. Spreadsheets, PDFs and images are refused at once.
 */
const REPORT_TYPES = ['text/csv', 'text/plain', 'text/tab-separated-values', 'application/csv', 'application/vnd.ms-excel', 'application/octet-stream', ''];

export function isReportContentType(type: string): boolean {
  return REPORT_TYPES.includes(type.split(';')[0]!.trim().toLowerCase());
}

/** The import form, read part by part within the limits. */
export function readImportForm(request: Request): Promise<UploadRead> {
  return readLimitedMultipart(request, {
    maxFormBytes: MAX_IMPORT_FORM_BYTES,
    partBytes: { [REPORT_FIELD]: MAX_REPORT_BYTES, [REPORT_COPY_FIELD]: MAX_REPORT_BASE64_CHARS },
    otherFieldBytes: SMALL_FIELD_BYTES,
  });
}

/** The bytes of a base64 copy, or null when it is not base64 or decodes to more than a report may have. */
export function decodeReportCopy(text: string): Uint8Array | null {
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(text) || text.length % 4 !== 0) return null;
  const bytes = Buffer.from(text, 'base64');
  return bytes.length > MAX_REPORT_BYTES ? null : new Uint8Array(bytes);
}

export function encodeReportCopy(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('base64');
}
