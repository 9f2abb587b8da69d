import cluster from 'node:cluster';
import { runClusterPrimary } from './cluster';
import { createWebServer } from './http';
import { exitOnConfigError, loadConfigOrExit, startRuntime } from './runtime';

/**
 * Web and worker in one process: what `npm start` and `npm run dev` run.
 * Set RUN_WORKER=false to serve only (and run `npm run worker` elsewhere).
 * With WEB_CONCURRENCY > 1 (not in development, where Vite serves one
 * process) this process becomes a cluster primary (server/cluster.ts) and
 * the same file runs again in each web process it forks.
 */
const config = loadConfigOrExit();
const runWorker = process.env.RUN_WORKER !== 'false';
const clustered = config.webConcurrency > 1 && config.env !== 'development';
if (config.webConcurrency > 1 && !clustered) console.warn('WEB_CONCURRENCY is ignored in development: Vite serves the app from one process.');

if (clustered && cluster.isPrimary) {
  await runClusterPrimary(config, { runWorker });
} else {
  await serve(clustered);
}

async function serve(inCluster: boolean) {
  // A forked web process leaves migrations, demo data and jobs to its primary.
  const runtime = await startRuntime(config, inCluster ? { worker: false, prepare: false } : { worker: runWorker }).catch(exitOnConfigError);
  const web = await createWebServer(config, runtime.context);

  web.server.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EADDRINUSE') console.error(`Configuration error: PORT ${config.port} is already in use`);
    else console.error(error);
    process.exit(1);
  });

  web.server.listen(config.port, config.host, () => {
    if (inCluster) return; // the primary announces the cluster once every web process listens
    const where = config.database.kind === 'embedded' ? `embedded PostgreSQL in ${config.dataDir}` : 'PostgreSQL';
    console.log(`Kollega is listening on ${config.appUrl} (${config.env}, ${where}${runWorker ? ', with worker' : ''})`);
  });

  let stopping = false;
  async function shutdown(reason: string) {
    if (stopping) return;
    stopping = true;
    if (!inCluster) console.log(`${reason}: finishing requests${runWorker ? ' and jobs' : ''}`);
    const drained = await web.shutdown({ delayMs: config.shutdownDelaySeconds * 1000 });
    if (drained === 'forced') console.error(`Requests still running after the drain time were cut (${reason})`);
    await runtime.stop();
    process.exit(0);
  }
  process.on('SIGTERM', () => void shutdown('SIGTERM received'));
  process.on('SIGINT', () => void shutdown('SIGINT received'));
  // A web process whose primary is gone (killed outright) must not linger holding connections.
  if (inCluster) process.on('disconnect', () => void shutdown('cluster primary gone'));
}
