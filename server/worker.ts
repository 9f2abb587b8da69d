import { exitOnConfigError, loadConfigOrExit, startRuntime } from './runtime';

/** The background worker alone (`npm run worker`), for running web and worker apart. */
const config = loadConfigOrExit();
const runtime = await startRuntime(config, { worker: true }).catch(exitOnConfigError);
console.log(`Kollega worker started (${config.database.kind === 'embedded' ? 'embedded PostgreSQL' : 'PostgreSQL'})`);

let stopping = false;
async function shutdown() {
  if (stopping) return;
  stopping = true;
  await runtime.stop();
  process.exit(0);
}
process.on('SIGTERM', () => void shutdown());
process.on('SIGINT', () => void shutdown());
