import nodemailer from 'nodemailer';
import type { Database } from '#db/client';
import { mailboxMessages } from '#db/schema';
import type { Config } from '../config/config.server';

export interface MailMessage {
  from: string;
  to: string;
  subject: string;
  text: string;
  html: string;
  messageId: string;
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
        await smtp.sendMail(message);
      },
      close: () => smtp.close(),
    };
  }
  const mime = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
  return {
    kind: 'mailbox',
    async send(message) {
      const info = await mime.sendMail(message);
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
