import { createRequestListener } from '@mjackson/node-fetch-server';
import { createRequestHandler, type AppLoadContext, type ServerBuild } from '@remix-run/node';
import { randomBytes } from 'node:crypto';
import { readdirSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import serveStatic from 'serve-static';
import type { Config } from '~/modules/config/config.server';
import type { AppContext } from '~/modules/context.server';
import { clientAddressFrom, isSameOriginRequest, refuseUnsupportedBody, securityHeaders } from '~/modules/security/http-security';
import { refuseNulInUrl } from '~/modules/security/url-guard';
import { answerClientError } from './client-error';

const buildDir = path.resolve('build');

/**
 * Whether a request path may name a file of the client build, whose top
 * level (`assets/`, `favicon.svg`, …) is fixed when the production server
 * starts. A page's path ("/", "/catalogue", "/offerings/x") is answered
 * without asking serve-static, which would look the path up on disk and
 * build an error object for the miss on every page view. Any path this
 * cannot judge plainly (dots, escapes) still goes to serve-static.
 */
export function mayBeFile(url: string, topLevel: ReadonlySet<string>): boolean {
  const end = url.indexOf('?');
  const pathname = end === -1 ? url : url.slice(0, end);
  if (pathname === '/') return false;
  const slash = pathname.indexOf('/', 1);
  const first = pathname.slice(1, slash === -1 ? undefined : slash);
  return !/^[A-Za-z0-9_-]+$/.test(first) || topLevel.has(first);
}

function topLevelNames(dir: string): Set<string> {
  try {
    return new Set(readdirSync(dir));
  } catch {
    // No client build: serve-static would find nothing either.
    return new Set();
  }
}

/** How long in-flight requests may take to finish after SIGTERM before their connections are cut. */
export const DRAIN_TIMEOUT_MS = 25_000;

export interface WebServer {
  server: http.Server;
  /**
   * Graceful stop. Draining starts at once: /healthz answers 503 and every
   * answer closes its connection. For `delayMs` requests are still taken
   * (a balancer polling /healthz has time to notice); then no new
   * connections, idle keep-alive ones closed, requests in flight finish;
   * after `timeoutMs` more the rest are cut.
   */
  shutdown(options?: { delayMs?: number; timeoutMs?: number }): Promise<'drained' | 'forced'>;
}

/**
 * Wraps a request listener so its server can be drained: what
 * createWebServer uses, kept apart so the draining can be tested with any
 * handler.
 */
export function drainableServer(listener: http.RequestListener): WebServer {
  let draining = false;
  const inFlight = new Set<http.ServerResponse>();
  const server = http.createServer((req, res) => {
    if (draining) {
      // The client (a balancer's keep-alive connection) must not send more here.
      res.setHeader('Connection', 'close');
      if (req.url === '/healthz' || req.url?.startsWith('/healthz?')) {
        res.writeHead(503, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' });
        res.end(JSON.stringify({ ok: false, draining: true }));
        return;
      }
    }
    inFlight.add(res);
    res.once('close', () => {
      inFlight.delete(res);
      // A keep-alive connection whose last answer was sent during the drain would otherwise idle until its timeout.
      if (draining) setImmediate(() => server.closeIdleConnections());
    });
    listener(req, res);
  });
  server.on('clientError', answerClientError);
  let stopping: Promise<'drained' | 'forced'> | null = null;
  return {
    server,
    shutdown({ delayMs = 0, timeoutMs = DRAIN_TIMEOUT_MS } = {}) {
      draining = true;
      for (const res of inFlight) if (!res.headersSent) res.setHeader('Connection', 'close');
      const closeWhenDelayIsOver = new Promise<void>((resolve) => setTimeout(resolve, delayMs));
      stopping ??= closeWhenDelayIsOver.then(() => new Promise<'drained' | 'forced'>((resolve) => {
        const timer = setTimeout(() => {
          server.closeAllConnections();
          resolve('forced');
        }, timeoutMs);
        timer.unref();
        // The callback runs once every connection has ended; close() also ends the idle keep-alive ones (Node 19+).
        server.close(() => {
          clearTimeout(timer);
          resolve('drained');
        });
        server.closeIdleConnections();
      }));
      return stopping;
    },
  };
}

/**
 * A plain Node HTTP server: static assets, then Remix. In development Vite
 * runs in middleware mode and serves the app with hot reload.
 */
export async function createWebServer(config: Config, context: AppContext): Promise<WebServer> {
  const dev = config.env === 'development';
  let loadBuild: () => Promise<ServerBuild>;
  let staticMiddleware: (req: http.IncomingMessage, res: http.ServerResponse, next: () => void) => void;

  if (dev) {
    const vite = await import('vite').then((v) => v.createServer({ server: { middlewareMode: true } }));
    loadBuild = () => vite.ssrLoadModule('virtual:remix/server-build') as Promise<ServerBuild>;
    staticMiddleware = (req, res, next) => vite.middlewares(req, res, next);
  } else {
    const serverBuildPath = path.join(buildDir, 'server', 'index.js');
    const build = (await import(serverBuildPath)) as ServerBuild;
    loadBuild = async () => build;
    // Fingerprinted files never change; everything else is revalidated hourly. serve-static
    // hands read errors (a file gone mid-request) to the callback instead of crashing.
    const clientDir = path.join(buildDir, 'client');
    const fingerprinted = serveStatic(clientDir, { index: false, redirect: false, immutable: true, maxAge: '1y' });
    const publicFiles = serveStatic(clientDir, { index: false, redirect: false, maxAge: '1h' });
    const topLevel = topLevelNames(clientDir);
    staticMiddleware = (req, res, next) => {
      if (!mayBeFile(req.url ?? '/', topLevel)) return next();
      const serve = req.url?.startsWith('/assets/') ? fingerprinted : publicFiles;
      serve(req, res, (error?: unknown) => {
        if (!error) return next();
        if (!res.headersSent) res.writeHead(500, { 'Content-Type': 'text/plain; charset=utf-8' });
        res.end('The file could not be read.');
      });
    };
  }

  const remixHandler = createRequestHandler(dev ? () => loadBuild() : await loadBuild(), config.env);

  const handleFetch = createRequestListener(async (request, client) => {
    if (!isSameOriginRequest(request, config.appUrl)) {
      return new Response('Cross-origin form posts are refused.', { status: 403, headers: securityHeaders({ dev }) });
    }
    const refused = refuseNulInUrl(request) ?? refuseUnsupportedBody(request);
    if (refused) {
      for (const [name, value] of Object.entries(securityHeaders({ dev }))) refused.headers.set(name, value);
      return refused;
    }
    const nonce = randomBytes(16).toString('base64');
    const clientAddress = clientAddressFrom(request.headers.get('x-forwarded-for'), client.address, config.trustProxy);
    // Loaders of one page view share lookups (the viewer, an offering's access); form posts do not (see RequestContext).
    const pageView = request.method === 'GET' || request.method === 'HEAD' ? new Map<string, Promise<unknown>>() : undefined;
    const loadContext: AppLoadContext = { ...context, nonce, clientAddress, pageView };
    const response = await remixHandler(request, loadContext);
    for (const [name, value] of Object.entries(securityHeaders({ dev, nonce, https: config.appUrl.startsWith('https:') }))) {
      if (!response.headers.has(name)) response.headers.set(name, value);
    }
    return response;
  });

  return drainableServer((req, res) => {
    if (req.method === 'GET' || req.method === 'HEAD') {
      staticMiddleware(req, res, () => void handleFetch(req, res));
    } else if (req.headers['transfer-encoding'] !== undefined && req.headers['content-length'] === undefined) {
      // Browsers send forms with a length; a chunked body could not be held to the size limit before it is read.
      res.writeHead(411, { 'Content-Type': 'text/plain; charset=utf-8', Connection: 'close' });
      res.end('Send the form with a Content-Length.');
    } else {
      void handleFetch(req, res);
    }
  });
}

