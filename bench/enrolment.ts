/**
 * `npm run bench:enrolment`: N distinct participants (default 2,000) enrol
 * in one offering of capacity C (default 500, waitlist on) over HTTP, as
 * fast as the server allows, against real PostgreSQL; then the invariant is
 * checked and the throughput compared with the raw seat-taking statement
 * measured in the same run on the same server.
 *
 * Creates a fresh database, starts the production server on it (job worker
 * off, as in bench:catalogue), makes the participants and signs them in by
 * writing sessions directly (a password hash per person would measure
 * scrypt, not enrolment). Every participant POSTs once to
 * /offerings/<slug>/enrolment with a same-origin Origin header, over
 * `BENCH_CONNECTIONS` keep-alive connections in a closed loop.
 *
 * The floor is the app's own seat-taking statement (enrolment.server.ts's
 * placeStatement: seat, enrolment row, outbox email, invitation, one
 * statement), run directly: its SQL text and parameters are captured from
 * one real `enrol` call through drizzle's query logger (so the floor follows
 * the module when it changes), then the same number of distinct new people
 * are placed with it in a fresh offering of the same capacity (waitlist on),
 * `BENCH_CONNECTIONS` callers over a pool of the server's size. The bare
 * `update offerings set seats_taken = seats_taken + 1 where id = $1 and
 * seats_taken < capacity` (the floor until 2026-11-22, decision 0006) and
 * GET /healthz are measured too, as references.
 *
 * Prints accepted, waitlisted, refused, errors, p50/p99, every rate and
 * ratio, and the invariant (enrolled = counter ≤ capacity, one row per
 * person, every waitlist number unique) of the HTTP offering and of the raw
 * one; exits non-zero when an invariant breaks or the server answered 5xx.
 * The last line is a one-line summary.
 *
 * Environment: TEST_DATABASE_URL / DATABASE_URL (the server to create the
 * database on), BENCH_PARTICIPANTS (2000), BENCH_CAPACITY (500),
 * BENCH_CONNECTIONS (16), BENCH_RAW_MS (5000), BENCH_SKIP_BUILD=1, BENCH_CPU_PROF=<dir>
 * (a V8 CPU profile of the server, written when it stops), WEB_CONCURRENCY
 * (handed to the server, which runs that many web processes where it
 * supports it; the report prints the value and how many processes the
 * server's process group held). Results also go to
 * bench/results/enrolment.json for `npm run bench`.
 * Not part of `npm test` (DESIGN.md §10).
 */
import http from 'node:http';
import { randomBytes } from 'node:crypto';
import { drizzle } from 'drizzle-orm/postgres-js';
import postgres from 'postgres';
import type { Database } from '#db/client';
import * as schema from '#db/schema';
import { cookies } from '~/modules/auth/cookies.server';
import { newToken } from '~/modules/auth/tokens.server';
import { loadConfig, type Config } from '~/modules/config/config.server';
import { SESSION_ABSOLUTE_TIMEOUT_MS } from '~/modules/auth/sessions.server';
import type { AppContext } from '~/modules/context.server';
import { messageIdFor } from '~/modules/email/outbox.server';
import { enrol, type EnrollingPerson } from '~/modules/enrolment/enrolment.server';
import { backendCpuBetween, backendCpuSeconds, createBenchDatabase, databaseUrlFor, dropBenchDatabase, serverVersion } from './lib/database';
import { runLoad } from './lib/load';
import { groupProcessCount } from './lib/cpu';
import { describeMachine } from './lib/machine';
import { ratioOf, writeResult } from './lib/results';
import { ensureBuild, startBenchServer, type BenchServer } from './lib/server';
import { summarise } from './lib/stats';

const PARTICIPANTS = Number(process.env.BENCH_PARTICIPANTS ?? 2_000);
const CAPACITY = Number(process.env.BENCH_CAPACITY ?? 500);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 16);
const RAW_MS = Number(process.env.BENCH_RAW_MS ?? 5_000);
/** Web processes the server is asked for (node:cluster); unset leaves the server's own default. */
const WEB_CONCURRENCY = process.env.WEB_CONCURRENCY?.trim() || null;
/** The server's pool (DATABASE_POOL_SIZE) and the raw statements' pool are the same size, so the comparison is fair. */
const POOL = 10;
const WARMUP = 300;
const RATIO_FLOOR = 0.25;
const DAY = 86_400_000;

const log = (line: string) => console.log(`[bench] ${line}`);

interface Person {
  id: string;
  email: string;
}

