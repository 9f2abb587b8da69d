/**
 * `npm run bench:email [-- N]`: N queued session reminders (default 10,000)
 * delivered over SMTP by two worker processes, beside plain nodemailer
 * feeding the same SMTP server from one process in the same run.
 *
 * 1. A fresh PostgreSQL database, migrated; N participants (four languages,
 *    several time zones) enrolled in a published offering with a live
 *    session starting in 58 minutes, so its 1 h reminder is due.
 * 2. A local SMTP server (the `smtp-server` package) in this process, which
 *    reads every message to its end and notes its Message-ID and when it
 *    arrived.
 * 3. Two `server/worker.ts` processes (NODE_ENV=production, SMTP_URL at that
 *    server), started one after the other, as `npm run worker` runs them.
 * 4. The app phase: this process runs the reminder job's own function
 *    (`sendSessionReminder`, what the worker's `session-reminder` handler
 *    calls): it reads the participants, renders N emails in their
 *    languages, writes them to the outbox in one transaction (the app's
 *    `enqueueEmails`) and hands N delivery jobs to pg-boss
 *    (`dispatchEmails`). The clock for delivery starts when that returns
 *    (every message queued) and stops at the last message received.
 * 5. The floor, half before and half after the app phase (machine load
 *    drifts; the floor is both rounds together): a child process sends
 *    N/2 messages each time, of the same rendered content (the warm-up's
 *    outbox rows), to the same SMTP server through the app's own SMTP
 *    transport (nodemailer with the app's options: pooled, 3 connections)
 *    and nothing else: no database, no queue, no worker.
 * 6. Checks: every outbox row of the reminder `sent`, and every Message-ID
 *    of those rows received; lost = rows not sent or not received;
 *    duplicates = Message-IDs received more than once.
 *
 * A warm-up (BENCH_WARMUP reminders, default 300, through the same path,
 * and as many floor messages in the floor's process) runs first. Prints
 * messages per second for both, the ratio, p50/p99 of queued → received,
 * CPU per message by process, lost and duplicates; exits non-zero if a
 * message was lost (or never arrived before BENCH_STALL_MS without progress,
 * default 90 s). The last line is a one-line summary. Results also go to
 * bench/results/email.json for `npm run bench`.
 *
 * Environment: TEST_DATABASE_URL / DATABASE_URL (the server to create the
 * database on), BENCH_WARMUP (300), BENCH_STALL_MS (90000),
 * WORKER_CONCURRENCY (passed to the workers; the app's default 4 when unset).
 * Run it alone: `flock /tmp/kollega-bench.lock npm run bench:email`.
 * Not part of `npm test` (DESIGN.md §10).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { eq, like, sql } from 'drizzle-orm';
import PgBoss from 'pg-boss';
import { createDatabase, type Database, type DatabaseHandle } from '#db/client';
import { applyMigrations } from '#db/migrate';
import { enrolments, liveSessions, offerings, outboxEmails, users } from '#db/schema';
import { loadConfig, type Config } from '~/modules/config/config.server';
import type { AppContext } from '~/modules/context.server';
import { createMailTransport, type MailMessage } from '~/modules/email/transport.server';
import { BOSS_SCHEMA, jobQueueFrom } from '~/modules/jobs/jobs.server';
import { sendSessionReminder } from '~/modules/reminders/reminders.server';
import { groupCpuSeconds } from './lib/cpu';
import { backendCpuBetween, backendCpuSeconds, createBenchDatabase, databaseUrlFor, dropBenchDatabase, serverVersion } from './lib/database';
import { describeMachine } from './lib/machine';
import { ratioOf, writeResult, type BenchFigure } from './lib/results';
import { root } from './lib/server';
import { startSmtpSink, wallClockMs, type SmtpSink } from './lib/smtp-sink';
import { summarise, type Summary } from './lib/stats';

const WORKERS = 2;
const WARMUP = Number(process.env.BENCH_WARMUP ?? 300);
const STALL_MS = Number(process.env.BENCH_STALL_MS ?? 90_000);
/** Floor messages handed to nodemailer at once; its pool queues them for its connections. */
const FLOOR_IN_FLIGHT = 64;
const APP_URL = 'http://kollega-bench.example';
const LOCALES = ['en', 'nb', 'sv', 'fi'] as const;
const ZONES = ['Europe/Oslo', 'Europe/Stockholm', 'Europe/Helsinki', 'Europe/Warsaw', 'Europe/Lisbon', 'UTC'];

