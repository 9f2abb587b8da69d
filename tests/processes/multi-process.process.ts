import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import type PgBoss from 'pg-boss';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDatabase as openDatabase, type DatabaseHandle } from '#db/client';
import { LIMITS } from '~/modules/auth/rate-limit.server';
import { loadConfig } from '~/modules/config/config.server';
import type { AppContext } from '~/modules/context.server';
import { withMailer } from '~/modules/email/outbox.server';
import { createBoss, jobQueueFrom, QUEUES } from '~/modules/jobs/jobs.server';
import { offeringSearchText } from '~/modules/offerings/search-text';
import { queueReminderJobs } from '~/modules/reminders/reminders.server';
import { plannedReminders } from '~/modules/reminders/schedule';
import { makeTempDir } from '../support/context';
import { createUser, signIn, TEST_PASSWORD } from '../support/factories';
import {
  createDatabase,
  databaseUrl,
  dropDatabase,
  ensureBuild,
  freePort,
  log,
  root,
  secondsSince,
  startProcess,
  waitUntilHealthy,
  type AppProcess,
} from './support/processes';
import { startSmtpSink, type SmtpSink } from './support/smtp';

/**
 * Issue 7, scale-out: TWO web processes (RUN_WORKER=false, two ports) and
 * TWO job workers (`server/worker.ts`), all from the production build,
 * against ONE fresh PostgreSQL database, started at the same moment (so
 * their start-up migrations and queue set-up meet too). Each worker sends
 * mail to an SMTP server of its own in this process, so the test knows which
 * worker is in the middle of a send. The scenarios run in order and share
 * the processes: enrolment rush, rate limits, reminders, certificates, a
 * worker killed mid-send, a web process stopped mid-request.
 */

/** Short, so a killed worker's message is taken over within seconds; long enough that a busy worker is not overtaken by mistake. */
const LEASE_SECONDS = 8;
/** How long a web process keeps answering (with /healthz at 503) after SIGTERM before it closes its port. */
const SHUTDOWN_DELAY_SECONDS = 3;
const CAPACITY = 40;
const TEACHERS = 120;

const sessionSecret = randomBytes(32).toString('base64url');
const dataDir = makeTempDir('kollega-processes-');
let dbName = '';
let appUrl = '';
let webUrls: [string, string] = ['', ''];
let web: AppProcess[] = [];
let workers: AppProcess[] = [];
let smtp: SmtpSink[] = [];
let handle: DatabaseHandle | null = null;
let boss: PgBoss | null = null;
let sql: postgres.Sql;
let context: AppContext;
const suiteStarted = Date.now();

/** The i-th request goes to web process i mod 2. */
const webUrl = (i: number) => webUrls[i % 2]!;
const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function poll<T>(what: string, read: () => Promise<T>, done: (value: T) => boolean, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let value = await read();
  while (!done(value)) {
    if (Date.now() > deadline) {
      throw new Error(`${what}: still ${JSON.stringify(value)} after ${timeoutMs / 1000} s\n${[...web, ...workers].map((p) => p.output().split('\n').slice(-15).join('\n')).join('\n')}`);
    }
    await delay(250);
    value = await read();
  }
  return value;
}

function post(base: string, path: string, body: Record<string, string>, headers: Record<string, string> = {}) {
  return fetch(`${base}${path}`, {
    method: 'POST',
    redirect: 'manual',
    // The Host the reverse proxy passes on (docs/deploy.md): Remix compares it with Origin before an action.
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: appUrl, 'X-Forwarded-Host': new URL(appUrl).host, ...headers },
    body: new URLSearchParams(body),
  });
}

