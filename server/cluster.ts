import cluster, { type Worker } from 'node:cluster';
import { fileURLToPath } from 'node:url';
import type { Config } from '~/modules/config/config.server';
import { exitOnConfigError, prepareDatabaseOnce, startRuntime, type Runtime } from './runtime';
import { DRAIN_TIMEOUT_MS } from './http';

/** A web process that lived this long before dying was not crash-looping: its replacement starts at once. */
const HEALTHY_LIFETIME_MS = 30_000;
const MAX_RESTART_DELAY_MS = 30_000;
/** After SIGTERM, web processes get their delay and drain time and a little more before they are killed. */
const childStopGraceMs = (config: Config) => config.shutdownDelaySeconds * 1000 + DRAIN_TIMEOUT_MS + 10_000;

/** Wait before replacing a web process that died after `crashesInARow` short lives: 0, 1 s, 2 s, 4 s … 30 s. */
export function restartDelayMs(crashesInARow: number): number {
  if (crashesInARow <= 1) return 0;
  return Math.min(MAX_RESTART_DELAY_MS, 1000 * 2 ** (crashesInARow - 2));
}

/**
 * The cluster primary of `npm start` with WEB_CONCURRENCY > 1: prepares the
 * database once (migrations, demo data, signing key), runs the job worker
 * unless RUN_WORKER=false, and forks the web processes, which share the
 * port (node:cluster hands out connections). It serves no requests itself.
 * A web process that dies is replaced, with a growing delay while they keep
 * dying young. SIGTERM/SIGINT are passed on; the primary exits once every
 * web process has drained and its own jobs have stopped.
 */
export async function runClusterPrimary(config: Config, options: { runWorker: boolean }): Promise<void> {
  let runtime: Runtime | null = null;
  if (options.runWorker) runtime = await startRuntime(config, { worker: true }).catch(exitOnConfigError);
  else await prepareDatabaseOnce(config).catch(exitOnConfigError);

  // Forks run the web entry point itself, not whatever started the primary (`npm start` runs start.ts, which builds).
  cluster.setupPrimary({ exec: fileURLToPath(new URL('./main.ts', import.meta.url)) });

  let stopping = false;
  let crashesInARow = 0;
  const startedAt = new Map<number, number>();
  let listening = 0;

  const fork = () => {
    const worker = cluster.fork();
    startedAt.set(worker.id, Date.now());
    worker.once('listening', () => {
      listening += 1;
      if (listening === config.webConcurrency) {
        const where = `${config.database.kind === 'embedded' ? 'embedded PostgreSQL' : 'PostgreSQL'}`;
        console.log(`Kollega is listening on ${config.appUrl} (${config.env}, ${config.webConcurrency} web processes, ${where}${options.runWorker ? ', with worker' : ''})`);
      }
    });
  };

  cluster.on('exit', (worker: Worker, code, signal) => {
    const lived = Date.now() - (startedAt.get(worker.id) ?? Date.now());
    startedAt.delete(worker.id);
    if (stopping) return;
    crashesInARow = lived < HEALTHY_LIFETIME_MS ? crashesInARow + 1 : 1;
    const delay = restartDelayMs(crashesInARow);
    console.error(
      `Web process ${worker.process.pid} ended (${signal ?? `code ${code}`}) after ${Math.round(lived / 1000)} s; replacing it${delay > 0 ? ` in ${delay / 1000} s` : ''}`,
    );
    setTimeout(() => {
      if (!stopping) fork();
    }, delay).unref();
  });

  for (let i = 0; i < config.webConcurrency; i += 1) fork();

  const shutdown = async (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    console.log(`${signal} received: web processes finish their requests${runtime ? ', jobs finish' : ''}`);
    const children = Object.values(cluster.workers ?? {}).filter((w): w is Worker => w !== undefined && !w.isDead());
    const exited = Promise.all(children.map((w) => new Promise<void>((resolve) => (w.isDead() ? resolve() : w.once('exit', () => resolve())))));
    for (const child of children) child.process.kill('SIGTERM');
    const killer = setTimeout(() => {
      for (const child of children) if (!child.isDead()) child.process.kill('SIGKILL');
    }, childStopGraceMs(config));
    killer.unref();
    await Promise.all([exited, runtime?.stop()]);
    clearTimeout(killer);
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
}
