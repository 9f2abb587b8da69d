/**
 * Just enough MIME reading for tests to look inside a message nodemailer
 * built (mailparser does not install here): headers, one level of
 * multipart, quoted-printable and base64 bodies.
 */
export interface MimePart {
  headers: Map<string, string>;
  /** The decoded body, as UTF-8 text. */
  body: string;
}

export interface ParsedMessage extends MimePart {
  parts: MimePart[];
}

function splitHeaderBlock(raw: string): { headers: Map<string, string>; rest: string } {
  const normalised = raw.replace(/\r\n/g, '\n');
  const end = normalised.indexOf('\n\n');
  const head = end === -1 ? normalised : normalised.slice(0, end);
  const rest = end === -1 ? '' : normalised.slice(end + 2);
  const headers = new Map<string, string>();
  // Folded lines start with white space and continue the previous header.
  for (const line of head.replace(/\n[ \t]+/g, ' ').split('\n')) {
    const colon = line.indexOf(':');
    if (colon > 0) headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
  }
  return { headers, rest };
}

export function decodeQuotedPrintable(input: string): string {
  const withoutSoftBreaks = input.replace(/=\r?\n/g, '');
  const bytes: number[] = [];
  for (let i = 0; i < withoutSoftBreaks.length; i++) {
    const char = withoutSoftBreaks[i]!;
    const hex = withoutSoftBreaks.slice(i + 1, i + 3);
    if (char === '=' && /^[0-9A-Fa-f]{2}$/.test(hex)) {
      bytes.push(parseInt(hex, 16));
      i += 2;
    } else {
      bytes.push(...Buffer.from(char, 'utf8'));
    }
  }
  return Buffer.from(bytes).toString('utf8');
}

function decodeBody(body: string, encoding: string | undefined): string {
  switch ((encoding ?? '7bit').toLowerCase()) {
    case 'quoted-printable':
      return decodeQuotedPrintable(body);
    case 'base64':
      return Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
    default:
      return body;
  }
}

/** A header parameter such as the boundary in `multipart/alternative; boundary="x"`. */
export function headerParameter(value: string | undefined, name: string): string | undefined {
  const match = value?.match(new RegExp(`;\\s*${name}="?([^";]+)"?`, 'i'));
  return match?.[1];
}

export function parseMime(raw: string): ParsedMessage {
  const { headers, rest } = splitHeaderBlock(raw);
  const contentType = headers.get('content-type') ?? 'text/plain';
  const boundary = headerParameter(contentType, 'boundary');
  if (!contentType.toLowerCase().startsWith('multipart/') || !boundary) {
    return { headers, body: decodeBody(rest, headers.get('content-transfer-encoding')), parts: [] };
  }
  const sections = rest.split(`--${boundary}`);
  // sections[0] is the preamble; the last starts with "--" (the closing delimiter).
  const parts = sections
    .slice(1)
    .filter((section) => !section.startsWith('--'))
    .map((section) => {
      const part = splitHeaderBlock(section.replace(/^\n/, ''));
      return { headers: part.headers, body: decodeBody(part.rest.replace(/\n$/, ''), part.headers.get('content-transfer-encoding')) };
    });
  return { headers, body: '', parts };
}

/** The part whose Content-Type starts with the given type, e.g. 'text/html'. */
export function partOfType(message: ParsedMessage, type: string): MimePart | undefined {
  return message.parts.find((part) => part.headers.get('content-type')?.toLowerCase().startsWith(type));
}
