import postgres from 'postgres';
import { baseUrl, databaseUrl } from './provided';

/**
 * Reads mail the test server "sent" to the built-in mailbox, straight from its
 * database (in production /dev/mailbox is for admins only). The worker
 * delivers within seconds, so reads poll until the message is there.
 */

export interface MailboxMessage {
  to: string;
  subject: string;
  text: string;
  html: string;
  receivedAt: Date;
  /** The whole MIME source as the mail transport built it (attachments, calendar parts). */
  raw: string;
  /** Every http(s) link in the text and HTML parts, de-duplicated, in order. */
  links: string[];
}

export interface WaitForMailOptions {
  /** Only a message whose subject contains this text or matches this pattern. */
  subject?: string | RegExp;
  /** Only a message received at or after this moment (e.g. taken just before the action that sends it). */
  since?: Date;
  /** How long to wait for it; default 20 s. */
  timeoutMs?: number;
}

let client: postgres.Sql | null = null;

function sql(): postgres.Sql {
  // One connection that closes itself when idle, so it never keeps a test file or the database alive.
  client ??= postgres(databaseUrl(), { max: 1, idle_timeout: 2, onnotice: () => {} });
  return client;
}

export async function closeMailbox(): Promise<void> {
  const open = client;
  client = null;
  await open?.end({ timeout: 5 });
}

type Row = { to_address: string; subject: string; text: string; html: string; raw: string; received_at: Date };