const log = (line: string) => console.log(`[bench] ${line}`);
const loadNow = () =>
  os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');

// --- The floor's process -------------------------------------------------------------

interface FloorTemplate {
  to: string;
  subject: string;
  text: string;
  html: string;
}

interface FloorReport {
  startedAt: number;
  finishedAt: number;
  cpuSeconds: number;
  errors: number;
  firstError: string | null;
}

/**
 * Child process: sends `warmup` then `count` messages cycled from the
 * templates, each with its own Message-ID, through the app's SMTP transport
 * (the database is never touched: only the built-in mailbox uses it), and
 * prints a FloorReport for the timed part as JSON.
 */
async function floorChild(smtpUrl: string, templatesFile: string, count: number, label: string, warmup: number) {
  const templates = JSON.parse(readFileSync(templatesFile, 'utf8')) as FloorTemplate[];
  const config = loadConfig({ NODE_ENV: 'production', SMTP_URL: smtpUrl, APP_URL, SESSION_SECRET: randomBytes(32).toString('base64url'), DATA_DIR: os.tmpdir() });
  const transport = createMailTransport(config, null as unknown as Database);
  let errors = 0;
  let firstError: string | null = null;
  const send = async (prefix: string, total: number) => {
    let next = 0;
    await Promise.all(
      Array.from({ length: Math.min(FLOOR_IN_FLIGHT, total) }, async () => {
        while (next < total) {
          const i = next++;
          const template = templates[i % templates.length]!;
          const message: MailMessage = { from: config.mailFrom, ...template, messageId: `<${prefix}-${i}@bench.example>` };
          try {
            await transport.send(message);
          } catch (error) {
            errors++;
            firstError ??= String(error);
          }
        }
      }),
    );
  };
  await send(`floor-warm-${label}`, warmup);
  errors = 0;
  firstError = null;
  const cpuBefore = process.cpuUsage();
  const startedAt = wallClockMs();
  await send(`floor-${label}`, count);
  const finishedAt = wallClockMs();
  const cpu = process.cpuUsage(cpuBefore);
  transport.close();
  const report: FloorReport = { startedAt, finishedAt, cpuSeconds: (cpu.user + cpu.system) / 1e6, errors, firstError };
  process.stdout.write(`${JSON.stringify(report)}\n`);
}

// --- Seeding ---------------------------------------------------------------------------

interface Seeded {
  mainOfferingId: string;
  warmupOfferingId: string;
}

/** `count` participants enrolled in the main offering; the first `warmup` of them in the warm-up offering too. */
async function seed(db: Database, count: number, warmup: number): Promise<Seeded> {
  const now = Date.now();
  const ids: string[] = [];
  for (let from = 0; from < count; from += 1_000) {
    const rows = Array.from({ length: Math.min(1_000, count - from) }, (_, k) => {
      const n = from + k;
      return {
        email: `reminded-${n}@bench.example`,
        emailVerifiedAt: new Date(now),
        passwordHash: 'not-a-real-hash',
        fullName: `Participant ${n} Åberg-Järvinen`,
        certificateName: `Participant ${n}`,
        country: 'SE',
        school: 'Bench school',
        schoolRole: 'teacher' as const,
        locale: LOCALES[n % LOCALES.length]!,
        timeZone: ZONES[n % ZONES.length]!,
      };
    });
    ids.push(...(await db.insert(users).values(rows).returning({ id: users.id })).map((r) => r.id));
  }
  const offering = (slug: string) => ({
    slug,
    kind: 'webinar_series' as const,
    title: `Reading circles in Year 4 (${slug})`,
    summary: 'Weekly online meetings.',
    language: 'en',
    organiserTimeZone: 'Europe/Stockholm',
    startsAt: new Date(now),
    endsAt: new Date(now + 30 * 86_400_000),
    status: 'published' as const,
    publishedAt: new Date(now),
  });
  const [main, warm] = await db
    .insert(offerings)
    .values([offering('bench-email'), offering('bench-email-warmup')])
    .returning({ id: offerings.id });
  const enrol = (offeringId: string, people: string[]) => people.map((userId) => ({ offeringId, userId, status: 'enrolled' as const, enrolledAt: new Date(now) }));
  for (let from = 0; from < ids.length; from += 2_000) await db.insert(enrolments).values(enrol(main!.id, ids.slice(from, from + 2_000)));
  await db.insert(enrolments).values(enrol(warm!.id, ids.slice(0, warmup)));
  await db.execute(sql`analyze`);
  return { mainOfferingId: main!.id, warmupOfferingId: warm!.id };
}

