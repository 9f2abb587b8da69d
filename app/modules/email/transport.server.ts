import nodemailer from 'nodemailer';
import type { SendMailOptions } from 'nodemailer';
import type { Database } from '#db/client';
import { mailboxMessages, type EmailAttachment } from '#db/schema';
import type { Config } from '../config/config.server';

export interface MailMessage {
  from: string;
  to: string;
  subject: string;
  text: string;
  html: string;
  messageId: string;
  attachments?: EmailAttachment[];
}

/**
 * What nodemailer is given. A calendar file with a method becomes the
 * message's iCalendar event (a text/calendar alternative with the method
 * parameter, which mail programs show as an invitation with accept and
 * decline) and is attached as an .ics file as well; anything else is an attachment.
 */
export function toNodemailerMessage(message: MailMessage): SendMailOptions {
  const { attachments = [], ...rest } = message;
  const event = attachments.find((a) => a.contentType.startsWith('text/calendar') && a.method);
  return {
    ...rest,
    ...(event ? { icalEvent: { method: event.method, filename: event.filename, content: event.content } } : {}),
    ...(attachments.length > 0
      ? { attachments: attachments.map((a) => ({ filename: a.filename, content: a.content, contentType: a.method ? `${a.contentType}; method=${a.method}` : a.contentType })) }
      : {}),
  };
}

export interface MailTransport {
  kind: 'smtp' | 'mailbox';
  send(message: MailMessage): Promise<void>;
  close(): void;
}

/** SMTP when SMTP_URL is set; otherwise the built-in mailbox in the database. Both build the same MIME message. */
export function createMailTransport(config: Config, db: Database): MailTransport {
  if (config.smtpUrl) {
    const smtp = nodemailer.createTransport(config.smtpUrl, { pool: true, maxConnections: 3 } as never);
    return {
      kind: 'smtp',
      async send(message) {
        await smtp.sendMail(toNodemailerMessage(message));
      },
      close: () => smtp.close(),
    };
  }
  const mime = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
  return {
    kind: 'mailbox',
    async send(message) {
      const info = await mime.sendMail(toNodemailerMessage(message));
      await db.insert(mailboxMessages).values({
        messageId: message.messageId,
        fromAddress: message.from,
        toAddress: message.to.toLowerCase(),
        subject: message.subject,
        text: message.text,
        html: message.html,
        raw: (info.message as Buffer).toString('utf8'),
      });
    },
    close: () => mime.close(),
  };
}