interface Seeded {
  offeringId: string;
  slug: string;
  warmupSlug: string;
  cookies: string[];
  warmupCookies: string[];
  /**
   * The raw phase, run once before and once after the HTTP one (so a change
   * in the shared machine's load shows in both): a fresh offering of the
   * same capacity and as many new people each time, and a warm-up.
   */
  rawRounds: { offeringId: string; people: Person[] }[];
  rawWarmupOfferingId: string;
  rawWarmupPeople: Person[];
  /** One person and an offering of one seat, to capture the placing statement with. */
  captureOfferingId: string;
  capturePerson: Person;
  /** The bare UPDATE's offering (no real capacity). */
  scratchId: string;
}

/** Participants (with sessions for the HTTP ones), the offerings they enrol in, warm-up offerings and the references' offerings. */
async function seed(sql: postgres.Sql, sessionCookie: (token: string) => Promise<string>): Promise<Seeded> {
  const now = Date.now();
  const batch = randomBytes(3).toString('hex');
  const httpTotal = PARTICIPANTS + WARMUP;
  const rawStart = httpTotal;
  const rawWarmupStart = rawStart + 2 * PARTICIPANTS;
  const total = rawWarmupStart + WARMUP + 1;
  const people: Person[] = [];
  for (let from = 0; from < total; from += 1_000) {
    const rows = Array.from({ length: Math.min(1_000, total - from) }, (_, i) => {
      const n = from + i;
      return {
        email: `bench-${batch}-${n}@bench.example`,
        email_verified_at: new Date(now),
        password_hash: 'not-a-real-hash',
        full_name: `Participant ${n}`,
        certificate_name: `Participant ${n}`,
        country: 'SE',
        school: 'Bench school',
        school_role: 'teacher',
      };
    });
    people.push(...(await sql<Person[]>`insert into users ${sql(rows)} returning id, email`));
  }
  const httpPeople = people.slice(0, httpTotal);
  const tokens = httpPeople.map(() => newToken());
  for (let from = 0; from < httpPeople.length; from += 1_000) {
    const rows = httpPeople.slice(from, from + 1_000).map((person, i) => ({
      token_hash: tokens[from + i]!.hash,
      user_id: person.id,
      created_at: new Date(now),
      last_seen_at: new Date(now),
      expires_at: new Date(now + SESSION_ABSOLUTE_TIMEOUT_MS),
      user_agent: 'kollega-bench',
      ip_address: '127.0.0.1',
    }));
    await sql`insert into sessions ${sql(rows)}`;
  }
  const offering = (slug: string, capacity: number) => ({
    slug,
    kind: 'mooc',
    title: `Bench course ${slug}`,
    language: 'en',
    organiser_time_zone: 'Europe/Stockholm',
    enrolment_opens_at: new Date(now - DAY),
    enrolment_closes_at: new Date(now + 10 * DAY),
    starts_at: new Date(now + 11 * DAY),
    ends_at: new Date(now + 40 * DAY),
    status: 'published',
    published_at: new Date(now),
    capacity,
    waitlist_enabled: true,
  });
  const warmupCapacity = Math.ceil(WARMUP / 2);
  const [main, warm, rawBefore, rawAfter, rawWarm, capture, scratch] = await sql<{ id: string; slug: string }[]>`
    insert into offerings ${sql([
      offering(`bench-${batch}`, CAPACITY),
      offering(`warmup-${batch}`, warmupCapacity),
      offering(`raw-before-${batch}`, CAPACITY),
      offering(`raw-after-${batch}`, CAPACITY),
      offering(`raw-warmup-${batch}`, warmupCapacity),
      offering(`capture-${batch}`, 1),
      offering(`scratch-${batch}`, 2_000_000_000),
    ])}
    returning id, slug`;
  await sql`analyze`;
  const all = await Promise.all(tokens.map((t) => sessionCookie(t.token)));
  return {
    offeringId: main!.id,
    slug: main!.slug,
    warmupSlug: warm!.slug,
    cookies: all.slice(0, PARTICIPANTS),
    warmupCookies: all.slice(PARTICIPANTS),
    rawRounds: [
      { offeringId: rawBefore!.id, people: people.slice(rawStart, rawStart + PARTICIPANTS) },
      { offeringId: rawAfter!.id, people: people.slice(rawStart + PARTICIPANTS, rawWarmupStart) },
    ],
    rawWarmupOfferingId: rawWarm!.id,
    rawWarmupPeople: people.slice(rawWarmupStart, rawWarmupStart + WARMUP),
    captureOfferingId: capture!.id,
    capturePerson: people[rawWarmupStart + WARMUP]!,
    scratchId: scratch!.id,
  };
}

