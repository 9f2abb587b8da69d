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
 * `BENCH_CONNECTIONS` keep-alive connections in a closed loop. Then
 * `update offerings set seats_taken = seats_taken + 1 where id = $1 and
 * seats_taken < capacity` runs on a scratch offering over a pool of the same
 * size for `BENCH_RAW_MS`.
 *
 * Prints accepted, waitlisted, refused, errors, p50/p99, both rates and the
 * invariant (enrolled = counter ≤ capacity, one row per person, every
 * waitlist number unique); exits non-zero when the invariant breaks or the
 * server answered 5xx. The last line is a one-line summary.
 *
 * Environment: TEST_DATABASE_URL / DATABASE_URL (the server to create the
 * database on), BENCH_PARTICIPANTS (2000), BENCH_CAPACITY (500),
 * BENCH_CONNECTIONS (16), BENCH_RAW_MS (5000), BENCH_SKIP_BUILD=1, BENCH_CPU_PROF=<dir>
 * (a V8 CPU profile of the server, written when it stops).
 * Not part of `npm test` (DESIGN.md §10).
 */
import http from 'node:http';
import { randomBytes } from 'node:crypto';
import postgres from 'postgres';
import { cookies } from '~/modules/auth/cookies.server';
import { newToken } from '~/modules/auth/tokens.server';
import { loadConfig } from '~/modules/config/config.server';
import { SESSION_ABSOLUTE_TIMEOUT_MS } from '~/modules/auth/sessions.server';
import { createBenchDatabase, databaseUrlFor, dropBenchDatabase, serverVersion } from './lib/database';
import { runLoad } from './lib/load';
import { describeMachine } from './lib/machine';
import { ensureBuild, startBenchServer, type BenchServer } from './lib/server';
import { summarise } from './lib/stats';

const PARTICIPANTS = Number(process.env.BENCH_PARTICIPANTS ?? 2_000);
const CAPACITY = Number(process.env.BENCH_CAPACITY ?? 500);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 16);
const RAW_MS = Number(process.env.BENCH_RAW_MS ?? 5_000);
/** The server's pool (DATABASE_POOL_SIZE) and the raw statement's pool are the same size, so the comparison is fair. */
const POOL = 10;
const WARMUP = 300;
const RATIO_FLOOR = 0.25;
const DAY = 86_400_000;

const log = (line: string) => console.log(`[bench] ${line}`);

interface Seeded {
  offeringId: string;
  slug: string;
  warmupSlug: string;
  scratchId: string;
  cookies: string[];
  warmupCookies: string[];
}

