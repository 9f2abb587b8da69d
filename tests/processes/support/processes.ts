import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { databaseUrlFor, dropDatabase as dropTestDatabase, dropStaleDatabases, quoteIdentifier, uniqueDatabaseName, withAdmin } from '../../support/database';

/**
 * Processes for the multi-process tests: a throw-away PostgreSQL database,
 * and web and worker processes started from the production build exactly as
 * `npm start` / `npm run worker` would run them (node with tsx as a loader,
 * one process each, so a signal reaches the process itself).
 */

export const root = fileURLToPath(new URL('../../..', import.meta.url));

export const log = (message: string) => console.log(`[processes] ${message}`);

// --- The build ---------------------------------------------------------------------

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
 * Builds when there is no build (CI builds before this step). An older build
 * is used as it is, with a warning: rebuilding here would race whoever else
 * uses build/ on this machine.
 */
export function ensureBuild(): void {
  const serverBuild = path.join(root, 'build/server/index.js');
  if (existsSync(serverBuild)) {
    const sources = Math.max(...['app', 'db', 'emails'].map((dir) => newestMtime(path.join(root, dir))));
    if (statSync(serverBuild).mtimeMs < sources) log('warning: build/ is older than the sources; run `npm run build` to test the current code');
    return;
  }
  log('no production build: building it');
  const started = Date.now();
  execFileSync(process.execPath, [path.join(root, 'node_modules/@remix-run/dev/dist/cli.js'), 'vite:build'], {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, NODE_ENV: 'production' },
  });
  log(`build finished in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

// --- The database ------------------------------------------------------------------

/** A database's URL on the test server (TEST_DATABASE_URL, else DATABASE_URL, else the local one). */
export { databaseUrlFor as databaseUrl };

/**
 * An empty database named after this process (tests/support/database.ts names them), so a later run can drop
 * it if this one is killed before its teardown; leftovers of such runs are dropped first.
 */
export async function createDatabase(): Promise<string> {
  const name = uniqueDatabaseName('proc');
  await withAdmin(async (sql) => {
    for (const dropped of await dropStaleDatabases(sql)) log(`dropped abandoned database ${dropped}`);
    await sql.unsafe(`create database ${quoteIdentifier(name)}`);
  });
  return name;
}

export async function dropDatabase(name: string): Promise<void> {
  await withAdmin((sql) => dropTestDatabase(sql, name));
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

// --- Processes ---------------------------------------------------------------------

export interface AppProcess {
  name: string;
  child: ChildProcess;
  /** The last lines it printed. */
  output(): string;
  /** Resolves with the exit code and signal once it has ended. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Waits until a line of its output matches. */
  waitForOutput(pattern: RegExp, timeoutMs: number): Promise<void>;
  /** Sends a signal; resolves once it has exited, or rejects after timeoutMs (then kills it). */
  stop(signal: NodeJS.Signals, timeoutMs?: number): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Nothing from the caller's shell may redirect mail, split roles or change the mode of a process under test. */
const CLEARED = ['SMTP_URL', 'RUN_WORKER', 'APP_URL', 'HOST', 'PORT', 'TRUST_PROXY', 'DEMO_MODE', 'WEB_CONCURRENCY', 'EMAIL_LEASE_SECONDS', 'DATABASE_URL'];

export function startProcess(name: string, entry: 'server/main.ts' | 'server/worker.ts', env: Record<string, string>): AppProcess {
  const fullEnv: NodeJS.ProcessEnv = { ...process.env };
  for (const key of Object.keys(fullEnv)) if (key.startsWith('VITEST') || CLEARED.includes(key)) delete fullEnv[key];
  Object.assign(fullEnv, { NODE_ENV: 'production', ...env });
  const child = spawn(process.execPath, ['--import', 'tsx', entry], { cwd: root, env: fullEnv, stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: string[] = [];
  const waiters: { pattern: RegExp; resolve: () => void }[] = [];
  for (const stream of [child.stdout, child.stderr]) {
    stream?.on('data', (chunk: Buffer) => {
      const added = chunk.toString('utf8').split('\n');
      lines.push(...added);
      if (lines.length > 400) lines.splice(0, lines.length - 400);
      for (const waiter of [...waiters]) {
        if (added.some((line) => waiter.pattern.test(line))) {
          waiters.splice(waiters.indexOf(waiter), 1);
          waiter.resolve();
        }
      }
    });
  }
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  const output = () => lines.map((line) => `[${name}] ${line}`).join('\n');
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  void exited.then(() => process.off('exit', killOnExit));

  return {
    name,
    child,
    output,
    exited,
    waitForOutput(pattern, timeoutMs) {
      if (lines.some((line) => pattern.test(line))) return Promise.resolve();
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`${name} did not print ${pattern} within ${timeoutMs} ms:\n${output()}`)), timeoutMs);
        waiters.push({ pattern, resolve: () => (clearTimeout(timer), resolve()) });
        void exited.then(({ code, signal }) => {
          clearTimeout(timer);
          reject(new Error(`${name} exited (${signal ?? code}) before printing ${pattern}:\n${output()}`));
        });
      });
    },
    async stop(signal, timeoutMs = 40_000) {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      const timer = new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), timeoutMs).unref());
      const result = await Promise.race([exited, timer]);
      if (result === 'timeout') {
        child.kill('SIGKILL');
        throw new Error(`${name} did not exit within ${timeoutMs} ms of ${signal}:\n${output()}`);
      }
      return result;
    },
  };
}

/** Polls /healthz until it answers 200. */
export async function waitUntilHealthy(baseUrl: string, proc: AppProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = 'no answer yet';
  while (Date.now() < deadline) {
    if (proc.child.exitCode !== null || proc.child.signalCode !== null) throw new Error(`${proc.name} exited before it was healthy:\n${proc.output()}`);
    try {
      const response = await fetch(`${baseUrl}/healthz`, { signal: AbortSignal.timeout(5_000) });
      if (response.status === 200) return;
      last = `HTTP ${response.status}`;
    } catch (error) {
      last = String((error as Error).cause ?? error);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`${proc.name} was not healthy within ${timeoutMs / 1000} s (last: ${last}):\n${proc.output()}`);
}

/** Seconds since `started`, for the timings the test prints. */
export const secondsSince = (started: number) => `${((Date.now() - started) / 1000).toFixed(1)} s`;
