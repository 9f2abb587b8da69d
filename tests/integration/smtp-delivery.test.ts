import { eq } from 'drizzle-orm';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mailboxMessages, outboxEmails } from '#db/schema';
import { messageIdFor, withMailer } from '~/modules/email/outbox.server';
import { registerWorkers } from '~/modules/jobs/workers.server';
import { createTestContext, type TestContext } from '../support/context';
import { parseMime, partOfType } from '../support/mime';

interface Received {
  from: string | undefined;
  to: string[];
  raw: string;
}

/** A real SMTP server in this process: what SMTP_URL points at in production. */
async function startSmtpServer(): Promise<{ server: SMTPServer; port: number; received: Received[] }> {
  const received: Received[] = [];
  const server = new SMTPServer({
    authOptional: true,
    // No TLS: nodemailer would upgrade to STARTTLS when offered and then reject the self-signed certificate.
    disabledCommands: ['STARTTLS', 'AUTH'],
    closeTimeout: 200,
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        received.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : undefined,
          to: session.envelope.rcptTo.map((r) => r.address),
          raw: Buffer.concat(chunks).toString('utf8'),
        });
        callback();
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (server.server.address() as AddressInfo).port;
  return { server, port, received };
}

describe('email delivery over SMTP by the background worker', () => {
  let ctx: TestContext;
  let smtp: Awaited<ReturnType<typeof startSmtpServer>>;

  beforeAll(async () => {
    smtp = await startSmtpServer();
    ctx = await createTestContext({ driver: 'postgres', env: { SMTP_URL: `smtp://127.0.0.1:${smtp.port}`, MAIL_FROM: 'Kollega <no-reply@kollega.test>' } });
    await registerWorkers(ctx.boss!, ctx);
  });
  afterAll(async () => {
    await ctx?.close();
    await new Promise<void>((resolve) => (smtp ? smtp.server.close(() => resolve()) : resolve()));
  });

  it('sends a message committed through withMailer exactly once, with a text and an HTML part and its Message-ID', async () => {
    const name = 'Ελένη Παπαδοπούλου <script>';
    const url = 'http://localhost:3000/reset-password/token-123';
    await withMailer(ctx, (_tx, mailer) =>
      mailer.send({ template: 'reset-password', to: 'eleni@example.test', locale: 'fi', data: { name, url }, idempotencyKey: 'smtp:1' }),
    );

    await expect.poll(() => smtp.received.length, { timeout: 10_000, interval: 100 }).toBe(1);

    const [mail] = smtp.received;
    expect(mail!.from).toBe('no-reply@kollega.test');
    expect(mail!.to).toEqual(['eleni@example.test']);

    const message = parseMime(mail!.raw);
    expect(message.headers.get('message-id')).toBe(messageIdFor('smtp:1', ctx.config.appUrl));
    expect(message.headers.get('content-type')).toMatch(/^multipart\/alternative/);
    const text = partOfType(message, 'text/plain');
    const html = partOfType(message, 'text/html');
    expect(text?.body).toContain(url);
    expect(text?.body).toContain(`Hei ${name},`);
    expect(html?.body).toContain('Ελένη Παπαδοπούλου &lt;script&gt;');
    expect(html?.body).not.toContain('<script>');
    expect(html?.body).toContain('lang="fi"');

    const [row] = await ctx.db.select().from(outboxEmails).where(eq(outboxEmails.idempotencyKey, 'smtp:1'));
    await expect
      .poll(async () => (await ctx.db.select().from(outboxEmails).where(eq(outboxEmails.id, row!.id)))[0]?.status, { timeout: 5_000 })
      .toBe('sent');
    // SMTP, not the built-in mailbox.
    expect(await ctx.db.select().from(mailboxMessages)).toEqual([]);

    // Longer than a polling interval of the worker: no second copy arrives.
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(smtp.received).toHaveLength(1);
  });
});
