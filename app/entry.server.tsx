import type { AppLoadContext, EntryContext } from '@remix-run/node';
import { createReadableStreamFromReadable } from '@remix-run/node';
import { RemixServer } from '@remix-run/react';
import { isbot } from 'isbot';
import { Transform, type TransformCallback } from 'node:stream';
import { renderToPipeableStream } from 'react-dom/server';
import { NonceProvider } from './components/nonce';

const ABORT_DELAY = 5_000;
export const streamTimeout = ABORT_DELAY;

/**
 * How long a browser's page waits, once its shell is ready, for the rest
 * (the loader data Remix streams in behind the shell, any deferred part)
 * before the shell goes out alone and the rest streams after it.
 */
const SHELL_GRACE_MS = 10;

/**
 * React's output for the response body, handed on one piece per flush:
 * React writes a page as many small views and then calls flush() (the
 * convention compression streams follow), so the response carries one
 * chunk per flush instead of one per 2 KiB.
 */
class FlushedChunks extends Transform {
  private pending: Buffer[] = [];

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback) {
    this.pending.push(chunk);
    done();
  }

  /** Called by React when it has written all it has for now. */
  flush() {
    if (this.pending.length === 0) return;
    const chunk = this.pending.length === 1 ? this.pending[0]! : Buffer.concat(this.pending);
    this.pending = [];
    this.push(chunk);
  }

  override _flush(done: TransformCallback) {
    this.flush();
    done();
  }
}

export default function handleRequest(
  request: Request,
  responseStatusCode: number,
  responseHeaders: Headers,
  remixContext: EntryContext,
  loadContext: AppLoadContext,
) {
  // Bots and no-JS clients get the whole page at once. Browsers get it streamed: the
  // shell as soon as it is ready, unless the rest follows within SHELL_GRACE_MS, in
  // which case the page goes out whole (no placeholders and swap scripts to send and run).
  const waitForAll = isbot(request.headers.get('user-agent') ?? '');
  const nonce = loadContext.nonce;
  return new Promise<Response>((resolve, reject) => {
    let shellRendered = false;
    // From here on the status is settled: a later error is logged, not turned into a 500.
    let committed = false;
    let graceTimer: NodeJS.Timeout | undefined;
    const send = () => {
      if (shellRendered) return;
      shellRendered = true;
      committed = true;
      clearTimeout(graceTimer);
      const body = new FlushedChunks();
      responseHeaders.set('Content-Type', 'text/html; charset=utf-8');
      resolve(
        new Response(createReadableStreamFromReadable(body), {
          headers: responseHeaders,
          status: responseStatusCode,
        }),
      );
      pipe(body);
    };
    const { pipe, abort } = renderToPipeableStream(
      <NonceProvider value={nonce}>
        <RemixServer context={remixContext} url={request.url} abortDelay={ABORT_DELAY} nonce={nonce} />
      </NonceProvider>,
      {
        nonce,
        onShellReady() {
          if (waitForAll) return;
          committed = true;
          graceTimer = setTimeout(send, SHELL_GRACE_MS);
        },
        onAllReady: send,
        onShellError(error: unknown) {
          clearTimeout(graceTimer);
          reject(error);
        },
        onError(error: unknown) {
          if (committed) console.error(error);
          else responseStatusCode = 500;
        },
      },
    );
    setTimeout(abort, ABORT_DELAY);
  });
}
