import { unstable_parseMultipartFormData, type UploadHandler } from '@remix-run/node';
import { hasNulText } from './read-form.server';

/**
 * Reading a multipart form with files (an attendance report, a certificate
 * PDF) without ever holding more than it may have: a declared Content-Length
 * over the whole form's limit is refused before reading anything, and each
 * part is held to its own limit while it streams in, so an oversized file is
 * refused without reading it all.
 */

export interface UploadLimits {
  /** The whole body: the files, the small fields and the multipart framing. */
  maxFormBytes: number;
  /** Bytes allowed per named field (files or large text fields). */
  partBytes: Record<string, number>;
  /** Bytes allowed for any other field (intent, tokens, a time zone). */
  otherFieldBytes: number;
}

export type UploadRead = { ok: true; form: FormData } | { ok: false; status: 400 | 413; problem: 'too-large' | 'unreadable' };

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

/** True when the request declares a body over the limit: refuse it before reading. */
export function declaresMoreThan(request: Request, maxBytes: number): boolean {
  const declared = Number(request.headers.get('content-length') ?? '0');
  return Number.isFinite(declared) && declared > maxBytes;
}

export async function readLimitedMultipart(request: Request, limits: UploadLimits): Promise<UploadRead> {
  if (declaresMoreThan(request, limits.maxFormBytes)) return { ok: false, status: 413, problem: 'too-large' };
  if (!(request.headers.get('content-type') ?? '').toLowerCase().startsWith('multipart/form-data')) return { ok: false, status: 400, problem: 'unreadable' };
  const handler: UploadHandler = async ({ name, filename, contentType, data }) => {
    const bytes = await collect(data, limits.partBytes[name] ?? limits.otherFieldBytes);
    if (filename !== undefined) return new File([bytes], filename, { type: contentType });
    return new TextDecoder().decode(bytes);
  };
  try {
    const form = await unstable_parseMultipartFormData(request, handler);
    // A NUL byte in a text field could not be stored (see readFormData).
    if (hasNulText(form)) return { ok: false, status: 400, problem: 'unreadable' };
    return { ok: true, form };
  } catch (error) {
    if (error instanceof PartTooLarge) return { ok: false, status: 413, problem: 'too-large' };
    return { ok: false, status: 400, problem: 'unreadable' };
  }
}