// --- Workers ----------------------------------------------------------------------------

interface WorkerProcess {
  child: ChildProcess;
  output(): string;
  cpuSeconds(): number | null;
  stop(): Promise<void>;
}

/** `tsx server/worker.ts` in production mode, in its own process group (tsx and its node child stop together). */
async function startWorker(env: NodeJS.ProcessEnv, index: number): Promise<WorkerProcess> {
  const lines: string[] = [];
  const child = spawn(path.join(root, 'node_modules/.bin/tsx'), ['server/worker.ts'], { cwd: root, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let started!: () => void;
  const ready = new Promise<void>((resolve) => (started = resolve));
  for (const stream of [child.stdout, child.stderr]) {
    stream?.on('data', (chunk: Buffer) => {
      const text = chunk.toString('utf8');
      lines.push(...text.split('\n'));
      if (lines.length > 200) lines.splice(0, lines.length - 200);
      if (text.includes('Kollega worker started')) started();
    });
  }
  const killGroup = (signal: NodeJS.Signals) => {
    if (child.pid === undefined) return;
    try {
      process.kill(-child.pid, signal);
    } catch {
      // already gone
    }
  };
  const onExit = () => killGroup('SIGKILL');
  process.once('exit', onExit);
  const worker: WorkerProcess = {
    child,
    output: () => lines.join('\n'),
    cpuSeconds: () => (child.pid === undefined ? null : groupCpuSeconds(child.pid)),
    async stop() {
      process.off('exit', onExit);
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
        killGroup('SIGTERM');
        const timedOut = await Promise.race([exited.then(() => false), new Promise<boolean>((resolve) => setTimeout(() => resolve(true), 25_000).unref())]);
        if (timedOut) log(`worker ${index} did not stop within 25 s of SIGTERM: killed`);
      }
      killGroup('SIGKILL');
    },
  };
  const exited = new Promise<never>((_, reject) =>
    child.once('exit', (code, signal) => reject(new Error(`worker ${index} exited (${code ?? signal}) before it started. Its output:\n${worker.output()}`))),
  );
  const timeout = new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`worker ${index} did not start within 90 s:\n${worker.output()}`)), 90_000).unref());
  try {
    await Promise.race([ready, exited, timeout]);
  } catch (error) {
    await worker.stop();
    throw error;
  }
  exited.catch(() => {});
  return worker;
}

// --- Phases -------------------------------------------------------------------------------

interface Cpu {
  workers: number | null;
  database: number | null;
  bench: number;
}

