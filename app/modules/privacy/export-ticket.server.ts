import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * The file cannot be the answer to the password form itself: Remix renders a
 * page for a form post to a page route. So the form's action checks the
 * password and redirects the browser to the download route with this ticket:
 * an HMAC of the account, the session and an expiry a minute ahead. It is
 * useless in another browser (the session must match) and soon after (a copy
 * left in the history), and needs no table.
 */
export const EXPORT_TICKET_TTL_MS = 60_000;

interface TicketHolder {
  userId: string;
  sessionId: string;
}

function mac(secret: string, holder: TicketHolder, expiresAt: number): string {
  return createHmac('sha256', secret).update(`data-export\n${holder.userId}\n${holder.sessionId}\n${expiresAt}`).digest('base64url');
}

export function issueExportTicket(secret: string, holder: TicketHolder, now: Date): string {
  const expiresAt = now.getTime() + EXPORT_TICKET_TTL_MS;
  return `${expiresAt}.${mac(secret, holder, expiresAt)}`;
}

/** True when the ticket was made for this account and session and has not expired. */
export function checkExportTicket(secret: string, ticket: unknown, holder: TicketHolder, now: Date): boolean {
  if (typeof ticket !== 'string' || ticket.length > 100) return false;
  const match = /^(\d{13})\.([A-Za-z0-9_-]{43})$/.exec(ticket);
  if (!match) return false;
  const expiresAt = Number(match[1]);
  if (expiresAt <= now.getTime()) return false;
  const expected = Buffer.from(mac(secret, holder, expiresAt));
  const given = Buffer.from(match[2]!);
  return expected.length === given.length && timingSafeEqual(expected, given);
}