interface HttpRun {
  seconds: number;
  latencies: number[];
  statuses: Map<number, number>;
  firstError: string | null;
}

/** Every cookie POSTs once, `connections` at a time, each connection sending its next request as soon as the last answer ended. */
async function enrolOverHttp(baseUrl: string, slug: string, sessionCookies: string[], connections: number): Promise<HttpRun> {
  const target = new URL(baseUrl);
  const agent = new http.Agent({ keepAlive: true, maxSockets: connections, maxFreeSockets: connections });
  const body = 'intent=enrol';
  const path = `/offerings/${encodeURIComponent(slug)}/enrolment`;
  const latencies: number[] = [];
  const statuses = new Map<number, number>();
  let firstError: string | null = null;
  let next = 0;
  const once = (cookie: string) =>
    new Promise<void>((resolve) => {
      const sent = process.hrtime.bigint();
      const request = http.request(
        {
          host: target.hostname,
          port: target.port,
          path,
          method: 'POST',
          agent,
          headers: {
            'content-type': 'application/x-www-form-urlencoded',
            'content-length': Buffer.byteLength(body),
            origin: baseUrl,
            cookie,
            'user-agent': 'kollega-bench',
          },
        },
        (response) => {
          response.resume();
          response.on('end', () => {
            latencies.push(Number(process.hrtime.bigint() - sent) / 1e6);
            const status = response.statusCode ?? 0;
            statuses.set(status, (statuses.get(status) ?? 0) + 1);
            if (status !== 302) firstError ??= `HTTP ${status}`;
            resolve();
          });
        },
      );
      request.on('error', (error) => {
        statuses.set(0, (statuses.get(0) ?? 0) + 1);
        firstError ??= String(error);
        resolve();
      });
      request.end(body);
    });
  const started = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: connections }, async () => {
      while (next < sessionCookies.length) await once(sessionCookies[next++]!);
    }),
  );
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  agent.destroy();
  return { seconds, latencies, statuses, firstError };
}

/** The app's placing statement as the server sends it, ready to run for anyone. */
interface PlacingStatement {
  text: string;
  parameterCount: number;
  /** The captured parameters with the offering, the person, the time and the email's idempotency key (and message id) swapped for theirs. */
  parametersFor(offeringId: string, person: Person, now: Date): unknown[];
}

/**
 * Runs the module's own `enrol` once (a seat in an offering of one, the
 * confirmation email queued) on a drizzle handle made like the server's,
 * with a query logger, and keeps the statement that takes the seat: its
 * text and parameters, and which parameters belong to the person. The
 * placing statement is private to enrolment.server.ts, and copying its SQL
 * here would drift from it; capturing it cannot. Throws when the statement
 * or its parameters no longer look as expected, rather than measure
 * something else.
 */
async function capturePlacingStatement(url: string, config: Config, offeringId: string, who: Person): Promise<PlacingStatement> {
  const seen: { text: string; params: unknown[] }[] = [];
  const client = postgres(url, { max: 1, onnotice: () => {} });
  try {
    const db = drizzle(client, { schema, casing: 'snake_case', logger: { logQuery: (text, params) => seen.push({ text, params }) } }) as unknown as Database;
    const context: AppContext = {
      db,
      config,
      // The server hands the queued email to pg-boss after the statement; that is not part of the statement.
      jobs: { send: () => Promise.resolve(null), insert: () => Promise.resolve() },
      pingDatabase: () => Promise.resolve(),
      rawQuery: () => Promise.reject(new Error('not used by enrol')),
    };
    const person: EnrollingPerson = {
      id: who.id,
      email: who.email,
      fullName: 'Capture Participant',
      locale: 'en',
      timeZone: 'UTC',
      emailVerified: true,
      staffStatus: 'none',
    };
    const now = new Date();
    const outcome = await enrol(context, { offering: { offeringId }, person }, now);
    if (!outcome.ok || outcome.status !== 'enrolled') throw new Error(`capturing the placing statement: enrol answered ${JSON.stringify(outcome)}`);
    const placing = seen.filter((q) => /update offerings set seats_taken/i.test(q.text) && /insert into enrolments/i.test(q.text));
    if (placing.length !== 1) throw new Error(`capturing the placing statement: ${placing.length} statements took a seat (${seen.length} sent)`);
    const { text, params } = placing[0]!;
    const at = now.toISOString();
    const stamp = String(now.getTime());
    const mailKey = params.find((v): v is string => typeof v === 'string' && v !== who.id && v.includes(who.id) && v.includes(offeringId));
    if (!mailKey) throw new Error('capturing the placing statement: no idempotency key with the person and the offering in it');
    const messageId = messageIdFor(mailKey, config.appUrl);
    type Fill = (offering: string, person: Person, at: string, key: string) => unknown;
    const fills: Fill[] = params.map((value): Fill => {
      if (value === offeringId) return (offering) => offering;
      if (value === who.id) return (_, person) => person.id;
      if (value === who.email) return (_, person) => person.email;
      if (value === at) return (_, __, time) => time;
      if (value === mailKey) return (_, __, ___, key) => key;
      if (value === messageId) return (_, __, ___, key) => messageIdFor(key, config.appUrl);
      return () => value;
    });
    for (const [what, value] of [
      ['offering', offeringId],
      ['person', who.id],
      ['time', at],
      ['message id', messageId],
    ] as const) {
      if (!params.includes(value)) throw new Error(`capturing the placing statement: no ${what} among its parameters`);
    }
    return {
      text,
      parameterCount: params.length,
      parametersFor(offering, person, time) {
        const key = mailKey.replace(offeringId, offering).replace(who.id, person.id).replace(stamp, String(time.getTime()));
        return fills.map((fill) => fill(offering, person, time.toISOString(), key));
      },
    };
  } finally {
    await client.end({ timeout: 5 });
  }
}