/** A process's resident memory (Linux), for the sizing notes in docs/deploy.md. */
function residentMegabytes(proc: AppProcess): string {
  try {
    const kb = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${proc.child.pid}/status`, 'utf8'))?.[1]);
    return `${Math.round(kb / 1024)} MB`;
  } catch {
    return 'unknown';
  }
}

/** The web processes whose parent is `pid` (Linux). */
function childPids(pid: number): number[] {
  const found: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      // The fourth field of /proc/<pid>/stat, after the command in parentheses, is the parent's pid.
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(fields[1]) !== pid || fields[0] === 'Z') continue;
      // Web processes run server/main.ts; tsx may have an esbuild helper process too.
      if (readFileSync(`/proc/${entry}/cmdline`, 'utf8').includes('server/main.ts')) found.push(Number(entry));
    } catch {
      // gone meanwhile
    }
  }
  return found;
}

/** Every message accepted by either SMTP server, by Message-ID. */
function receivedById(): Map<string, number> {
  const counts = new Map<string, number>();
  for (const sink of smtp) for (const m of sink.received) if (m.messageId) counts.set(m.messageId, (counts.get(m.messageId) ?? 0) + 1);
  return counts;
}

let offering: { id: string; slug: string; pageId: string };
const teachers: { id: string; email: string; cookie: string }[] = [];

beforeAll(async () => {
  ensureBuild();
  dbName = await createDatabase();
  const url = databaseUrl(dbName);
  smtp = [await startSmtpSink('smtp-A'), await startSmtpSink('smtp-B')];
  const ports = [await freePort(), await freePort()] as const;
  appUrl = `http://localhost:${ports[0]}`;
  webUrls = [`http://127.0.0.1:${ports[0]}`, `http://127.0.0.1:${ports[1]}`];
  const common = {
    DATABASE_URL: url,
    DATABASE_POOL_SIZE: '4',
    SESSION_SECRET: sessionSecret,
    // One public address, as behind the reverse proxy of docs/deploy.md; the proxy's X-Forwarded-For is trusted.
    APP_URL: appUrl,
    TRUST_PROXY: 'true',
    HOST: '127.0.0.1',
    DATA_DIR: dataDir,
    DEMO_MODE: 'false',
    EMAIL_LEASE_SECONDS: String(LEASE_SECONDS),
    MAIL_FROM: 'Kollega <no-reply@kollega.test>',
  };
  const started = Date.now();
  web = ports.map((port, i) =>
    startProcess(`web${i + 1}`, 'server/main.ts', { ...common, PORT: String(port), RUN_WORKER: 'false', SHUTDOWN_DELAY_SECONDS: String(SHUTDOWN_DELAY_SECONDS) }),
  );
  workers = smtp.map((sink, i) => startProcess(`worker${'AB'[i]}`, 'server/worker.ts', { ...common, SMTP_URL: sink.url }));
  await Promise.all([
    ...web.map((p, i) => waitUntilHealthy(webUrls[i]!, p, 120_000)),
    ...workers.map((p) => p.waitForOutput(/Kollega worker started/, 120_000)),
  ]);
  log(`2 web processes and 2 workers ready on a fresh database in ${secondsSince(started)}`);

  handle = openDatabase({ kind: 'postgres', url, poolSize: 4 });
  sql = postgres(url, { max: 2, onnotice: () => {} });
  const config = loadConfig({ NODE_ENV: 'test', DATABASE_URL: url, SESSION_SECRET: sessionSecret, APP_URL: appUrl, DATA_DIR: dataDir, MAIL_FROM: common.MAIL_FROM });
  // This process only puts jobs on queues, as a web process does after a commit.
  boss = createBoss(handle, { poolSize: 2 });
  boss.on('error', (error) => console.error('[test pg-boss]', error));
  await boss.start();
  context = {
    db: handle.db,
    config,
    jobs: jobQueueFrom(boss),
    pingDatabase: () => handle!.ping(),
    rawQuery: (text, values) => handle!.query(text, values),
  };

  // A published short course with one required page, running since yesterday, 40 seats and a waitlist.
  const trainer = await createUser(handle.db, { roles: [{ role: 'trainer' }] });
  const day = 24 * 3_600_000;
  const now = Date.now();
  const slug = `rush-${randomBytes(3).toString('hex')}`;
  const title = 'Formative assessment in practice';
  const summary = 'A course for the multi-process test.';
  const [row] = await sql<{ id: string }[]>`
    insert into offerings (slug, kind, title, summary, description, language, topics, target_audiences, eligibility, expected_minutes,
      organiser_time_zone, enrolment_opens_at, enrolment_closes_at, starts_at, ends_at, completion_deadline,
      capacity, waitlist_enabled, certificate_enabled, status, pacing_mode, created_by, published_at, search_text)
    values (${slug}, 'short_course', ${title}, ${summary}, 'Made by the multi-process test.', 'en', ${['testing']}::text[], ${['all']}::text[],
      'open', 60, 'Europe/Oslo', ${new Date(now - 2 * day)}, ${new Date(now + 7 * day)}, ${new Date(now - day)}, ${new Date(now + 30 * day)},
      ${new Date(now + 30 * day)}, ${CAPACITY}, true, true, 'published', 'cohort', ${trainer.id}, ${new Date(now - 2 * day)},
      ${offeringSearchText({ title, summary, topics: ['testing'] })})
    returning id`;
  await sql`insert into offering_trainers (offering_id, user_id, position) values (${row!.id}, ${trainer.id}, 0)`;
  const [module] = await sql<{ id: string }[]>`insert into modules (offering_id, position, title, release_at) values (${row!.id}, 0, 'Week 1', ${new Date(now - day)}) returning id`;
  const [page] = await sql<{ id: string }[]>`
    insert into activities (offering_id, module_id, position, kind, title, required, estimated_minutes, content)
    values (${row!.id}, ${module!.id}, 0, 'page', 'Read this', true, 15, ${sql.json({ kind: 'page', body: 'Feedback that moves learning on.', videoUrl: '' })})
    returning id`;
  offering = { id: row!.id, slug, pageId: page!.id };

  // 120 registered, verified teachers, each signed in (sessions made as sign-in makes them).
  for (let batch = 0; batch < TEACHERS; batch += 20) {
    const made = await Promise.all(
      Array.from({ length: 20 }, async (_, j) => {
        const user = await createUser(handle!.db, { email: `teacher-${batch + j}@rush.test` });
        return { id: user.id, email: user.email, cookie: await signIn(context, user.id) };
      }),
    );
    teachers.push(...made);
  }
  log(`offering and ${TEACHERS} signed-in teachers ready (${secondsSince(suiteStarted)} since the start)`);
});

