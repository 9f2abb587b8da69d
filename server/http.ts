import { createRequestListener } from '@mjackson/node-fetch-server';
import { createRequestHandler, type AppLoadContext, type ServerBuild } from '@remix-run/node';
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import path from 'node:path';
import serveStatic from 'serve-static';
import type { Config } from '~/modules/config/config.server';
import type { AppContext } from '~/modules/context.server';
import { isSameOriginRequest, refuseUnsupportedBody, securityHeaders } from '~/modules/security/http-security';

const buildDir = path.resolve('build');

/**
 * A plain Node HTTP server: static assets, then Remix. In development Vite
 * runs in middleware mode and serves the app with hot reload.
 */
export async function createWebServer(config: Config, context: AppContext): Promise<http.Server> {
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
    staticMiddleware = (req, res, next) => {
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
    const refused = refuseUnsupportedBody(request);
    if (refused) {
      for (const [name, value] of Object.entries(securityHeaders({ dev }))) refused.headers.set(name, value);
      return refused;
    }
    const nonce = randomBytes(16).toString('base64');
    const forwarded = config.trustProxy ? request.headers.get('x-forwarded-for')?.split(',')[0]?.trim() : undefined;
    const loadContext: AppLoadContext = { ...context, nonce, clientAddress: forwarded || client.address };
    const response = await remixHandler(request, loadContext);
    for (const [name, value] of Object.entries(securityHeaders({ dev, nonce, https: config.appUrl.startsWith('https:') }))) {
      if (!response.headers.has(name)) response.headers.set(name, value);
    }
    return response;
  });

  return http.createServer((req, res) => {
    if (req.method === 'GET' || req.method === 'HEAD') {
      staticMiddleware(req, res, () => void handleFetch(req, res));
    } else {
      void handleFetch(req, res);
    }
  });
}