interface RawRun {
  seconds: number;
  latencies: number[];
  perSecond: number;
  errors: number;
  firstError: string | null;
}

/** Places every person once with the captured statement, autocommitted, `connections` callers at a time over the pool. */
async function placeDirectly(sql: postgres.Sql, statement: PlacingStatement, offeringId: string, people: Person[], connections: number): Promise<RawRun> {
  const latencies: number[] = [];
  let errors = 0;
  let firstError: string | null = null;
  let next = 0;
  const started = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: connections }, async () => {
      while (next < people.length) {
        const person = people[next++]!;
        const sent = process.hrtime.bigint();
        try {
          await sql.unsafe(statement.text, statement.parametersFor(offeringId, person, new Date()) as postgres.ParameterOrJSON<never>[], { prepare: true });
        } catch (error) {
          errors++;
          firstError ??= String(error);
        }
        latencies.push(Number(process.hrtime.bigint() - sent) / 1e6);
      }
    }),
  );
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return { seconds, latencies, perSecond: people.length / seconds, errors, firstError };
}

/** The bare seat-taking UPDATE alone (the old floor), autocommitted, `connections` at a time over the pool, for a fixed time. */
async function bareUpdate(sql: postgres.Sql, offeringId: string, durationMs: number, connections: number) {
  const statement = 'update offerings set seats_taken = seats_taken + 1 where id = $1 and seats_taken < capacity';
  let count = 0;
  const started = process.hrtime.bigint();
  const deadline = started + BigInt(durationMs) * 1_000_000n;
  await Promise.all(
    Array.from({ length: connections }, async () => {
      while (process.hrtime.bigint() < deadline) {
        await sql.unsafe(statement, [offeringId], { prepare: true });
        count++;
      }
    }),
  );
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return { count, seconds, perSecond: count / seconds };
}

interface Invariant {
  ok: boolean;
  enrolled: number;
  waitlisted: number;
  counter: number;
  capacity: number;
  rows: number;
  people: number;
  waitlistNumbers: number;
  /** Confirmation emails queued for the offering's enrolled people (the placing statement writes one per seat). */
  emails: number;
  problems: string[];
}