interface AppRun {
  queued: number;
  enqueueSeconds: number;
  /** From every message queued to the last one received. */
  deliverySeconds: number;
  perSecond: number;
  endToEndPerSecond: number;
  latency: Summary;
  lost: number;
  notSent: number;
  notReceived: number;
  duplicates: number;
  unexpected: number;
  stalled: boolean;
  enqueueCpu: Cpu;
  deliveryCpu: Cpu;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Waits until `done()` or until nothing new has arrived for STALL_MS; true when it stalled. */
async function waitFor(sink: SmtpSink, done: () => boolean | Promise<boolean>): Promise<boolean> {
  let seen = sink.count();
  let lastProgress = Date.now();
  while (!(await done())) {
    await sleep(100);
    if (sink.count() !== seen) {
      seen = sink.count();
      lastProgress = Date.now();
    } else if (Date.now() - lastProgress > STALL_MS) return true;
  }
  return false;
}

async function cpuNow(workers: WorkerProcess[], database: string) {
  const readings = workers.map((w) => w.cpuSeconds());
  return {
    workers: readings.some((r) => r === null) ? null : readings.reduce<number>((sum, r) => sum + r!, 0),
    database: await backendCpuSeconds(database),
    bench: process.cpuUsage(),
  };
}

function cpuBetween(before: Awaited<ReturnType<typeof cpuNow>>, after: Awaited<ReturnType<typeof cpuNow>>): Cpu {
  return {
    workers: before.workers === null || after.workers === null ? null : after.workers - before.workers,
    database: backendCpuBetween(before.database, after.database),
    bench: (after.bench.user - before.bench.user + after.bench.system - before.bench.system) / 1e6,
  };
}

/**
 * One reminder through the app: a live session whose 1 h reminder is due,
 * `sendSessionReminder` run as its job would run it, then delivery by the
 * workers, watched at the SMTP server and in the outbox.
 */
async function appPhase(context: AppContext, sink: SmtpSink, workers: WorkerProcess[], database: string, offeringId: string, expected: number): Promise<AppRun> {
  const startsAt = new Date(Math.floor((Date.now() + 58 * 60_000) / 1000) * 1000);
  const [session] = await context.db
    .insert(liveSessions)
    .values({ offeringId, title: 'Live meeting', startsAt, organiserTimeZone: 'Europe/Stockholm', durationMinutes: 60 })
    .returning({ id: liveSessions.id });
  const sessionId = session!.id;
  sink.reset();

  const beforeEnqueue = await cpuNow(workers, database);
  const t0 = wallClockMs();
  const outcome = await sendSessionReminder(context, { sessionId, kind: '1h', startsAt: startsAt.toISOString() }, new Date());
  const t1 = wallClockMs();
  const afterEnqueue = await cpuNow(workers, database);
  if (outcome.verdict !== 'send' || outcome.queued !== expected) throw new Error(`the reminder queued ${outcome.queued} of ${expected} (${outcome.verdict})`);

  const keyPattern = `session-reminder:1h:${sessionId}:%`;
  const rows = await context.db
    .select({ messageId: outboxEmails.messageId })
    .from(outboxEmails)
    .where(like(outboxEmails.idempotencyKey, keyPattern));
  const ids = new Set(rows.map((r) => r.messageId));
  const receivedAll = () => {
    let n = 0;
    for (const id of ids) if (sink.received.has(id)) n++;
    return n === ids.size;
  };
  const unsent = async () =>
    (
      await context.db
        .select({ n: sql<number>`count(*)::int` })
        .from(outboxEmails)
        .where(sql`${outboxEmails.idempotencyKey} like ${keyPattern} and ${outboxEmails.status} <> 'sent'`)
    )[0]!.n;
  let stalled = await waitFor(sink, receivedAll);
  // The worker marks a row sent just after the SMTP server's answer.
  if (!stalled) stalled = await waitFor(sink, async () => (await unsent()) === 0);
  const afterDelivery = await cpuNow(workers, database);

  let last = t1;
  const latencies: number[] = [];
  let duplicates = 0;
  let notReceived = 0;
  for (const id of ids) {
    const times = sink.received.get(id);
    if (!times) {
      notReceived++;
      continue;
    }
    duplicates += times.length - 1;
    latencies.push(times[0]! - t1);
    last = Math.max(last, ...times);
  }
  const unexpected = [...sink.received.keys()].filter((id) => !ids.has(id)).length + sink.withoutId();
  const notSentRows = await context.db
    .select({ messageId: outboxEmails.messageId })
    .from(outboxEmails)
    .where(sql`${outboxEmails.idempotencyKey} like ${keyPattern} and ${outboxEmails.status} <> 'sent'`);
  const lostIds = new Set(notSentRows.map((r) => r.messageId));
  for (const id of ids) if (!sink.received.has(id)) lostIds.add(id);
  const deliverySeconds = (last - t1) / 1000;
  return {
    queued: outcome.queued,
    enqueueSeconds: (t1 - t0) / 1000,
    deliverySeconds,
    perSecond: ids.size / deliverySeconds,
    endToEndPerSecond: ids.size / ((last - t0) / 1000),
    latency: summarise(latencies),
    lost: lostIds.size,
    notSent: notSentRows.length,
    notReceived,
    duplicates,
    unexpected,
    stalled,
    enqueueCpu: cpuBetween(beforeEnqueue, afterEnqueue),
    deliveryCpu: cpuBetween(afterEnqueue, afterDelivery),
  };
}

interface FloorRun {
  seconds: number;
  perSecond: number;
  latency: Summary;
  lost: number;
  duplicates: number;
  errors: number;
  firstError: string | null;
  /** CPU seconds: the sending process, and this one (the SMTP server). */
  clientCpu: number;
  sinkCpu: number;
}

/** N messages from the floor's own process; its warm-up first, in the same process. */
async function floorPhase(sink: SmtpSink, templatesFile: string, count: number, label: string, warmup: number): Promise<FloorRun> {
  sink.reset();
  const self = fileURLToPath(import.meta.url);
  const sinkBefore = process.cpuUsage();
  const output = await new Promise<string>((resolve, reject) => {
    const child = spawn(process.execPath, [...process.execArgv, self, '--floor-child', sink.url, templatesFile, String(count), label, String(warmup)], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let text = '';
    child.stdout.on('data', (chunk: Buffer) => (text += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve(text) : reject(new Error(`the floor's process exited with ${code}`))));
  });
  const sinkCpu = process.cpuUsage(sinkBefore);
  const report = JSON.parse(output.trim().split('\n').pop()!) as FloorReport;
  const prefix = `<floor-${label}-`;
  let last = report.startedAt;
  let received = 0;
  let duplicates = 0;
  const latencies: number[] = [];
  for (const [id, times] of sink.received) {
    if (!id.startsWith(prefix)) continue;
    received++;
    duplicates += times.length - 1;
    latencies.push(times[0]! - report.startedAt);
    last = Math.max(last, ...times);
  }
  const seconds = (last - report.startedAt) / 1000;
  return {
    seconds,
    perSecond: received / seconds,
    latency: summarise(latencies),
    lost: count - received,
    duplicates,
    errors: report.errors,
    firstError: report.firstError,
    clientCpu: report.cpuSeconds,
    sinkCpu: (sinkCpu.user + sinkCpu.system) / 1e6,
  };
}

// --- Main ------------------------------------------------------------------------------------

async function main() {
  if (process.argv[2] === '--floor-child') {
    const [smtpUrl, templatesFile, count, label, warmup] = process.argv.slice(3);
    await floorChild(smtpUrl!, templatesFile!, Number(count), label!, Number(warmup));
    return;
  }
  const count = Math.max(10, Number.parseInt(process.argv[2] ?? '', 10) || 10_000);
  const startedAt = new Date();
  const loadAtStart = loadNow();
  const database = await createBenchDatabase();
  const url = databaseUrlFor(database);
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'kollega-bench-email-'));
  const secret = randomBytes(32).toString('base64url');
  let handle: DatabaseHandle | null = null;
  let boss: PgBoss | null = null;
  let sink: SmtpSink | null = null;
  const workers: WorkerProcess[] = [];
  const cleanUp = async () => {
    await Promise.all(workers.splice(0).map((w) => w.stop().catch((error: unknown) => log(`could not stop a worker: ${String(error)}`))));
    await boss?.stop({ graceful: false, wait: true, timeout: 5_000 }).catch(() => {});
    boss = null;
    await handle?.close().catch(() => {});
    handle = null;
    await sink?.close().catch(() => {});
    sink = null;
    rmSync(tmp, { recursive: true, force: true });
    await dropBenchDatabase(database).catch((error: unknown) => log(`could not drop ${database}: ${String(error)}`));
  };
  const interrupted = () => {
    log('interrupted: cleaning up');
    void cleanUp().then(() => process.exit(130));
  };
  process.once('SIGINT', interrupted);
  process.once('SIGTERM', interrupted);

