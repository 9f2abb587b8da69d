import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { createWriteStream, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import postgres from 'postgres';
import type { TestProject } from 'vitest/node';

/**
 * Starts ONE production server for the whole end-to-end run: builds the app
 * when needed, creates a throw-away PostgreSQL database, runs
 * `tsx server/main.ts` against it in demo mode and waits for /healthz.
 * Teardown stops the server and drops the database, also after failures.
 *
 * Environment:
 * - TEST_DATABASE_URL / DATABASE_URL: where to create the database
 *   (default postgres://root@127.0.0.1:5432/test; only its server is used).
 * - E2E_SKIP_BUILD=1: never build, even when build/ is older than the sources.
 * - E2E_SERVER_OUTPUT=1: also echo the server's output to this terminal.
 * The server's output always goes to tests/e2e/artifacts/server.log.
 */

const root = fileURLToPath(new URL('../../..', import.meta.url));
const artifactsDir = path.join(root, 'tests/e2e/artifacts');
const serverLogPath = path.join(artifactsDir, 'server.log');
/**
 * Databases are named kollega_e2e_<host hash>_<pid>_<random>: a later run can
 * then tell a leftover of a killed run on this host (its process is gone)
 * from one in use, even when several machines share the PostgreSQL server.
 */
const DB_PREFIX = 'kollega_e2e_';
const HOST = createHash('sha256').update(os.hostname()).digest('hex').slice(0, 6);
const DB_NAME_PATTERN = /^kollega_e2e_([0-9a-f]{6})_(\d+)_[0-9a-f]+$/;
const HEALTH_TIMEOUT_MS = 90_000;
const STOP_GRACE_MS = 15_000;

function log(message: string) {
  console.log(`[e2e] ${message}`);
}

function newestMtime(dir: string): number {
  if (!existsSync(dir)) return 0;
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(full) : statSync(full).mtimeMs);
  }
  return newest;
}

