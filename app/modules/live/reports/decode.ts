/**
 * Bytes to text for attendance reports. Conferencing tools write UTF-8 (with
 * or without a byte-order mark) or, like Teams, UTF-16 with a byte-order mark.
 * Anything else — Latin-1 or Windows-1252 bytes, UTF-16 without a BOM, an
 * image — is refused instead of guessed, so a name never arrives garbled.
 */

export type DecodedText = { ok: true; text: string } | { ok: false };

// C0 control characters other than tab, line feed and carriage return, and DEL: never in a text report,
// always in binaries (and in UTF-16 read as UTF-8, or UTF-32 read as UTF-16).
// eslint-disable-next-line no-control-regex
const BINARY_CHARACTERS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/;

function encodingOf(bytes: Uint8Array): 'utf-8' | 'utf-16le' | 'utf-16be' {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return 'utf-16le';
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return 'utf-16be';
  return 'utf-8';
}

/** Decodes a report; the byte-order mark, if any, is dropped. */
export function decodeReportBytes(bytes: Uint8Array): DecodedText {
  let text: string;
  try {
    // fatal: invalid sequences (Latin-1 bytes in UTF-8, an odd byte count in UTF-16) throw instead of becoming U+FFFD.
    text = new TextDecoder(encodingOf(bytes), { fatal: true }).decode(bytes);
  } catch {
    return { ok: false };
  }
  if (BINARY_CHARACTERS.test(text)) return { ok: false };
  return { ok: true, text };
}