  try {
    handle = createDatabase({ kind: 'postgres', url, poolSize: 4 });
    await applyMigrations(handle);
    log(`database ${database}: seeding ${count} participants (en, nb, sv, fi; ${ZONES.length} zones), ${WARMUP} of them in a warm-up offering too`);
    const seeded = await seed(handle.db, count, WARMUP);
    sink = await startSmtpSink();

    const env: NodeJS.ProcessEnv = { ...process.env };
    for (const name of ['PORT', 'HOST', 'TRUST_PROXY', 'RUN_WORKER', 'DEMO_MODE', 'MAIL_FROM', 'ORGANISATION_NAME']) delete env[name];
    Object.assign(env, {
      NODE_ENV: 'production',
      DATABASE_URL: url,
      SESSION_SECRET: secret,
      SMTP_URL: sink.url,
      APP_URL,
      DEMO_MODE: 'false',
      DATA_DIR: tmp,
    });
    const workerConcurrency = process.env.WORKER_CONCURRENCY || '4 (default)';
    for (let i = 1; i <= WORKERS; i++) {
      workers.push(await startWorker(env, i));
      log(`worker ${i} started (pid ${workers.at(-1)!.child.pid})`);
    }

    const config: Config = loadConfig({ NODE_ENV: 'production', DATABASE_URL: url, SESSION_SECRET: secret, APP_URL, SMTP_URL: sink.url, DATA_DIR: tmp });
    // This process only queues jobs: no maintenance or cron of its own (the workers run those).
    boss = new PgBoss({ connectionString: url, schema: BOSS_SCHEMA, max: 2, supervise: false, schedule: false, migrate: false });
    boss.on('error', (error) => log(`pg-boss: ${String(error)}`));
    await boss.start();
    const dbHandle = handle;
    const context: AppContext = {
      db: dbHandle.db,
      config,
      jobs: jobQueueFrom(boss),
      pingDatabase: () => dbHandle.ping(),
      rawQuery: (text, values) => dbHandle.query(text, values),
    };

    log(`warm-up: a reminder to ${WARMUP} participants through the workers`);
    const warm = await appPhase(context, sink, workers, database, seeded.warmupOfferingId, WARMUP);
    if (warm.lost > 0) throw new Error(`the warm-up lost ${warm.lost} of ${WARMUP} messages${warm.stalled ? ' (no progress for BENCH_STALL_MS)' : ''}`);
    log(`warm-up: ${WARMUP} delivered in ${warm.deliverySeconds.toFixed(2)} s`);

    const templates: FloorTemplate[] = (
      await dbHandle.db
        .select({ to: outboxEmails.toAddress, subject: outboxEmails.subject, text: outboxEmails.text, html: outboxEmails.html })
        .from(outboxEmails)
        .where(eq(outboxEmails.template, 'session-reminder'))
    ).slice(0, WARMUP);
    const templatesFile = path.join(tmp, 'floor-messages.json');
    writeFileSync(templatesFile, JSON.stringify(templates));
    const averageKb = templates.reduce((sum, t) => sum + t.subject.length + t.text.length + t.html.length, 0) / templates.length / 1024;

    const floorHalves = [Math.ceil(count / 2), Math.floor(count / 2)] as const;
    log(`floor (before): ${floorHalves[0]} messages from one process through the app's SMTP transport (${WARMUP} warm-up first)`);
    const floorBefore = await floorPhase(sink, templatesFile, floorHalves[0], 'before', WARMUP);
    log(`floor (before): ${floorBefore.perSecond.toFixed(0)} messages/s`);
    log(`app: a reminder to ${count} participants, queued and delivered by ${WORKERS} workers`);
    const app = await appPhase(context, sink, workers, database, seeded.mainOfferingId, count);
    log(`app: ${app.perSecond.toFixed(0)} messages/s`);
    log(`floor (after): ${floorHalves[1]} messages`);
    const floorAfter = await floorPhase(sink, templatesFile, floorHalves[1], 'after', WARMUP);
    const floorSeconds = floorBefore.seconds + floorAfter.seconds;
    const floorRate = (count - floorBefore.lost - floorAfter.lost) / floorSeconds;
    const floorLatency = {
      p50: Math.max(floorBefore.latency.p50, floorAfter.latency.p50),
      p99: Math.max(floorBefore.latency.p99, floorAfter.latency.p99),
    };
    const ratio = app.perSecond / floorRate;
    const loadAtEnd = loadNow();

    const perMessage = (seconds: number | null, n = count) => (seconds === null ? 'n/a' : `${((seconds * 1000) / n).toFixed(3)} ms`);
    const appCpuTotal =
      app.deliveryCpu.workers === null || app.deliveryCpu.database === null ? null : app.deliveryCpu.workers + app.deliveryCpu.database + app.deliveryCpu.bench;
    const floorCpuTotal = floorBefore.clientCpu + floorBefore.sinkCpu + floorAfter.clientCpu + floorAfter.sinkCpu;
    const machine = describeMachine({ database: await serverVersion(), 'load at start': loadAtStart });

    console.log('');
    console.log(machine);
    console.log(`messages          ${count} session reminders (1 h before), ${WORKERS} workers, WORKER_CONCURRENCY ${workerConcurrency}, average ${averageKb.toFixed(1)} KiB of subject, text and HTML`);
    console.log(`enqueue           ${app.queued} rendered and queued in ${app.enqueueSeconds.toFixed(2)} s (${(app.queued / app.enqueueSeconds).toFixed(0)}/s: participants read, outbox rows written, delivery jobs handed to pg-boss)`);
    console.log(`app delivery      ${app.perSecond.toFixed(1)} messages/s (${count} in ${app.deliverySeconds.toFixed(2)} s from queued to the last received); with the enqueue ${app.endToEndPerSecond.toFixed(1)}/s`);
    console.log(
      `floor             ${floorRate.toFixed(1)} messages/s — nodemailer with the app's options, one process, no database ` +
        `(before ${floorBefore.perSecond.toFixed(0)}/s, after ${floorAfter.perSecond.toFixed(0)}/s)`,
    );
    console.log(`ratio             app/floor ${ratio.toFixed(3)}`);
    console.log(`latency           queued → received: p50 ${(app.latency.p50 / 1000).toFixed(2)} s, p99 ${(app.latency.p99 / 1000).toFixed(2)} s (all ${count} queued at once; floor: p50 ${(floorLatency.p50 / 1000).toFixed(2)} s, p99 ${(floorLatency.p99 / 1000).toFixed(2)} s)`);
    console.log(
      `cpu per message   app: workers ${perMessage(app.deliveryCpu.workers)} + postgres ${perMessage(app.deliveryCpu.database)} + SMTP server ${perMessage(app.deliveryCpu.bench)} = ${perMessage(appCpuTotal)}; ` +
        `floor: sender ${perMessage(floorBefore.clientCpu + floorAfter.clientCpu, count)} + SMTP server ${perMessage(floorBefore.sinkCpu + floorAfter.sinkCpu, count)} = ${perMessage(floorCpuTotal, count)}`,
    );
    console.log(`                  enqueue: bench ${perMessage(app.enqueueCpu.bench)} + postgres ${perMessage(app.enqueueCpu.database)}`);
    console.log(`lost              ${app.lost} (${app.notSent} outbox rows not sent, ${app.notReceived} not received${app.stalled ? `; stopped waiting after ${STALL_MS / 1000} s without progress` : ''}); floor ${floorBefore.lost + floorAfter.lost}`);
    console.log(`duplicates        ${app.duplicates} (Message-IDs received more than once); floor ${floorBefore.duplicates + floorAfter.duplicates}; unexpected messages ${app.unexpected}`);
    if (floorBefore.errors + floorAfter.errors > 0) console.log(`floor errors      ${floorBefore.errors + floorAfter.errors} (first: ${floorBefore.firstError ?? floorAfter.firstError})`);
    console.log(`load average      ${loadAtStart} at start, ${loadAtEnd} at the end (${os.cpus().length} cores)`);
    const ok = app.lost === 0 && app.duplicates === 0;
    if (app.lost > 0) process.exitCode = 1;
    const summary =
      `email: ${app.perSecond.toFixed(1)} messages/s delivered by ${WORKERS} workers vs the floor's ${floorRate.toFixed(1)}/s (plain nodemailer) = ratio ${ratio.toFixed(3)}; ` +
      `lost ${app.lost}, duplicates ${app.duplicates} ${ok ? 'met' : 'NOT met'}; queued → received p50 ${(app.latency.p50 / 1000).toFixed(2)} s, p99 ${(app.latency.p99 / 1000).toFixed(2)} s`;

    const figures: BenchFigure[] = [
      {
        name: `${count} reminder emails delivered, messages/s`,
        value: Number(app.perSecond.toFixed(1)),
        unit: 'messages/s',
        floor: { name: 'plain nodemailer, one process, no database', value: Number(floorRate.toFixed(1)) },
        ratio: ratioOf(app.perSecond, floorRate),
      },
      { name: 'lost (outbox rows not sent or not received)', value: app.lost, unit: 'messages', aim: '= 0', met: app.lost === 0 },
      { name: 'duplicates (Message-IDs received more than once)', value: app.duplicates, unit: 'messages', aim: '= 0', met: app.duplicates === 0 },
    ];
    writeResult({
      bench: 'email',
      title: 'Email relay: `npm run bench:email`',
      command: `flock /tmp/kollega-bench.lock npm run bench:email${count === 10_000 ? '' : ` -- ${count}`}`,
      settings: { messages: count, workers: WORKERS, WORKER_CONCURRENCY: workerConcurrency, BENCH_WARMUP: WARMUP, BENCH_STALL_MS: STALL_MS },
      startedAt: startedAt.toISOString(),
      finishedAt: new Date().toISOString(),
      machine,
      figures,
      notes: [
        `Enqueue (the reminder job's function: read ${count} participants, render, write the outbox, hand the jobs to pg-boss): ${app.enqueueSeconds.toFixed(2)} s; with it, ${app.endToEndPerSecond.toFixed(1)} messages/s end to end.`,
        `Floor before the app phase ${floorBefore.perSecond.toFixed(0)}/s, after ${floorAfter.perSecond.toFixed(0)}/s.`,
        `CPU per message: app ${perMessage(appCpuTotal)} (workers ${perMessage(app.deliveryCpu.workers)}, PostgreSQL ${perMessage(app.deliveryCpu.database)}, SMTP server ${perMessage(app.deliveryCpu.bench)}); floor ${perMessage(floorCpuTotal, count)}.`,
        `Queued → received p50 ${(app.latency.p50 / 1000).toFixed(2)} s, p99 ${(app.latency.p99 / 1000).toFixed(2)} s (all ${count} queued at once, so mostly the place in the queue); ` +
          `floor, sendMail → received: p50 ${(floorLatency.p50 / 1000).toFixed(2)} s, p99 ${(floorLatency.p99 / 1000).toFixed(2)} s. Load ${loadAtStart} at start, ${loadAtEnd} at the end.`,
      ],
      summary,
    });
    console.log(summary);
  } finally {
    process.off('SIGINT', interrupted);
    process.off('SIGTERM', interrupted);
    await cleanUp();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