/** Builds when there is no build, or (like `npm start`) when the sources it bundles are newer. */
function ensureBuild() {
  const serverBuild = path.join(root, 'build/server/index.js');
  const missing = !existsSync(serverBuild);
  if (!missing && process.env.E2E_SKIP_BUILD === '1') return;
  const sources = Math.max(...['app', 'db', 'emails'].map((dir) => newestMtime(path.join(root, dir))));
  const stale = !missing && statSync(serverBuild).mtimeMs < sources;
  if (!missing && !stale) return;
  log(missing ? 'no production build: building it' : 'production build is older than the sources: rebuilding');
  const started = Date.now();
  execFileSync(process.execPath, [path.join(root, 'node_modules/@remix-run/dev/dist/cli.js'), 'vite:build'], {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, NODE_ENV: 'production' },
  });
  log(`build finished in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

function baseDatabaseUrl(): URL {
  return new URL(process.env.TEST_DATABASE_URL || process.env.DATABASE_URL || 'postgres://root@127.0.0.1:5432/test');
}

function databaseUrl(name: string): string {
  const url = baseDatabaseUrl();
  url.pathname = `/${name}`;
  return url.toString();
}

function admin() {
  return postgres(baseDatabaseUrl().toString(), { max: 1, onnotice: () => {}, connect_timeout: 10 });
}

function processIsAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function isAbandoned(datname: string): boolean {
  const match = DB_NAME_PATTERN.exec(datname);
  return !!match && match[1] === HOST && !processIsAlive(Number(match[2]));
}

/**
 * Servers left running by a run that was killed outright (SIGKILL gives no
 * chance to clean up): found by the abandoned database in their environment.
 */
function killAbandonedServers() {
  if (process.platform !== 'linux') return;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let environ: string;
    try {
      environ = readFileSync(`/proc/${entry}/environ`, 'utf8');
    } catch {
      continue;
    }
    const url = environ.split('\0').find((line) => line.startsWith('DATABASE_URL='));
    const datname = url && /\/(kollega_e2e_[0-9a-f]+_\d+_[0-9a-f]+)(\?|$)/.exec(url)?.[1];
    if (!datname || !isAbandoned(datname)) continue;
    log(`stopping server ${entry} left behind by an earlier run (database ${datname})`);
    try {
      process.kill(Number(entry), 'SIGKILL');
    } catch {
      // gone meanwhile
    }
  }
}

/** Databases left by runs that were killed before their teardown (their pid is in the name). */
async function dropAbandonedDatabases(sql: postgres.Sql) {
  const rows = await sql<{ datname: string }[]>`select datname from pg_database where datname like ${DB_PREFIX + '%'}`;
  for (const { datname } of rows) {
    if (!isAbandoned(datname)) continue;
    log(`dropping abandoned database ${datname}`);
    await sql.unsafe(`drop database if exists "${datname}" with (force)`).catch((error: unknown) => log(`could not drop ${datname}: ${String(error)}`));
  }
}

async function createDatabase(): Promise<string> {
  const name = `${DB_PREFIX}${HOST}_${process.pid}_${randomBytes(4).toString('hex')}`;
  const sql = admin();
  try {
    killAbandonedServers();
    await dropAbandonedDatabases(sql);
    await sql.unsafe(`create database "${name}"`);
  } finally {
    await sql.end({ timeout: 5 });
  }
  return name;
}

async function dropDatabase(name: string) {
  const sql = admin();
  try {
    await sql.unsafe(`drop database if exists "${name}" with (force)`);
  } finally {
    await sql.end({ timeout: 5 });
  }
}

function freePort(): Promise<number> {
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

/** Keeps the end of the server's output in memory, to print when it fails to start. */
class OutputTail {
  private lines: string[] = [];
  push(chunk: Buffer) {
    this.lines.push(...chunk.toString('utf8').split('\n'));
    if (this.lines.length > 300) this.lines = this.lines.slice(-300);
  }
  toString() {
    return this.lines.join('\n');
  }
}

function startServer(env: NodeJS.ProcessEnv, tail: OutputTail): ChildProcess {
  mkdirSync(artifactsDir, { recursive: true });
  const logFile = createWriteStream(serverLogPath, { flags: 'w' });
  const echo = process.env.E2E_SERVER_OUTPUT === '1';
  // Its own process group, so teardown stops tsx and the node process it runs together.
  const child = spawn(path.join(root, 'node_modules/.bin/tsx'), ['server/main.ts'], {
    cwd: root,
    env,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  for (const stream of [child.stdout, child.stderr]) {
    stream?.on('data', (chunk: Buffer) => {
      logFile.write(chunk);
      tail.push(chunk);
      if (echo) process.stdout.write(`[server] ${chunk.toString('utf8')}`);
    });
  }
  child.once('exit', () => logFile.end());
  return child;
}

function signalGroup(child: ChildProcess, signal: NodeJS.Signals) {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    try {
      child.kill(signal);
    } catch {
      // already gone
    }
  }
}

async function stopServer(child: ChildProcess) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  signalGroup(child, 'SIGTERM');
  const timer = new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), STOP_GRACE_MS).unref());
  if ((await Promise.race([exited, timer])) === 'timeout') {
    log(`server did not stop within ${STOP_GRACE_MS / 1000} s of SIGTERM: sending SIGKILL`);
    signalGroup(child, 'SIGKILL');
    await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 5_000).unref())]);
  } else if (child.pid !== undefined) {
    // tsx may leave its node child behind if it exited first.
    try {
      process.kill(-child.pid, 'SIGKILL');
    } catch {
      // the whole group is gone
    }
  }
}

async function waitUntilHealthy(baseUrl: string, child: ChildProcess, tail: OutputTail) {
  const deadline = Date.now() + HEALTH_TIMEOUT_MS;
  let last = 'no answer yet';
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`The server exited (code ${child.exitCode}, signal ${child.signalCode}) before it was healthy. Its output:\n${tail}`);
    }
    try {
      const response = await fetch(`${baseUrl}/healthz`, { signal: AbortSignal.timeout(5_000) });
      if (response.status === 200) return;
      last = `HTTP ${response.status}: ${(await response.text()).slice(0, 200)}`;
    } catch (error) {
      last = String((error as Error).cause ?? error);
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`The server was not healthy within ${HEALTH_TIMEOUT_MS / 1000} s (last: ${last}). Its output:\n${tail}`);
}

export default async function setup(project: TestProject) {
  const started = Date.now();
  ensureBuild();

  const dbName = await createDatabase();
  const dbUrl = databaseUrl(dbName);
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'kollega-e2e-'));
  const port = await freePort();
  const baseUrl = `http://localhost:${port}`;
  const tail = new OutputTail();

  const env: NodeJS.ProcessEnv = { ...process.env };
  // Nothing from the caller's shell may redirect mail, split the worker off or change the mode.
  for (const name of Object.keys(env)) {
    if (name.startsWith('VITEST') || name === 'SMTP_URL' || name === 'RUN_WORKER' || name === 'APP_URL' || name === 'HOST' || name === 'TRUST_PROXY') delete env[name];
  }
  Object.assign(env, {
    NODE_ENV: 'production',
    DATABASE_URL: dbUrl,
    SESSION_SECRET: randomBytes(32).toString('base64url'),
    DEMO_MODE: 'true',
    PORT: String(port),
    HOST: '127.0.0.1',
    APP_URL: baseUrl,
    DATA_DIR: dataDir,
  });

  const child = startServer(env, tail);
  // Last resort if this process dies without running the teardown.
  const killOnExit = () => signalGroup(child, 'SIGKILL');
  process.once('exit', killOnExit);

  let cleanedUp = false;
  const teardown = async () => {
    if (cleanedUp) return;
    cleanedUp = true;
    await stopServer(child);
    process.off('exit', killOnExit);
    await dropDatabase(dbName).catch((error: unknown) => log(`could not drop database ${dbName}: ${String(error)}`));
    rmSync(dataDir, { recursive: true, force: true });
    log(`server stopped, database ${dbName} dropped (server log: ${path.relative(root, serverLogPath)})`);
  };

  try {
    await waitUntilHealthy(baseUrl, child, tail);
  } catch (error) {
    await teardown();
    throw error;
  }
  log(`server ready at ${baseUrl} on database ${dbName} in ${((Date.now() - started) / 1000).toFixed(1)} s`);

  project.provide('baseUrl', baseUrl);
  project.provide('databaseUrl', dbUrl);
  return teardown;
}