function decodeEntities(value: string): string {
  return value.replace(/&amp;/g, '&').replace(/&#x2F;/gi, '/').replace(/&#47;/g, '/').replace(/&quot;/g, '"').replace(/&#39;/g, "'");
}

/** The links in a message: href attributes of the HTML part and bare URLs of both parts. */
export function extractLinks(message: { text: string; html: string }): string[] {
  const found: string[] = [];
  for (const match of message.html.matchAll(/href\s*=\s*["']([^"']+)["']/gi)) found.push(decodeEntities(match[1]!));
  for (const part of [message.text, message.html]) {
    for (const match of part.matchAll(/https?:\/\/[^\s"'<>)\]]+/g)) found.push(decodeEntities(match[0]).replace(/[.,;:!?]+$/, ''));
  }
  return [...new Set(found.filter((link) => /^https?:\/\//i.test(link)))];
}

function subjectMatches(subject: string, wanted: WaitForMailOptions['subject']): boolean {
  if (wanted === undefined) return true;
  return typeof wanted === 'string' ? subject.includes(wanted) : wanted.test(subject);
}

async function messagesTo(address: string, since: Date | undefined): Promise<Row[]> {
  const to = address.trim().toLowerCase();
  // The mailbox stores the recipient lower-cased, either bare or as "Name <address>".
  return sql()<Row[]>`
    select to_address, subject, text, html, raw, received_at
    from mailbox_messages
    where (to_address = ${to} or to_address like ${'%<' + to + '>'})
      and received_at >= ${since ?? new Date(0)}
    order by received_at desc
    limit 50`;
}

/** The newest message to `address` (matching the options), waiting for it to arrive. */
export async function waitForMail(address: string, options: WaitForMailOptions = {}): Promise<MailboxMessage> {
  const timeoutMs = options.timeoutMs ?? 20_000;
  const deadline = Date.now() + timeoutMs;
  let seen: string[] = [];
  for (;;) {
    const rows = await messagesTo(address, options.since);
    const row = rows.find((candidate) => subjectMatches(candidate.subject, options.subject));
    if (row) {
      return {
        to: row.to_address,
        subject: row.subject,
        text: row.text,
        html: row.html,
        raw: row.raw,
        receivedAt: row.received_at,
        links: extractLinks(row),
      };
    }
    seen = rows.map((candidate) => candidate.subject);
    if (Date.now() >= deadline) {
      const wanted = options.subject === undefined ? '' : ` with subject ${String(options.subject)}`;
      const found = seen.length ? `; messages there: ${seen.map((s) => JSON.stringify(s)).join(', ')}` : '; the mailbox has none for this address';
      throw new Error(`No mail to ${address}${wanted} within ${timeoutMs / 1000} s${found}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/**
 * The first link in the newest message to `address` that points at the test
 * server and contains `pathPart` (e.g. '/verify-email'), as a path the browser
 * can open with page.goto().
 */
export async function waitForLink(address: string, pathPart: string, options: WaitForMailOptions = {}): Promise<string> {
  const message = await waitForMail(address, options);
  const origin = new URL(baseUrl()).origin;
  const link = message.links.find((candidate) => {
    try {
      const url = new URL(candidate);
      return url.origin === origin && (url.pathname + url.search).includes(pathPart);
    } catch {
      return false;
    }
  });
  if (!link) {
    throw new Error(`The mail "${message.subject}" to ${address} has no link to ${origin} containing ${pathPart}; links: ${message.links.join(', ') || 'none'}`);
  }
  const url = new URL(link);
  return url.pathname + url.search + url.hash;
}

// --- MIME ---------------------------------------------------------------------------

/** One leaf part of a MIME message: its headers (names lower-cased, folded lines joined) and its decoded body. */
export interface MimePart {
  headers: Record<string, string>;
  /** The media type, lower-cased, without parameters (e.g. "text/calendar"). */
  type: string;
  /** The Content-Type parameters, names lower-cased (e.g. { charset: "utf-8", method: "REQUEST" }). */
  params: Record<string, string>;
  body: Buffer;
}

function parseHeaders(block: string): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const line of block.replace(/\r?\n[ \t]+/g, ' ').split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  return headers;
}

function contentType(value: string | undefined): { type: string; params: Record<string, string> } {
  const [type = 'text/plain', ...rest] = (value ?? 'text/plain').split(';');
  const params: Record<string, string> = {};
  for (const param of rest) {
    const eq = param.indexOf('=');
    if (eq > 0) params[param.slice(0, eq).trim().toLowerCase()] = param.slice(eq + 1).trim().replace(/^"(.*)"$/, '$1');
  }
  return { type: type.trim().toLowerCase(), params };
}

/**
 * Line breaks of a 7bit, 8bit or quoted-printable body stand for CRLF (MIME's
 * canonical form); the built-in mailbox stores messages with LF only, so they
 * are turned back into CRLF. Base64 keeps the bytes as they were.
 */
const canonicalLineBreaks = (text: string) => text.replace(/\r?\n/g, '\r\n');

function decodeBody(body: string, encoding: string | undefined): Buffer {
  switch ((encoding ?? '7bit').toLowerCase()) {
    case 'base64':
      return Buffer.from(body.replace(/\s+/g, ''), 'base64');
    case 'quoted-printable': {
      const bytes: number[] = [];
      const text = canonicalLineBreaks(body.replace(/=\r?\n/g, ''));
      for (let i = 0; i < text.length; i++) {
        const hex = text.slice(i + 1, i + 3);
        if (text[i] === '=' && /^[0-9A-F]{2}$/i.test(hex)) {
          bytes.push(parseInt(hex, 16));
          i += 2;
        } else {
          bytes.push(...Buffer.from(text[i]!, 'utf8'));
        }
      }
      return Buffer.from(bytes);
    }
    default:
      return Buffer.from(canonicalLineBreaks(body), 'utf8');
  }
}

/**
 * Every leaf part of a MIME message, in order, multiparts opened recursively:
 * enough to read what the app's mail transport (nodemailer) writes, e.g. the
 * text/calendar part of an invitation.
 */
export function mimeParts(raw: string): MimePart[] {
  const split = /\r?\n\r?\n/.exec(raw);
  const headerBlock = split ? raw.slice(0, split.index) : raw;
  const body = split ? raw.slice(split.index + split[0].length) : '';
  const headers = parseHeaders(headerBlock);
  const { type, params } = contentType(headers['content-type']);
  if (type.startsWith('multipart/') && params.boundary) {
    const delimiter = `--${params.boundary}`;
    const sections = body.split(new RegExp(`^${delimiter.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?:--)?[ \t]*$`, 'm'));
    // Before the first delimiter is the preamble, after the closing one the epilogue.
    return sections.slice(1, -1).flatMap((section) => mimeParts(section.replace(/^\r?\n/, '').replace(/\r?\n$/, '')));
  }
  return [{ headers, type, params, body: decodeBody(body, headers['content-transfer-encoding']) }];
}