async function checkInvariant(sql: postgres.Sql, offeringId: string): Promise<Invariant> {
  const [row] = await sql<{ counter: number; capacity: number; enrolled: number; waitlisted: number; rows: number; people: number; numbers: number; missing: number; emails: number }[]>`
    select o.seats_taken as counter, o.capacity,
      (select count(*)::int from enrolments e where e.offering_id = o.id and e.status in ('enrolled', 'completed')) as enrolled,
      (select count(*)::int from enrolments e where e.offering_id = o.id and e.status = 'waitlisted') as waitlisted,
      (select count(*)::int from enrolments e where e.offering_id = o.id) as rows,
      (select count(distinct e.user_id)::int from enrolments e where e.offering_id = o.id) as people,
      (select count(distinct e.waitlist_seq)::int from enrolments e where e.offering_id = o.id and e.status = 'waitlisted') as numbers,
      (select count(*)::int from enrolments e where e.offering_id = o.id and e.status = 'waitlisted' and e.waitlist_seq is null) as missing,
      (select count(*)::int from outbox_emails m join users u on u.email = m.to_address
        join enrolments e on e.user_id = u.id and e.offering_id = o.id and e.status = 'enrolled'
        where m.template = 'enrolment-confirmed') as emails
    from offerings o where o.id = ${offeringId}`;
  const r = row!;
  const problems: string[] = [];
  if (r.enrolled !== r.counter) problems.push(`enrolled ${r.enrolled} ≠ counter ${r.counter}`);
  if (r.counter > r.capacity) problems.push(`counter ${r.counter} > capacity ${r.capacity}`);
  if (r.people !== r.rows) problems.push(`${r.rows - r.people} duplicate rows`);
  if (r.numbers !== r.waitlisted || r.missing > 0) problems.push(`waitlist numbers: ${r.numbers} distinct for ${r.waitlisted} waiting, ${r.missing} missing`);
  if (r.emails !== r.enrolled) problems.push(`${r.emails} confirmation emails for ${r.enrolled} enrolled`);
  return {
    ok: problems.length === 0,
    enrolled: r.enrolled,
    waitlisted: r.waitlisted,
    counter: r.counter,
    capacity: r.capacity,
    rows: r.rows,
    people: r.people,
    waitlistNumbers: r.numbers,
    emails: r.emails,
    problems,
  };
}

/** CPU seconds a phase cost: the server's processes, the database's backends (pool and pg-boss), and this process (the client). */
interface Cpu {
  server: number | null;
  database: number | null;
  client: number;
}

async function measuringCpu<T>(server: BenchServer, database: string, work: () => Promise<T>): Promise<[T, Cpu]> {
  const serverBefore = server.cpuSeconds();
  const databaseBefore = await backendCpuSeconds(database);
  const clientBefore = process.cpuUsage();
  const result = await work();
  const client = process.cpuUsage(clientBefore);
  const serverAfter = server.cpuSeconds();
  const databaseAfter = await backendCpuSeconds(database);
  return [
    result,
    {
      server: serverBefore === null || serverAfter === null ? null : serverAfter - serverBefore,
      database: backendCpuBetween(databaseBefore, databaseAfter),
      client: (client.user + client.system) / 1e6,
    },
  ];
}

/** CPU milliseconds per enrolment, by process, and their sum: what a request costs whatever else the shared machine runs. */
function describeCpu(cpus: Cpu[], count: number, withServer: boolean): string {
  const sum = (pick: (c: Cpu) => number | null) => cpus.reduce<number | null>((total, c) => (total === null || pick(c) === null ? null : total + pick(c)!), 0);
  const ms = (seconds: number | null) => (seconds === null ? 'n/a' : `${((seconds * 1000) / count).toFixed(2)} ms`);
  const server = withServer ? sum((c) => c.server) : 0;
  const database = sum((c) => c.database);
  const client = sum((c) => c.client)!;
  const total = server === null || database === null ? null : server + database + client;
  return `${withServer ? `server ${ms(server)} + ` : ''}postgres ${ms(database)} + bench client ${ms(client)} = ${ms(total)}`;
}

function describeInvariant(invariant: Invariant): string {
  return (
    `${invariant.ok ? 'OK' : 'BROKEN'}: enrolled ${invariant.enrolled} = counter ${invariant.counter} ≤ capacity ${invariant.capacity}, ` +
    `${invariant.rows} rows for ${invariant.people} people, ${invariant.waitlistNumbers} waitlist numbers for ${invariant.waitlisted} waiting, ` +
    `${invariant.emails} confirmation emails` +
    (invariant.problems.length ? ` — ${invariant.problems.join('; ')}` : '')
  );
}

