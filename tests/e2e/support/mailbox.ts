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

type Row = { to_address: string; subject: string; text: string; html: string; received_at: Date };

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
    select to_address, subject, text, html, received_at
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
