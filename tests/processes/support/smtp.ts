import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

const MESSAGE_ID = /^message-id:[ \t]*(<[^>\r\n]+>)/im;

export interface ReceivedMessage {
  /** Which sink accepted it. */
  sink: string;
  messageId: string | null;
  to: string[];
}

export interface SmtpSink {
  name: string;
  url: string;
  /** Messages accepted (the server answered 250 to their data), duplicates included. */
  received: ReceivedMessage[];
  /** Messages whose data has arrived but which are being held without an answer. */
  held: ReceivedMessage[];
  /**
   * Holds the answer to messages to matching recipients until `release`
   * resolves (never, if it never does): the sending worker waits in the
   * middle of its SMTP transaction.
   */
  hold(matches: (to: string) => boolean, release: Promise<void>): void;
  /** Resolves once a held message has arrived. */
  somethingHeld(): Promise<void>;
  close(): Promise<void>;
}

/**
 * A local SMTP server (`smtp-server`, what SMTP_URL points at in
 * production, minus TLS and authentication) that accepts every message and
 * notes its Message-ID and recipients, or holds chosen ones.
 */
export async function startSmtpSink(name: string): Promise<SmtpSink> {
  const received: ReceivedMessage[] = [];
  const held: ReceivedMessage[] = [];
  const holds: { matches: (to: string) => boolean; release: Promise<void> }[] = [];
  const onHeld: (() => void)[] = [];
  const server = new SMTPServer({
    authOptional: true,
    // No TLS: nodemailer would upgrade to STARTTLS when offered and then reject the self-signed certificate.
    disabledCommands: ['STARTTLS', 'AUTH'],
    disableReverseLookup: true,
    closeTimeout: 200,
    logger: false,
    onData(stream, session, callback) {
      let head = '';
      stream.on('data', (chunk: Buffer) => {
        if (head.length < 64 * 1024) head += chunk.toString('latin1');
      });
      stream.on('end', () => {
        const to = session.envelope.rcptTo.map((r) => r.address.toLowerCase());
        const message: ReceivedMessage = { sink: name, messageId: MESSAGE_ID.exec(head.split('\r\n\r\n')[0] ?? '')?.[1] ?? null, to };
        const hold = holds.find((h) => to.some(h.matches));
        if (!hold) {
          received.push(message);
          callback();
          return;
        }
        held.push(message);
        for (const notify of onHeld.splice(0)) notify();
        void hold.release.then(() => {
          held.splice(held.indexOf(message), 1);
          received.push(message);
          callback();
        });
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  server.on('error', () => {}); // a worker killed mid-transaction resets its connection
  const port = (server.server.address() as AddressInfo).port;
  return {
    name,
    url: `smtp://127.0.0.1:${port}`,
    received,
    held,
    hold: (matches, release) => holds.push({ matches, release }),
    somethingHeld: () => (held.length > 0 ? Promise.resolve() : new Promise((resolve) => onHeld.push(resolve))),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