/** Participants, their sessions, the offering they enrol in, a warm-up offering and a scratch offering for the raw statement. */
async function seed(sql: postgres.Sql, sessionCookie: (token: string) => Promise<string>): Promise<Seeded> {
  const now = Date.now();
  const batch = randomBytes(3).toString('hex');
  const total = PARTICIPANTS + WARMUP;
  const ids: string[] = [];
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
    const inserted = await sql<{ id: string }[]>`insert into users ${sql(rows)} returning id`;
    ids.push(...inserted.map((r) => r.id));
  }
  const tokens = ids.map(() => newToken());
  for (let from = 0; from < ids.length; from += 1_000) {
    const rows = ids.slice(from, from + 1_000).map((userId, i) => ({
      token_hash: tokens[from + i]!.hash,
      user_id: userId,
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
  const [main, warm, scratch] = await sql<{ id: string; slug: string }[]>`
    insert into offerings ${sql([offering(`bench-${batch}`, CAPACITY), offering(`warmup-${batch}`, Math.ceil(WARMUP / 2)), offering(`scratch-${batch}`, 2_000_000_000)])}
    returning id, slug`;
  await sql`analyze`;
  const all = await Promise.all(tokens.map((t) => sessionCookie(t.token)));
  return {
    offeringId: main!.id,
    slug: main!.slug,
    warmupSlug: warm!.slug,
    scratchId: scratch!.id,
    cookies: all.slice(0, PARTICIPANTS),
    warmupCookies: all.slice(PARTICIPANTS),
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

/** The seat-taking statement alone, autocommitted, `connections` at a time over a pool of POOL, for a fixed time. */
async function rawStatement(sql: postgres.Sql, offeringId: string, durationMs: number, connections: number) {
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
  problems: string[];
}

async function checkInvariant(sql: postgres.Sql, offeringId: string): Promise<Invariant> {
  const [row] = await sql<{ counter: number; capacity: number; enrolled: number; waitlisted: number; rows: number; people: number; numbers: number; missing: number }[]>`
    select o.seats_taken as counter, o.capacity,
      (select count(*)::int from enrolments e where e.offering_id = o.id and e.status in ('enrolled', 'completed')) as enrolled,
      (select count(*)::int from enrolments e where e.offering_id = o.id and e.status = 'waitlisted') as waitlisted,
      (select count(*)::int from enrolments e where e.offering_id = o.id) as rows,
      (select count(distinct e.user_id)::int from enrolments e where e.offering_id = o.id) as people,
      (select count(distinct e.waitlist_seq)::int from enrolments e where e.offering_id = o.id and e.status = 'waitlisted') as numbers,
      (select count(*)::int from enrolments e where e.offering_id = o.id and e.status = 'waitlisted' and e.waitlist_seq is null) as missing
    from offerings o where o.id = ${offeringId}`;
  const r = row!;
  const problems: string[] = [];
  if (r.enrolled !== r.counter) problems.push(`enrolled ${r.enrolled} ≠ counter ${r.counter}`);
  if (r.counter > r.capacity) problems.push(`counter ${r.counter} > capacity ${r.capacity}`);
  if (r.people !== r.rows) problems.push(`${r.rows - r.people} duplicate rows`);
  if (r.numbers !== r.waitlisted || r.missing > 0) problems.push(`waitlist numbers: ${r.numbers} distinct for ${r.waitlisted} waiting, ${r.missing} missing`);
  return {
    ok: problems.length === 0,
    enrolled: r.enrolled,
    waitlisted: r.waitlisted,
    counter: r.counter,
    capacity: r.capacity,
    rows: r.rows,
    people: r.people,
    waitlistNumbers: r.numbers,
    problems,
  };
}

async function main() {
  ensureBuild(log);
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
      env: { SESSION_SECRET: secret, DATABASE_POOL_SIZE: String(POOL) },
      nodeArgs: profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : undefined,
    });
    const config = loadConfig({ NODE_ENV: 'production', SESSION_SECRET: secret, DATABASE_URL: url, APP_URL: server.baseUrl });
    const sessionCookie = async (token: string) => (await cookies(config).session.serialize(token)).split(';')[0]!;
    sql = postgres(url, { max: POOL, onnotice: () => {} });
    log(`server up at ${server.baseUrl}; making ${PARTICIPANTS} participants (+${WARMUP} for the warm-up) with sessions`);
    const seeded = await seed(sql, sessionCookie);

    log(`warming up: ${WARMUP} enrolments in another offering`);
    const warm = await enrolOverHttp(server.baseUrl, seeded.warmupSlug, seeded.warmupCookies, CONNECTIONS);
    if (warm.firstError) throw new Error(`warm-up failed: ${warm.firstError}\n${server.output()}`);
    await rawStatement(sql, seeded.scratchId, 1_000, CONNECTIONS);

    log(`measuring: ${PARTICIPANTS} participants enrol in one offering of capacity ${CAPACITY} over ${CONNECTIONS} connections`);
    const run = await enrolOverHttp(server.baseUrl, seeded.slug, seeded.cookies, CONNECTIONS);
    log(`measuring the raw statement for ${RAW_MS} ms over ${CONNECTIONS} callers on a pool of ${POOL}`);
    const raw = await rawStatement(sql, seeded.scratchId, RAW_MS, CONNECTIONS);
    // For reference only: the cheapest route of the same server (one query), to show what HTTP alone costs here.
    const healthz = await runLoad(`${server.baseUrl}/healthz`, { connections: CONNECTIONS, durationMs: 2_000 });

    const invariant = await checkInvariant(sql, seeded.offeringId);
    const latency = summarise(run.latencies);
    const serverErrors = [...run.statuses].filter(([status]) => status >= 500 || status === 0).reduce((sum, [, n]) => sum + n, 0);
    const otherAnswers = [...run.statuses].filter(([status]) => status !== 302 && status < 500 && status !== 0).reduce((sum, [, n]) => sum + n, 0);
    // A 302 is also how a refusal answers (with its message): people with no row at all were refused.
    const refused = PARTICIPANTS - invariant.rows;
    const httpRate = run.latencies.length / run.seconds;
    const ratio = httpRate / raw.perSecond;

    console.log('');
    console.log(describeMachine({ database: await serverVersion(), connections: String(CONNECTIONS), pool: String(POOL) }));
    console.log(`participants      ${PARTICIPANTS}`);
    console.log(`capacity          ${CAPACITY} (waitlist on)`);
    console.log(`accepted          ${invariant.enrolled}`);
    console.log(`waitlisted        ${invariant.waitlisted}`);
    console.log(`refused           ${refused}`);
    console.log(`errors            ${serverErrors} (5xx or failed), ${otherAnswers} other non-302${run.firstError ? `; first: ${run.firstError}` : ''}`);
    console.log(`latency           p50 ${latency.p50.toFixed(2)} ms, p99 ${latency.p99.toFixed(2)} ms, max ${latency.max.toFixed(2)} ms`);
    console.log(`http enrolments   ${httpRate.toFixed(0)}/s (${run.latencies.length} in ${run.seconds.toFixed(2)} s)`);
    console.log(`raw statement     ${raw.perSecond.toFixed(0)}/s (${raw.count} in ${raw.seconds.toFixed(2)} s)`);
    console.log(
      `reference         GET /healthz ${healthz.requestsPerSecond.toFixed(0)}/s, ratio to raw ${(healthz.requestsPerSecond / raw.perSecond).toFixed(2)} ` +
        `(the HTTP stack alone; enrolments reach ${(httpRate / healthz.requestsPerSecond).toFixed(2)} of it)`,
    );
    console.log(
      `invariant         ${invariant.ok ? 'OK' : 'BROKEN'}: enrolled ${invariant.enrolled} = counter ${invariant.counter} ≤ capacity ${invariant.capacity}, ` +
        `${invariant.rows} rows for ${invariant.people} people, ${invariant.waitlistNumbers} waitlist numbers for ${invariant.waitlisted} waiting` +
        (invariant.problems.length ? ` — ${invariant.problems.join('; ')}` : ''),
    );
    const met = invariant.ok && serverErrors === 0 && refused === 0 && ratio >= RATIO_FLOOR;
    console.log(met ? 'aims met' : 'aims NOT met');
    if (!invariant.ok || serverErrors > 0) process.exitCode = 1;
    console.log(
      `enrolment invariant ${invariant.ok ? 'OK' : 'BROKEN'}${serverErrors > 0 ? `, ${serverErrors} server errors` : ''}, http/raw ratio ${ratio.toFixed(2)} (floor ${RATIO_FLOOR})`,
    );
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
