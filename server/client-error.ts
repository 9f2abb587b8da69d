import type { Duplex } from 'node:stream';

/**
 * Node answers a request it cannot parse (an address or headers over its
 * 16 KB limit, a malformed request line) itself, before any handler runs,
 * with a bare status line and no body. This gives those answers a short
 * message, as every other refusal has; a connection already gone is closed.
 */
export function answerClientError(error: NodeJS.ErrnoException, socket: Duplex): void {
  if (error.code === 'ECONNRESET' || !socket.writable) {
    socket.destroy();
    return;
  }
  const tooLarge = error.code === 'HPE_HEADER_OVERFLOW';
  const status = tooLarge ? '431 Request Header Fields Too Large' : '400 Bad Request';
  const message = tooLarge ? 'The address or the request headers are too long.' : 'The request could not be read.';
  socket.end(
    `HTTP/1.1 ${status}\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(message)}\r\nConnection: close\r\n\r\n${message}`,
  );
}
