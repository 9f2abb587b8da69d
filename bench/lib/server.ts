import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { groupCpuSeconds } from './cpu';

export const root = fileURLToPath(new URL('../..', import.meta.url));

function newestMtime(dir: string): number {
  if (!existsSync(dir)) return 0;
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(full) : statSync(full).mtimeMs);
  }
  return newest;
}

/**
 * Builds the production bundle when there is none, or when the sources are
 * newer than it (a stale build would measure yesterday's code).
 * BENCH_SKIP_BUILD=1 uses whatever build/ holds.
 */
export function ensureBuild(log: (line: string) => void) {
  const serverBuild = path.join(root, 'build/server/index.js');
  const missing = !existsSync(serverBuild);
  if (!missing && process.env.BENCH_SKIP_BUILD === '1') return;
  const sources = Math.max(...['app', 'db', 'emails'].map((dir) => newestMtime(path.join(root, dir))));
  if (!missing && statSync(serverBuild).mtimeMs >= sources) return;
  log(missing ? 'no production build: building it' : 'the production build is older than the sources: rebuilding');
  execFileSync(process.execPath, [path.join(root, 'node_modules/@remix-run/dev/dist/cli.js'), 'vite:build'], {
    cwd: root,
    stdio: ['ignore', 'ignore', 'inherit'],
    env: { ...process.env, NODE_ENV: 'production' },
  });
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.unref();
    probe.on('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

export interface BenchServer {
  baseUrl: string;
  child: ChildProcess;
  /** The last lines the server printed, for error messages. */
  output(): string;
  /** CPU seconds the server's processes have used so far (Linux), else null. */
  cpuSeconds(): number | null;
  stop(): Promise<void>;
}

/**
 * The production server (`tsx server/main.ts`, NODE_ENV=production) on a
 * database of our own, in its own process group so stopping it stops tsx's
 * node child too. Demo data is off; the job worker runs elsewhere (not at
 * all here), so its polling stays out of the measurement.
 */
export async function startBenchServer(
  databaseUrl: string,
  options: {
    env?: Record<string, string>;
    /** Node flags for the server, e.g. ['--cpu-prof', '--cpu-prof-dir=/tmp/prof'] (then node runs it with tsx as a loader). */
    nodeArgs?: string[];
  } = {},
): Promise<BenchServer> {
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'kollega-bench-'));
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const name of ['SMTP_URL', 'APP_URL', 'HOST', 'TRUST_PROXY', 'RUN_WORKER', 'DEMO_MODE']) delete env[name];
  Object.assign(env, {
    NODE_ENV: 'production',
    DATABASE_URL: databaseUrl,
    SESSION_SECRET: randomBytes(32).toString('base64url'),
    DEMO_MODE: 'false',
    RUN_WORKER: 'false',
    PORT: String(port),
    HOST: '127.0.0.1',
    APP_URL: baseUrl,
    DATA_DIR: dataDir,
    ...options.env,
  });
  const lines: string[] = [];
  const [command, args] = options.nodeArgs?.length
    ? [process.execPath, [...options.nodeArgs, '--import', 'tsx', 'server/main.ts']]
    : [path.join(root, 'node_modules/.bin/tsx'), ['server/main.ts']];
  const child = spawn(command, args, { cwd: root, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  for (const stream of [child.stdout, child.stderr]) {
    stream?.on('data', (chunk: Buffer) => {
      lines.push(...chunk.toString('utf8').split('\n'));
      if (lines.length > 200) lines.splice(0, lines.length - 200);
    });
  }
  const killGroup = (signal: NodeJS.Signals) => {
    if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
    try {
      process.kill(-child.pid, signal);
    } catch {
      // already gone
    }
  };
  const onExit = () => killGroup('SIGKILL');
  process.once('exit', onExit);

  const server: BenchServer = {
    baseUrl,
    child,
    output: () => lines.join('\n'),
    cpuSeconds: () => (child.pid === undefined ? null : groupCpuSeconds(child.pid)),
    async stop() {
      process.off('exit', onExit);
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
        killGroup('SIGTERM');
        const timedOut = await Promise.race([exited.then(() => false), new Promise<boolean>((resolve) => setTimeout(() => resolve(true), 15_000).unref())]);
        if (timedOut) killGroup('SIGKILL');
      }
      // tsx may leave its node child behind when it exits first.
      killGroup('SIGKILL');
      rmSync(dataDir, { recursive: true, force: true });
    },
  };

  const deadline = Date.now() + 90_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      await server.stop();
      throw new Error(`The server exited before it was healthy. Its output:\n${server.output()}`);
    }
    try {
      const response = await fetch(`${baseUrl}/healthz`, { signal: AbortSignal.timeout(5_000) });
      if (response.status === 200) return server;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  await server.stop();
  throw new Error(`The server was not healthy within 90 s. Its output:\n${server.output()}`);
}