async function main() {
  ensureBuild(log);
  const startedAt = new Date();
  const database = await createBenchDatabase();
  let server: BenchServer | null = null;
  let sql: postgres.Sql | null = null;
  const cleanUp = async () => {
    await sql?.end({ timeout: 5 }).catch(() => {});
    sql = null;
    await server?.stop().catch((error: unknown) => log(`could not stop the server: ${String(error)}`));
    server = null;
    await dropBenchDatabase(database).catch((error: unknown) => log(`could not drop ${database}: ${String(error)}`));
  };
  const interrupted = () => {
    log('interrupted: cleaning up');
    void cleanUp().then(() => process.exit(130));
  };
  process.once('SIGINT', interrupted);
  process.once('SIGTERM', interrupted);

  try {
    const url = databaseUrlFor(database);
    const secret = randomBytes(32).toString('base64url');
    const profileDir = process.env.BENCH_CPU_PROF;
    server = await startBenchServer(url, {
      env: { SESSION_SECRET: secret, DATABASE_POOL_SIZE: String(POOL), ...(WEB_CONCURRENCY ? { WEB_CONCURRENCY } : {}) },
      nodeArgs: profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : undefined,
    });
    const config = loadConfig({ NODE_ENV: 'production', SESSION_SECRET: secret, DATABASE_URL: url, APP_URL: server.baseUrl });
    const sessionCookie = async (token: string) => (await cookies(config).session.serialize(token)).split(';')[0]!;
    sql = postgres(url, { max: POOL, onnotice: () => {} });
    log(`server up at ${server.baseUrl}; making ${PARTICIPANTS} participants for HTTP and ${PARTICIPANTS} for the raw statement (+${WARMUP} each for warm-ups)`);
    const seeded = await seed(sql, sessionCookie);
    const placing = await capturePlacingStatement(url, config, seeded.captureOfferingId, seeded.capturePerson);
    log(`captured the placing statement from enrol: ${placing.text.length} characters, ${placing.parameterCount} parameters`);

    log(`warming up: ${WARMUP} enrolments over HTTP and ${WARMUP} placed directly, in other offerings`);
    const warm = await enrolOverHttp(server.baseUrl, seeded.warmupSlug, seeded.warmupCookies, CONNECTIONS);
    if (warm.firstError) throw new Error(`warm-up failed: ${warm.firstError}\n${server.output()}`);
    const rawWarm = await placeDirectly(sql, placing, seeded.rawWarmupOfferingId, seeded.rawWarmupPeople, CONNECTIONS);
    if (rawWarm.firstError) throw new Error(`raw warm-up failed: ${rawWarm.firstError}`);
    await bareUpdate(sql, seeded.scratchId, 1_000, CONNECTIONS);

    const [before, after] = seeded.rawRounds as [Seeded['rawRounds'][number], Seeded['rawRounds'][number]];
    const placeRound = (round: typeof before, when: string) => {
      log(`measuring the placing statement (${when}): ${PARTICIPANTS} other people in a fresh offering of capacity ${CAPACITY}, ${CONNECTIONS} callers on a pool of ${POOL}`);
      return measuringCpu(server!, database, () => placeDirectly(sql!, placing, round.offeringId, round.people, CONNECTIONS));
    };
    const [rawBefore, rawBeforeCpu] = await placeRound(before, 'before HTTP');
    log(`measuring: ${PARTICIPANTS} participants enrol in one offering of capacity ${CAPACITY} over ${CONNECTIONS} connections`);
    const baseUrl = server.baseUrl;
    const [run, httpCpu] = await measuringCpu(server, database, () => enrolOverHttp(baseUrl, seeded.slug, seeded.cookies, CONNECTIONS));
    const [rawAfter, rawAfterCpu] = await placeRound(after, 'after HTTP');
    // The floor: both rounds together (people placed over the seconds they took).
    const raw = {
      seconds: rawBefore.seconds + rawAfter.seconds,
      perSecond: (2 * PARTICIPANTS) / (rawBefore.seconds + rawAfter.seconds),
      latencies: [...rawBefore.latencies, ...rawAfter.latencies],
      errors: rawBefore.errors + rawAfter.errors,
      firstError: rawBefore.firstError ?? rawAfter.firstError,
    };
    log(`references: the bare seat UPDATE for ${RAW_MS} ms, GET /healthz for 2 s`);
    const bare = await bareUpdate(sql, seeded.scratchId, RAW_MS, CONNECTIONS);
    // The cheapest route of the same server (one query): what HTTP alone costs here.
    const healthz = await runLoad(`${server.baseUrl}/healthz`, { connections: CONNECTIONS, durationMs: 2_000 });

    const invariant = await checkInvariant(sql, seeded.offeringId);
    const rawInvariants = [await checkInvariant(sql, before.offeringId), await checkInvariant(sql, after.offeringId)];
    const latency = summarise(run.latencies);
    const rawLatency = summarise(raw.latencies);
    const serverErrors = [...run.statuses].filter(([status]) => status >= 500 || status === 0).reduce((sum, [, n]) => sum + n, 0);
    const otherAnswers = [...run.statuses].filter(([status]) => status !== 302 && status < 500 && status !== 0).reduce((sum, [, n]) => sum + n, 0);
    // A 302 is also how a refusal answers (with its message): people with no row at all were refused.
    const refused = PARTICIPANTS - invariant.rows;
    const rawRefused = rawInvariants.map((r) => PARTICIPANTS - r.rows);
    const httpRate = run.latencies.length / run.seconds;
    const ratio = httpRate / raw.perSecond;
    const rate = (n: number) => `${n.toFixed(0)}/s`;
    const both = (pick: (r: Invariant) => number) => rawInvariants.map(pick).join(' / ');

    const serverProcesses = server.child.pid === undefined ? null : groupProcessCount(server.child.pid);
    console.log('');
    const machine = describeMachine({ database: await serverVersion(), connections: String(CONNECTIONS), pool: String(POOL) });
    console.log(machine);
    console.log(
      `web processes     WEB_CONCURRENCY ${WEB_CONCURRENCY ?? 'unset (the server\'s default)'}, a database pool of ${POOL} in each (the placing statement's floor keeps one pool of ${POOL}); the server's process group held ${serverProcesses ?? 'n/a'} processes (tsx and node for one web process; with WEB_CONCURRENCY > 1, tsx, the cluster primary and one per web process)`,
    );
    console.log(`participants      ${PARTICIPANTS} over HTTP; raw: ${PARTICIPANTS} other people before it / ${PARTICIPANTS} after it, placed directly`);
    console.log(`capacity          ${CAPACITY} each offering (waitlist on)`);
    console.log(`accepted          ${invariant.enrolled} (raw ${both((r) => r.enrolled)})`);
    console.log(`waitlisted        ${invariant.waitlisted} (raw ${both((r) => r.waitlisted)})`);
    console.log(`refused           ${refused} (raw ${rawRefused.join(' / ')})`);
    console.log(
      `errors            ${serverErrors} (5xx or failed), ${otherAnswers} other non-302${run.firstError ? `; first: ${run.firstError}` : ''}; ` +
        `raw ${raw.errors}${raw.firstError ? ` (first: ${raw.firstError})` : ''}`,
    );
    console.log(`latency           p50 ${latency.p50.toFixed(2)} ms, p99 ${latency.p99.toFixed(2)} ms, max ${latency.max.toFixed(2)} ms`);
    console.log(`raw latency       p50 ${rawLatency.p50.toFixed(2)} ms, p99 ${rawLatency.p99.toFixed(2)} ms, max ${rawLatency.max.toFixed(2)} ms`);
    console.log(`http enrolments   ${rate(httpRate)} (${run.latencies.length} in ${run.seconds.toFixed(2)} s)`);
    console.log(
      `raw statement     ${rate(raw.perSecond)} — the floor: the placing statement, ${2 * PARTICIPANTS} in ${raw.seconds.toFixed(2)} s ` +
        `(before HTTP ${rate(PARTICIPANTS / rawBefore.seconds)}, after ${rate(PARTICIPANTS / rawAfter.seconds)})`,
    );
    console.log(`bare UPDATE       ${rate(bare.perSecond)} — the old floor, reference (${bare.count} in ${bare.seconds.toFixed(2)} s)`);
    console.log(`GET /healthz      ${rate(healthz.requestsPerSecond)} — the HTTP stack alone, reference`);
    console.log(
      `ratios            http/raw ${ratio.toFixed(3)}, http/bare ${(httpRate / bare.perSecond).toFixed(3)}, http/healthz ${(httpRate / healthz.requestsPerSecond).toFixed(2)}, ` +
        `raw/bare ${(raw.perSecond / bare.perSecond).toFixed(2)}, healthz/raw ${(healthz.requestsPerSecond / raw.perSecond).toFixed(2)}`,
    );
    console.log(`cpu per enrolment http: ${describeCpu([httpCpu], PARTICIPANTS, true)}`);
    console.log(`                  raw:  ${describeCpu([rawBeforeCpu, rawAfterCpu], 2 * PARTICIPANTS, false)}`);
    console.log(`invariant http    ${describeInvariant(invariant)}`);
    rawInvariants.forEach((r, i) => console.log(`invariant raw ${i === 0 ? 'bf' : 'af'} ${describeInvariant(r)}`));
    const rawHeld = rawInvariants.every((r) => r.ok);
    const held = invariant.ok && rawHeld;
    const met = held && serverErrors === 0 && refused === 0 && raw.errors === 0 && rawRefused.every((n) => n === 0) && ratio >= RATIO_FLOOR;
    console.log(met ? 'aims met' : 'aims NOT met');
    if (!held || serverErrors > 0 || raw.errors > 0) process.exitCode = 1;
    const summary =
      `enrolment invariant ${held ? 'OK' : 'BROKEN'} (http ${invariant.ok ? 'OK' : 'BROKEN'}, raw ${rawHeld ? 'OK' : 'BROKEN'})` +
      `${serverErrors > 0 ? `, ${serverErrors} server errors` : ''}${raw.errors > 0 ? `, ${raw.errors} raw errors` : ''}, ` +
      `http/raw ratio ${ratio.toFixed(3)} (aim ≥ ${RATIO_FLOOR}: ${rate(httpRate)} vs the placing statement's ${rate(raw.perSecond)}; ` +
      `vs the bare UPDATE ${(httpRate / bare.perSecond).toFixed(3)})`;
    const problems = invariant.problems.length + rawInvariants.reduce((sum, r) => sum + r.problems.length, 0);
    writeResult({
      bench: 'enrolment',
      title: 'Enrolment rush: `npm run bench:enrolment`',
      command: `flock /tmp/kollega-bench.lock ${WEB_CONCURRENCY ? `env WEB_CONCURRENCY=${WEB_CONCURRENCY} ` : ''}npm run bench:enrolment`,
      settings: {
        BENCH_PARTICIPANTS: PARTICIPANTS,
        BENCH_CAPACITY: CAPACITY,
        BENCH_CONNECTIONS: CONNECTIONS,
        pool: POOL,
        BENCH_RAW_MS: RAW_MS,
        WEB_CONCURRENCY: WEB_CONCURRENCY ?? 'unset',
        'server processes (tsx, node and any forked web processes)': serverProcesses ?? 'n/a',
      },
      startedAt: startedAt.toISOString(),
      finishedAt: new Date().toISOString(),
      machine,
      figures: [
        {
          name: `HTTP enrolments/s (${PARTICIPANTS} people, capacity ${CAPACITY}, waitlist on)`,
          value: Number(httpRate.toFixed(1)),
          unit: 'enrolments/s',
          floor: { name: "the app's placing statement run directly (decision 0006)", value: Number(raw.perSecond.toFixed(1)) },
          ratio: ratioOf(httpRate, raw.perSecond),
          aim: `ratio ≥ ${RATIO_FLOOR}`,
          met: ratio >= RATIO_FLOOR,
        },
        {
          name: 'HTTP enrolments/s against the bare seat UPDATE (reference, the old floor)',
          value: Number(httpRate.toFixed(1)),
          unit: 'enrolments/s',
          floor: { name: 'bare seat UPDATE', value: Number(bare.perSecond.toFixed(1)) },
          ratio: ratioOf(httpRate, bare.perSecond),
        },
        {
          name: 'HTTP enrolments/s against GET /healthz (reference, the HTTP stack alone)',
          value: Number(httpRate.toFixed(1)),
          unit: 'enrolments/s',
          floor: { name: 'GET /healthz', value: Number(healthz.requestsPerSecond.toFixed(1)) },
          ratio: ratioOf(httpRate, healthz.requestsPerSecond),
        },
        { name: 'invariant problems (overbooking, duplicate rows, waitlist numbers, emails), HTTP and raw', value: problems, unit: 'problems', aim: '= 0', met: held },
        { name: 'server errors (5xx or failed requests)', value: serverErrors, unit: 'requests', aim: '= 0', met: serverErrors === 0 },
      ],
      notes: [
        `Accepted ${invariant.enrolled}, waitlisted ${invariant.waitlisted}, refused ${refused}; HTTP latency p50 ${latency.p50.toFixed(1)} ms, p99 ${latency.p99.toFixed(1)} ms; placing statement p50 ${rawLatency.p50.toFixed(1)} ms, p99 ${rawLatency.p99.toFixed(1)} ms.`,
        `Placing statement before the HTTP phase ${rate(PARTICIPANTS / rawBefore.seconds)}, after ${rate(PARTICIPANTS / rawAfter.seconds)}.`,
        `CPU per enrolment: HTTP ${describeCpu([httpCpu], PARTICIPANTS, true)}; placing statement ${describeCpu([rawBeforeCpu, rawAfterCpu], 2 * PARTICIPANTS, false)}.`,
        `WEB_CONCURRENCY ${WEB_CONCURRENCY ?? 'unset'}; the server's process group held ${serverProcesses ?? 'n/a'} processes.`,
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