afterAll(async () => {
  for (const p of [...web, ...workers]) if (p.child.exitCode === null && p.child.signalCode === null) p.child.kill('SIGKILL');
  await Promise.all([...web, ...workers].map((p) => p.exited));
  await boss?.stop({ graceful: false, wait: true, timeout: 5_000 }).catch(() => {});
  await handle?.close().catch(() => {});
  await sql?.end({ timeout: 5 }).catch(() => {});
  await Promise.all(smtp.map((s) => s.close()));
  if (dbName) await dropDatabase(dbName).catch((error: unknown) => log(`could not drop ${dbName}: ${String(error)}`));
  rmSync(dataDir, { recursive: true, force: true });
  log(`whole file: ${secondsSince(suiteStarted)}`);
});

describe('two web processes and two workers on one database', () => {
  it('serves fingerprinted assets with a year-long immutable cache and other public files for an hour', async () => {
    const asset = readdirSync(path.join(root, 'build/client/assets')).find((name) => name.endsWith('.js'))!;
    const fingerprinted = await fetch(`${webUrls[1]}/assets/${asset}`);
    expect(fingerprinted.status).toBe(200);
    expect(fingerprinted.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    // Compression is the reverse proxy's job (docs/deploy.md).
    expect(fingerprinted.headers.get('content-encoding')).toBeNull();
    const publicFile = readdirSync(path.join(root, 'build/client')).find((name) => name.includes('.') && !name.startsWith('.'))!;
    const other = await fetch(`${webUrls[0]}/${publicFile}`);
    expect(other.status).toBe(200);
    expect(other.headers.get('cache-control')).toBe('public, max-age=3600');
  });

  it('does not overbook when 120 teachers enrol through both web processes at once', async () => {
    const started = Date.now();
    const statuses = await Promise.all(
      teachers.map((t, i) => post(webUrl(i), `/offerings/${offering.slug}/enrolment`, { intent: 'enrol' }, { Cookie: t.cookie }).then((r) => r.status)),
    );
    log(`enrolment rush: ${TEACHERS} requests over 2 web processes in ${secondsSince(started)}`);
    // Every answer is the redirect back to the panel; none is an error.
    expect(statuses.filter((s) => s !== 302)).toEqual([]);

    const [counter] = await sql<{ seats_taken: number }[]>`select seats_taken from offerings where id = ${offering.id}`;
    const rows = await sql<{ user_id: string; status: string; waitlist_seq: string | null }[]>`
      select user_id, status, waitlist_seq from enrolments where offering_id = ${offering.id}`;
    const enrolled = rows.filter((r) => r.status === 'enrolled');
    const waitlisted = rows.filter((r) => r.status === 'waitlisted');
    expect(enrolled.length).toBe(CAPACITY);
    expect(counter!.seats_taken).toBe(enrolled.length);
    expect(waitlisted.length).toBe(TEACHERS - CAPACITY);
    expect(new Set(rows.map((r) => r.user_id)).size).toBe(rows.length);
    expect(rows.length).toBe(TEACHERS);
    const positions = waitlisted.map((r) => r.waitlist_seq);
    expect(positions.every((p) => p !== null)).toBe(true);
    expect(new Set(positions).size).toBe(positions.length);
  });

  it('locks an account after the same number of wrong passwords whether they go to one web process or alternate between two', async () => {
    const [spread, single, burst] = await Promise.all([0, 1, 2].map((n) => createUser(handle!.db, { email: `locked-${n}@rush.test` })));
    const attempts = LIMITS.loginAccount.points + 2;
    const wrong = (base: string, email: string, address: string) =>
      post(base, '/login', { email, password: 'not-the-password' }, { 'X-Forwarded-For': address }).then((r) => r.status);

    // One attempt after another for each account; the two accounts side by side.
    const sequence = async (base: (i: number) => string, email: string, address: string) => {
      const statuses: number[] = [];
      for (let i = 0; i < attempts; i += 1) statuses.push(await wrong(base(i), email, address));
      return statuses;
    };
    const [spreadStatuses, singleStatuses] = await Promise.all([
      sequence(webUrl, spread!.email, '10.7.0.1'),
      sequence(() => webUrls[0], single!.email, '10.7.0.2'),
    ]);
    const expected = [...Array<number>(LIMITS.loginAccount.points).fill(401), ...Array<number>(attempts - LIMITS.loginAccount.points).fill(429)];
    expect(spreadStatuses).toEqual(expected);
    expect(singleStatuses).toEqual(expected);
    // Locked means locked: the right password is refused too, on either process.
    for (const base of webUrls) {
      expect((await post(base, '/login', { email: spread!.email, password: TEST_PASSWORD }, { 'X-Forwarded-For': '10.7.0.1' })).status).toBe(429);
    }

    // At the same moment on both processes: the count is kept in PostgreSQL, so exactly as many get through.
    const burstStatuses = await Promise.all(Array.from({ length: 8 }, (_, i) => wrong(webUrl(i), burst!.email, '10.7.0.3')));
    expect(burstStatuses.filter((s) => s === 401).length).toBe(LIMITS.loginAccount.points);
    expect(burstStatuses.filter((s) => s === 429).length).toBe(8 - LIMITS.loginAccount.points);
  });

  it('locks an address after the same number of wrong passwords across both web processes', async () => {
    const started = Date.now();
    const tries = LIMITS.loginAddress.points + 4;
    const statuses = await Promise.all(
      Array.from({ length: tries }, (_, i) =>
        post(webUrl(i), '/login', { email: `nobody-${i}@rush.test`, password: 'guess' }, { 'X-Forwarded-For': '10.7.0.9' }).then((r) => r.status),
      ),
    );
    log(`address limit: ${tries} sign-ins over 2 web processes in ${secondsSince(started)}`);
    expect(statuses.filter((s) => s === 401).length).toBe(LIMITS.loginAddress.points);
    expect(statuses.filter((s) => s === 429).length).toBe(tries - LIMITS.loginAddress.points);
    // Another address is not locked out with it.
    expect((await post(webUrls[1], '/login', { email: 'nobody@rush.test', password: 'guess' }, { 'X-Forwarded-For': '10.7.0.10' })).status).toBe(401);
  });

  it('sends each session reminder once, even when the reminder job runs twice on two workers', async () => {
    const started = Date.now();
    // A session starting in 55 minutes: its 1-hour reminder is due now.
    const startsAt = new Date(Math.floor((Date.now() + 55 * 60_000) / 1000) * 1000);
    const [session] = await sql<{ id: string }[]>`
      insert into live_sessions (offering_id, title, starts_at, organiser_time_zone, duration_minutes)
      values (${offering.id}, 'Feedback clinic', ${startsAt}, 'Europe/Oslo', 60) returning id`;
    const planned = plannedReminders({ id: session!.id, startsAt, cancelledAt: null }, new Date());
    expect(planned.map((p) => p.data.kind)).toEqual(['1h']);
    // Queued as a session change queues it after commit, and once more without the singleton key: the same
    // job run a second time (say after its worker vanished), which both workers may pick up at once.
    await queueReminderJobs(context.jobs, planned);
    await context.jobs.send(QUEUES.sessionReminder, planned[0]!.data, { startAfter: planned[0]!.dueAt });

    const participants = await sql<{ user_id: string }[]>`select user_id from enrolments where offering_id = ${offering.id} and status = 'enrolled'`;
    expect(participants.length).toBe(CAPACITY);
    await poll(
      'reminder jobs completed',
      async () => (await sql<{ n: number }[]>`select count(*)::int as n from pgboss.job where name = ${QUEUES.sessionReminder} and state = 'completed'`)[0]!.n,
      (n) => n === 2,
      30_000,
    );
    const rows = await poll(
      'reminder emails sent',
      () => sql<{ to_address: string; message_id: string; status: string }[]>`
        select to_address, message_id, status from outbox_emails where template = 'session-reminder'`,
      (r) => r.length >= CAPACITY && r.every((x) => x.status === 'sent'),
      30_000,
    );
    const received = receivedById();
    const perParticipant = new Map<string, number>();
    for (const r of rows) perParticipant.set(r.to_address, (perParticipant.get(r.to_address) ?? 0) + (received.get(r.message_id) ?? 0));
    log(`reminders: ${rows.length} outbox rows, ${[...perParticipant.values()].reduce((a, b) => a + b, 0)} messages received in ${secondsSince(started)}`);
    expect(rows.length).toBe(CAPACITY);
    expect(perParticipant.size).toBe(CAPACITY);
    expect([...perParticipant.values()].every((n) => n === 1)).toBe(true);
  });

  it('issues one certificate and one email per completed enrolment, whichever worker takes the completion', async () => {
    const started = Date.now();
    const enrolledIds = new Set((await sql<{ user_id: string }[]>`select user_id from enrolments where offering_id = ${offering.id} and status = 'enrolled'`).map((r) => r.user_id));
    const learners = teachers.filter((t) => enrolledIds.has(t.id));
    const statuses = await Promise.all(
      learners.map((t, i) => post(webUrl(i), `/learn/${offering.slug}/activities/${offering.pageId}`, { intent: 'done' }, { Cookie: t.cookie }).then((r) => r.status)),
    );
    expect(statuses.filter((s) => s >= 400)).toEqual([]);

    const certificates = await poll(
      'certificates issued',
      () => sql<{ enrolment_id: string; current: number }[]>`
        select enrolment_id, count(*) filter (where superseded_at is null)::int as current
        from certificates where offering_id = ${offering.id} group by enrolment_id`,
      (r) => r.length >= CAPACITY,
      40_000,
    );
    const rows = await poll(
      'certificate emails sent',
      () => sql<{ to_address: string; message_id: string; status: string }[]>`
        select to_address, message_id, status from outbox_emails where template = 'certificate-issued'`,
      (r) => r.length >= CAPACITY && r.every((x) => x.status === 'sent'),
      30_000,
    );
    const [events] = await sql<{ open: number }[]>`select count(*) filter (where processed_at is null)::int as open from completion_events`;
    const received = receivedById();
    log(`certificates: ${certificates.length} issued and ${rows.length} emailed in ${secondsSince(started)}`);
    log(`resident memory: ${[...web, ...workers].map((p) => `${p.name} ${residentMegabytes(p)}`).join(', ')}`);
    expect(certificates.length).toBe(CAPACITY);
    expect(certificates.every((c) => c.current === 1)).toBe(true);
    expect(events!.open).toBe(0);
    expect(rows.length).toBe(CAPACITY);
    expect(new Set(rows.map((r) => r.to_address)).size).toBe(CAPACITY);
    expect(rows.every((r) => received.get(r.message_id) === 1)).toBe(true);
  });

  it('loses no email when a worker is killed with SIGKILL in the middle of sending: the other one sends it once the lease runs out', async () => {
    const started = Date.now();
    const [workerA, workerB] = workers as [AppProcess, AppProcess];
    const [sinkA, sinkB] = smtp as [SmtpSink, SmtpSink];
    const isKillTest = (to: string) => to.endsWith('@kill.test');
    // Worker A's SMTP server never answers these messages' data: A is stuck mid-send until it dies.
    sinkA.hold(isKillTest, new Promise<void>(() => {}));
    // Worker B's answers wait until A is stuck (at most a few seconds), so A surely gets some of the messages.
    sinkB.hold(isKillTest, Promise.race([sinkA.somethingHeld(), delay(4_000).then(() => undefined)]));

    const count = 12;
    const recipients = Array.from({ length: count }, (_, i) => `kill-${i}@kill.test`);
    await withMailer(context, async (_tx, mailer) => {
      for (const [i, to] of recipients.entries()) {
        await mailer.send({ template: 'reset-password', to, locale: 'en', data: { name: `Teacher ${i}`, url: `${appUrl}/reset-password/t${i}` }, idempotencyKey: `kill:${i}` });
      }
    });

    await Promise.race([
      sinkA.somethingHeld(),
      delay(20_000).then(() => {
        throw new Error(`worker A never started sending:\n${workerA.output()}`);
      }),
    ]);
    const heldByA = [...new Set(sinkA.held.flatMap((m) => m.to))];
    workerA.child.kill('SIGKILL');
    expect((await workerA.exited).signal).toBe('SIGKILL');
    const killedAt = Date.now();
    log(`worker A killed while holding ${heldByA.length} message(s) in SMTP DATA (${secondsSince(started)} into the scenario)`);

    const rows = await poll(
      'every message sent after the kill',
      () => sql<{ to_address: string; message_id: string; status: string; attempts: number }[]>`
        select to_address, message_id, status, attempts from outbox_emails where to_address like '%@kill.test'`,
      (r) => r.length === count && r.every((x) => x.status === 'sent'),
      LEASE_SECONDS * 4_000 + 10_000,
    );
    log(`all ${count} messages sent ${secondsSince(killedAt)} after the kill (lease ${LEASE_SECONDS} s)`);

    const received = receivedById();
    const lost = rows.filter((r) => (received.get(r.message_id) ?? 0) === 0);
    const duplicates = rows.filter((r) => (received.get(r.message_id) ?? 0) > 1);
    // Delivery is at-least-once (docs/decisions/0002-email-outbox.md): a duplicate is allowed and reported, a loss is not.
    log(`lost: ${lost.length}, delivered more than once: ${duplicates.length}`);
    expect(lost).toEqual([]);
    expect(sinkA.received.filter((m) => m.to.some(isKillTest))).toEqual([]);
    // What A was holding went out through B, on a second attempt.
    for (const to of heldByA) {
      expect(sinkB.received.some((m) => m.to.includes(to)), to).toBe(true);
      expect(rows.find((r) => r.to_address === to)!.attempts).toBeGreaterThanOrEqual(2);
    }
    expect(heldByA.length).toBeGreaterThan(0);
    expect(workerB.child.exitCode).toBeNull();
  });

  it('lets a request that is still uploading finish with 200 after SIGTERM, says 503 on /healthz while draining, then closes and exits cleanly', async () => {
    const web2 = web[1]!;
    // A certificate PDF checked on /verify: a request with a body that can be sent slowly.
    const [certificate] = await sql<{ id: string; user_id: string; code: string }[]>`select id, user_id, code from certificates limit 1`;
    const holder = teachers.find((t) => t.id === certificate!.user_id)!;
    const download = await fetch(`${webUrls[0]}/certificates/${certificate!.id}.pdf`, { headers: { Cookie: holder.cookie } });
    expect(download.status).toBe(200);
    const pdf = Buffer.from(await download.arrayBuffer());
    const boundary = `----kollega${randomBytes(8).toString('hex')}`;
    const body = Buffer.concat([
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="pdf"; filename="certificate.pdf"\r\nContent-Type: application/pdf\r\n\r\n`),
      pdf,
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]);
    const socket = net.connect(Number(new URL(webUrls[1]).port), '127.0.0.1');
    await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
    let answer = '';
    socket.on('data', (chunk: Buffer) => (answer += chunk.toString('latin1')));
    const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
    socket.write(
      `POST /verify HTTP/1.1\r\nHost: ${new URL(appUrl).host}\r\nOrigin: ${appUrl}\r\nContent-Type: multipart/form-data; boundary=${boundary}\r\nContent-Length: ${body.length}\r\n\r\n`,
    );
    const half = Math.floor(body.length / 2);
    socket.write(body.subarray(0, half));
    await delay(300);

    const signalled = Date.now();
    web2.child.kill('SIGTERM');
    await delay(500);
    // During the shutdown delay the process still answers, and tells a balancer it is going.
    const health = await fetch(`${webUrls[1]}/healthz`);
    expect(health.status).toBe(503);
    expect(await health.json()).toEqual({ ok: false, draining: true });
    expect(health.headers.get('connection')).toBe('close');
    // The upload in flight completes and gets its answer.
    socket.write(body.subarray(half));
    await closed;
    expect(answer).toMatch(/^HTTP\/1\.1 200 /);
    expect(answer).toContain(`/verify/${certificate!.code}`);
    // After the delay the port is closed, and the process exits on its own.
    await delay(Math.max(0, SHUTDOWN_DELAY_SECONDS * 1000 + 500 - (Date.now() - signalled)));
    await expect(fetch(`${webUrls[1]}/healthz`, { signal: AbortSignal.timeout(3_000) })).rejects.toThrow();
    const exit = await web2.exited;
    log(`web2 drained and exited ${secondsSince(signalled)} after SIGTERM (shutdown delay ${SHUTDOWN_DELAY_SECONDS} s)`);
    expect(exit).toEqual({ code: 0, signal: null });
    // The other web process serves on.
    expect((await fetch(`${webUrls[0]}/healthz`)).status).toBe(200);
  });

  it('runs WEB_CONCURRENCY web processes under one cluster primary, replaces one that is killed and stops them all on SIGTERM', async () => {
    const started = Date.now();
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    const primary = startProcess('cluster', 'server/main.ts', {
      DATABASE_URL: databaseUrl(dbName),
      DATABASE_POOL_SIZE: '2',
      SESSION_SECRET: sessionSecret,
      APP_URL: appUrl,
      HOST: '127.0.0.1',
      PORT: String(port),
      DATA_DIR: dataDir,
      DEMO_MODE: 'false',
      RUN_WORKER: 'false',
      WEB_CONCURRENCY: '2',
    });
    await primary.waitForOutput(/listening on .* \(production, 2 web processes, PostgreSQL\)/, 90_000);
    const children = childPids(primary.child.pid!);
    expect(children.length).toBe(2);
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    log(`cluster of 2 web processes ready in ${secondsSince(started)}`);

    process.kill(children[0]!, 'SIGKILL');
    await primary.waitForOutput(new RegExp(`Web process ${children[0]} ended \\(SIGKILL\\).*replacing it`), 10_000);
    // The other web process answers meanwhile; the replacement joins it.
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    const replaced = await poll('a replacement web process', async () => childPids(primary.child.pid!), (pids) => pids.length === 2 && !pids.includes(children[0]!), 60_000);
    expect(replaced).toContain(children[1]);

    const exit = await primary.stop('SIGTERM');
    expect(exit).toEqual({ code: 0, signal: null });
    expect(replaced.filter((pid) => existsSync(`/proc/${pid}`) && !readFileSync(`/proc/${pid}/stat`, 'utf8').includes(') Z '))).toEqual([]);
    log(`cluster: replaced a killed web process and stopped in ${secondsSince(started)} all told`);
  });

  it('stops the remaining web process and worker gracefully on SIGTERM', async () => {
    const started = Date.now();
    const [web1] = web as [AppProcess];
    const workerB = workers[1]!;
    const [webExit, workerExit] = await Promise.all([web1.stop('SIGTERM'), workerB.stop('SIGTERM')]);
    log(`web1 and worker B stopped in ${secondsSince(started)}`);
    expect(webExit).toEqual({ code: 0, signal: null });
    expect(workerExit).toEqual({ code: 0, signal: null });
  });
});
