import { rmSync } from 'node:fs';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createDatabase } from '#db/client';
import { loader } from '~/routes/healthz';
import { contextFrom, createTestContext, makeTempDir, recordingJobQueue, testEnv, type TestContext } from '../support/context';
import { loadConfig } from '~/modules/config/config.server';
import type { AppContext } from '~/modules/context.server';
import { makeRequest, requestContext } from '../support/requests';

async function callHealthz(context: AppContext) {
  const response = await loader({ request: makeRequest('/healthz'), context: requestContext(context), params: {} });
  return { status: response.status, body: (await response.json()) as Record<string, unknown>, cacheControl: response.headers.get('cache-control') };
}

const tempDirs: string[] = [];

/** A context like the server's, on a database handle for the given URL. */
function contextOn(url: string) {
  const handle = createDatabase({ kind: 'postgres', url, poolSize: 1 });
  const dataDir = makeTempDir();
  tempDirs.push(dataDir);
  const config = loadConfig(testEnv(dataDir, { DATABASE_URL: url }));
  return { handle, context: contextFrom(handle, config, recordingJobQueue()) };
}

describe('/healthz', () => {
  let ctx: TestContext;
  beforeAll(async () => {
    ctx = await createTestContext({ jobs: recordingJobQueue() });
  });
  afterAll(async () => {
    await ctx?.close();
    for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
  });

  it('answers 200 with the database up', async () => {
    expect(await callHealthz(ctx)).toEqual({ status: 200, body: { ok: true, db: 'up' }, cacheControl: 'no-store' });
  });

  it('answers 503 when the database server refuses connections', async () => {
    const { handle, context } = contextOn('postgres://root@127.0.0.1:1/x');
    try {
      const result = await callHealthz(context);
      expect(result.status).toBe(503);
      expect(result.body).toMatchObject({ ok: false });
      expect(result.body.db).not.toBe('up');
    } finally {
      await handle.close();
    }
  });

  it('answers 503 within a few seconds when the database accepts the connection and never answers', async () => {
    // A server that takes the TCP connection and says nothing: a hung database.
    const sockets = new Set<net.Socket>();
    const silent = net.createServer((socket) => {
      sockets.add(socket);
      socket.on('error', () => {});
    });
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const { port } = silent.address() as AddressInfo;
    const { handle, context } = contextOn(`postgres://root@127.0.0.1:${port}/x`);
    try {
      const started = Date.now();
      const result = await callHealthz(context);
      expect(result.status).toBe(503);
      expect(result.body).toMatchObject({ ok: false });
      expect(Date.now() - started).toBeLessThan(5_000);
    } finally {
      // Stop listening, then hang up: postgres.js reconnects, is refused and fails the
      // pending pings; only then does its pool close without waiting out its timeout.
      const closed = new Promise((resolve) => silent.close(resolve));
      for (const socket of sockets) socket.destroy();
      await expect(handle.ping()).rejects.toThrow();
      await handle.close();
      await closed;
    }
  });

  it('answers 503 when the ping rejects', async () => {
    const rejecting: AppContext = { ...ctx, pingDatabase: () => Promise.reject(new Error('connection terminated')) };
    expect(await callHealthz(rejecting)).toMatchObject({ status: 503, body: { ok: false } });
  });

  it('answers 503 two seconds after a ping that never settles', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    try {
      const hanging: AppContext = { ...ctx, pingDatabase: () => new Promise<void>(() => {}) };
      let settled = false;
      const pending = callHealthz(hanging).finally(() => (settled = true));
      await vi.advanceTimersByTimeAsync(1_999);
      expect(settled).toBe(false);
      await vi.advanceTimersByTimeAsync(1);
      expect(await pending).toMatchObject({ status: 503, body: { ok: false } });
    } finally {
      vi.useRealTimers();
    }
  });
});
