import { createWebServer } from './http';
import { exitOnConfigError, loadConfigOrExit, startRuntime } from './runtime';

/**
 * Web and worker in one process: what `npm start` and `npm run dev` run.
 * Set RUN_WORKER=false to serve only (and run `npm run worker` elsewhere).
 */
const config = loadConfigOrExit();
const runWorker = process.env.RUN_WORKER !== 'false';
const runtime = await startRuntime(config, { worker: runWorker }).catch(exitOnConfigError);
const server = await createWebServer(config, runtime.context);

server.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EADDRINUSE') console.error(`Configuration error: PORT ${config.port} is already in use`);
  else console.error(error);
  process.exit(1);
});

server.listen(config.port, config.host, () => {
  const where = config.database.kind === 'embedded' ? `embedded PostgreSQL in ${config.dataDir}` : 'PostgreSQL';
  console.log(`Kollega is listening on ${config.appUrl} (${config.env}, ${where}${runWorker ? ', with worker' : ''})`);
});

let stopping = false;
async function shutdown(signal: string) {
  if (stopping) return;
  stopping = true;
  console.log(`${signal} received: finishing requests and jobs`);
  server.close();
  server.closeIdleConnections();
  await runtime.stop();
  process.exit(0);
}
process.on('SIGTERM', () => void shutdown('SIGTERM'));
process.on('SIGINT', () => void shutdown('SIGINT'));
