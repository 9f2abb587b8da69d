import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

/** Wall-clock milliseconds with sub-millisecond precision, comparable between processes of this machine. */
export const wallClockMs = () => performance.timeOrigin + performance.now();

const MESSAGE_ID = /^message-id:[ \t]*(<[^>\r\n]+>)/im;
const HEADER_END = '\r\n\r\n';

export interface SmtpSink {
  port: number;
  url: string;
  /** Every Message-ID received since the last reset, with the wall-clock time(s) its message's data ended. */
  received: Map<string, number[]>;
  /** Messages received since the last reset (duplicates counted). */
  count(): number;
  /** Messages without a Message-ID header since the last reset. */
  withoutId(): number;
  /** Forgets what was received, for the next phase. */
  reset(): void;
  close(): Promise<void>;
}

/**
 * A local SMTP server (the `smtp-server` package, as SMTP_URL would point
 * at in production, minus TLS and authentication) that accepts everything,
 * reads each message to its end and notes its Message-ID and when it
 * arrived. Nothing is kept but the ids: 10,000 messages cost no memory.
 */
export async function startSmtpSink(): Promise<SmtpSink> {
  let received = new Map<string, number[]>();
  let total = 0;
  let missingId = 0;
  const server = new SMTPServer({
    authOptional: true,
    // No TLS: nodemailer would upgrade to STARTTLS when offered and then reject the self-signed certificate.
    disabledCommands: ['STARTTLS', 'AUTH'],
    disableReverseLookup: true,
    closeTimeout: 200,
    logger: false,
    onData(stream, _session, callback) {
      let head = '';
      let id: string | null = null;
      stream.on('data', (chunk: Buffer) => {
        if (id !== null || head.length > 64 * 1024) return;
        head += chunk.toString('latin1');
        const end = head.indexOf(HEADER_END);
        const headers = end === -1 ? head : head.slice(0, end);
        const match = MESSAGE_ID.exec(headers);
        if (match) id = match[1]!;
      });
      stream.on('end', () => {
        const at = wallClockMs();
        total++;
        if (id === null) missingId++;
        else {
          const times = received.get(id);
          if (times) times.push(at);
          else received.set(id, [at]);
        }
        callback();
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (server.server.address() as AddressInfo).port;
  return {
    port,
    url: `smtp://127.0.0.1:${port}`,
    get received() {
      return received;
    },
    count: () => total,
    withoutId: () => missingId,
    reset() {
      received = new Map();
      total = 0;
      missingId = 0;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
