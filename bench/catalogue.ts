/**
 * `npm run bench:catalogue`: how much slower the catalogue is than the
 * cheapest routes of the same server, measured in the same run.
 *
 * Creates a fresh PostgreSQL database, starts the production server on it,
 * seeds 1,000 published offerings, checks that every catalogue URL answers
 * with cards and sends at most three statements per page (12 and 100 cards),
 * warms up, then loads each URL with a closed-loop keep-alive load generator
 * acting as a browser. Two floors (docs/decisions/0005-catalogue-benchmark.md):
 *
 * - /healthz, the server floor: JSON after one database ping. No page, no
 *   layout, no React; what the HTTP server and Remix cost.
 * - /login, the page floor: a server-rendered page of the same layout and
 *   root loader with no query (demo mode is off, so it is the bare form).
 *   What any page costs here.
 *
 * The catalogue URLs (filters, a search, a later page) are measured against
 * both. Time is split into rounds, each URL taking its turn in every round
 * in a rotating order, so a burst of load from elsewhere on the machine
 * falls on every URL alike instead of on whichever ran then. Prints
 * requests/s, latency, the server's CPU time per request (and the
 * database's, when it runs here), every ratio, a verdict per floor, and as
 * the very last line a one-line summary naming its floors (the worst
 * catalogue URL counts). Cleans up its server and database.
 *
 * The server remembers a catalogue page's rows for 5 s per set of criteria
 * (app/modules/catalogue/result-cache.server.ts), so the repeated URLs here
 * are mostly answered from memory, as popular pages are in use; the
 * statement count is taken with a cold memory, the dearest case.
 *
 * Environment: TEST_DATABASE_URL / DATABASE_URL (the server to create the
 * database on), BENCH_DURATION_MS (per URL, over all rounds, default
 * 12000), BENCH_ROUNDS (default 6), BENCH_WARMUP_MS (per URL, default 3000),
 * BENCH_CONNECTIONS (default 8), BENCH_SKIP_BUILD=1.
 * Not part of `npm test`: timing belongs here, not in tests (DESIGN.md §10).
 */
import os from 'node:os';
import { backendCpuBetween, backendCpuSeconds, createBenchDatabase, databaseUrlFor, dropBenchDatabase, serverVersion } from './lib/database';
import { mergeLoads, runLoad, type LoadResult } from './lib/load';
import { describeMachine } from './lib/machine';
import { seedCatalogue } from './lib/offerings';
import { statementsPerPage } from './lib/queries';
import { ratioOf, writeResult, type BenchFigure } from './lib/results';
import { ensureBuild, startBenchServer, type BenchServer } from './lib/server';

const OFFERINGS = 1_000;
const THROUGHPUT_FLOOR = 0.6;
const P99_CEILING = 3;
const MAX_STATEMENTS = 3;
const PAGE_SIZES = [12, 100];

const durationMs = Number(process.env.BENCH_DURATION_MS ?? 12_000);
const rounds = Math.max(1, Number(process.env.BENCH_ROUNDS ?? 6));
const warmupMs = Number(process.env.BENCH_WARMUP_MS ?? 3_000);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 8);

const SERVER_FLOOR = '/healthz';
const PAGE_FLOOR = '/login';
const FLOORS = [
  { path: PAGE_FLOOR, name: 'page floor' },
  { path: SERVER_FLOOR, name: 'server floor' },
] as const;
const CATALOGUE = ['/catalogue?kind=mooc&language=en&open=1', '/catalogue?q=ostersund', '/catalogue?page=5'];

const log = (line: string) => console.log(`[bench] ${line}`);
const load = () =>
  os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');

function row(cells: (string | number)[], widths: number[]): string {
  return cells.map((cell, i) => (i === 0 ? String(cell).padEnd(widths[i]!) : String(cell).padStart(widths[i]!))).join('  ');
}

const fixed = (value: number | null, digits = 2) => (value === null || !Number.isFinite(value) ? 'n/a' : value.toFixed(digits));

interface Measured extends LoadResult {
  /** The server's CPU milliseconds per request, or null where it cannot be read. */
  serverCpuMs: number | null;
  databaseCpuMs: number | null;
  /** This process's (the load generator's) CPU milliseconds per request: it shares the machine. */
  clientCpuMs: number;
}

async function main() {
  ensureBuild(log);
  const startedAt = new Date();
  const loadAtStart = load();
  const database = await createBenchDatabase();
  let server: BenchServer | null = null;
  const cleanUp = async () => {
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
    server = await startBenchServer(url);
    const baseUrl = server.baseUrl;
    log(`server up at ${baseUrl}; seeding ${OFFERINGS} published offerings`);
    await seedCatalogue(url, OFFERINGS);

    // Every URL must answer 200 with what it is meant to show before it is timed.
    for (const path of CATALOGUE) {
      const response = await fetch(baseUrl + path);
      const body = await response.text();
      const cards = (body.match(/class="offering-card"/g) ?? []).length;
      if (response.status !== 200 || cards === 0) throw new Error(`${path} answered ${response.status} with ${cards} cards`);
      log(`${path}: ${cards} cards, ${(body.length / 1024).toFixed(0)} KiB`);
    }
    const login = await fetch(baseUrl + PAGE_FLOOR);
    const loginBody = await login.text();
    if (login.status !== 200 || !loginBody.includes('name="password"') || loginBody.includes('demo-accounts')) {
      throw new Error(`${PAGE_FLOOR} answered ${login.status} without the bare sign-in form`);
    }

    // No N+1: at most three statements per page, whatever the page size.
    let mostStatements = 0;
    for (const path of CATALOGUE) {
      const counts = [];
      for (const pageSize of PAGE_SIZES) {
        const { statements, cards } = await statementsPerPage(url, path, pageSize);
        mostStatements = Math.max(mostStatements, statements);
        counts.push(`${statements} for ${cards} cards`);
      }
      log(`${path}: statements per page, cold cache: ${counts.join(', ')}`);
    }

    const all = [SERVER_FLOOR, PAGE_FLOOR, ...CATALOGUE];
    log(`warming up (${warmupMs} ms per URL)`);
    for (const path of all) await runLoad(baseUrl + path, { connections, durationMs: warmupMs });

    log(`measuring ${durationMs} ms per URL in ${rounds} rounds, ${connections} connections, as a browser`);
    const slices = new Map<string, { results: LoadResult[]; serverCpu: number | null; databaseCpu: number | null; clientCpu: number }>(
      all.map((path) => [path, { results: [], serverCpu: 0, databaseCpu: 0, clientCpu: 0 }]),
    );
    for (let round = 0; round < rounds; round++) {
      for (let i = 0; i < all.length; i++) {
        const path = all[(i + round) % all.length]!;
        const slice = slices.get(path)!;
        const serverBefore = server.cpuSeconds();
        const databaseBefore = await backendCpuSeconds(database);
        const clientBefore = process.cpuUsage();
        const result = await runLoad(baseUrl + path, { connections, durationMs: durationMs / rounds });
        const client = process.cpuUsage(clientBefore);
        const serverAfter = server.cpuSeconds();
        const databaseAfter = await backendCpuSeconds(database);
        if (result.errors > 0) throw new Error(`${path}: ${result.errors} failed requests (first: ${result.firstError})`);
        slice.results.push(result);
        slice.clientCpu += (client.user + client.system) / 1e6;
        slice.serverCpu = slice.serverCpu === null || serverBefore === null || serverAfter === null ? null : slice.serverCpu + serverAfter - serverBefore;
        const databaseCpu = backendCpuBetween(databaseBefore, databaseAfter);
        slice.databaseCpu = slice.databaseCpu === null || databaseCpu === null ? null : slice.databaseCpu + databaseCpu;
      }
    }
    const results = new Map<string, Measured>();
    for (const [path, slice] of slices) {
      const merged = mergeLoads(slice.results);
      const perRequest = (seconds: number | null) => (seconds === null ? null : (seconds * 1000) / merged.requests);
      results.set(path, {
        ...merged,
        serverCpuMs: perRequest(slice.serverCpu),
        databaseCpuMs: perRequest(slice.databaseCpu),
        clientCpuMs: perRequest(slice.clientCpu)!,
      });
    }

    const ratios = (path: string, floor: string) => {
      const result = results.get(path)!;
      const base = results.get(floor)!;
      return { throughput: result.requestsPerSecond / base.requestsPerSecond, p99: result.latency.p99 / base.latency.p99 };
    };
    const widths = [42, 6, 7, 7, 5, 7, 7, 7, 7, 7, 7, 7];
    console.log('');
    const machine = describeMachine({ database: await serverVersion(), connections: String(connections), 'load at start': loadAtStart });
    console.log(machine);
    console.log(
      row(['', '', '', '', '', 'server', 'db', 'bench', `vs ${PAGE_FLOOR}`, '', `vs ${SERVER_FLOOR}`, ''], widths),
    );
    console.log(row(['route', 'req/s', 'p50 ms', 'p99 ms', 'KiB', 'CPU ms', 'CPU ms', 'CPU ms', 'req/s', 'p99', 'req/s', 'p99'], widths));
    for (const [path, result] of results) {
      const page = ratios(path, PAGE_FLOOR);
      const bare = ratios(path, SERVER_FLOOR);
      const label = path === SERVER_FLOOR ? `${path} (server floor)` : path === PAGE_FLOOR ? `${path} (page floor)` : path;
      console.log(
        row(
          [
            label,
            result.requestsPerSecond.toFixed(0),
            result.latency.p50.toFixed(2),
            result.latency.p99.toFixed(2),
            (result.bytesPerResponse / 1024).toFixed(1),
            fixed(result.serverCpuMs),
            fixed(result.databaseCpuMs),
            fixed(result.clientCpuMs),
            page.throughput.toFixed(2),
            page.p99.toFixed(2),
            bare.throughput.toFixed(2),
            bare.p99.toFixed(2),
          ],
          widths,
        ),
      );
    }
    console.log(
      '(CPU ms: CPU time per request of the server process, of its database backends (n/a when they cannot be read here) and of this load generator, all on the same machine)',
    );
    console.log(
      '(each catalogue URL repeats, so the server answers it from its short memory of query results, asking the database about once per URL per 5 s; a page nobody asked for in the last 5 s costs one or two queries, as counted above)',
    );

    const verdicts = FLOORS.map(({ path, name }) => {
      const worstThroughput = Math.min(...CATALOGUE.map((c) => ratios(c, path).throughput));
      const worstP99 = Math.max(...CATALOGUE.map((c) => ratios(c, path).p99));
      const met = worstThroughput >= THROUGHPUT_FLOOR && worstP99 <= P99_CEILING;
      return { path, name, worstThroughput, worstP99, met };
    });
    const statementsMet = mostStatements <= MAX_STATEMENTS;
    console.log(`aims: catalogue throughput at least ${THROUGHPUT_FLOOR} of the floor's, p99 at most ${P99_CEILING}× the floor's (worst catalogue URL); at most ${MAX_STATEMENTS} statements per page`);
    for (const v of verdicts) {
      console.log(`  vs ${v.path} (${v.name}): throughput ratio ${v.worstThroughput.toFixed(2)}, p99 ratio ${v.worstP99.toFixed(2)}: ${v.met ? 'met' : 'NOT met'}`);
    }
    console.log(`  statements per catalogue page: at most ${mostStatements}: ${statementsMet ? 'met' : 'NOT met'}`);
    const loadAtEnd = load();
    console.log(`  load average: ${loadAtStart} at start, ${loadAtEnd} at the end (${os.cpus().length} cores)`);
    const summary =
      verdicts
        .map((v) => `catalogue vs ${v.path} (${v.name}): throughput ${v.worstThroughput.toFixed(2)} (aim ≥ ${THROUGHPUT_FLOOR}), p99 ${v.worstP99.toFixed(2)}× (aim ≤ ${P99_CEILING}) ${v.met ? 'met' : 'NOT met'}`)
        .join('; ') + `; ≤ ${mostStatements} statements/page ${statementsMet ? 'met' : 'NOT met'}`;

    // For `npm run bench`: per floor, the catalogue URL furthest from it in throughput and in p99.
    const figures: BenchFigure[] = FLOORS.flatMap(({ path, name }): BenchFigure[] => {
      const floor = results.get(path)!;
      const slowest = CATALOGUE.reduce((a, b) => (ratios(b, path).throughput < ratios(a, path).throughput ? b : a));
      const tail = CATALOGUE.reduce((a, b) => (ratios(b, path).p99 > ratios(a, path).p99 ? b : a));
      const throughput = ratios(slowest, path).throughput;
      const p99 = ratios(tail, path).p99;
      return [
        {
          name: `worst catalogue URL vs ${name}: requests/s (${slowest})`,
          value: Number(results.get(slowest)!.requestsPerSecond.toFixed(0)),
          unit: 'req/s',
          floor: { name: `${path} (${name})`, value: Number(floor.requestsPerSecond.toFixed(0)) },
          ratio: ratioOf(results.get(slowest)!.requestsPerSecond, floor.requestsPerSecond, 2),
          aim: `ratio ≥ ${THROUGHPUT_FLOOR}`,
          met: throughput >= THROUGHPUT_FLOOR,
        },
        {
          name: `worst catalogue URL vs ${name}: p99 latency (${tail})`,
          value: Number(results.get(tail)!.latency.p99.toFixed(1)),
          unit: 'ms',
          floor: { name: `${path} (${name})`, value: Number(floor.latency.p99.toFixed(1)) },
          ratio: ratioOf(results.get(tail)!.latency.p99, floor.latency.p99, 2),
          aim: `ratio ≤ ${P99_CEILING}`,
          met: p99 <= P99_CEILING,
        },
      ];
    });
    figures.push({ name: 'statements per catalogue page (cold cache, 12 and 100 cards)', value: mostStatements, unit: 'statements', aim: `≤ ${MAX_STATEMENTS}`, met: statementsMet });
    writeResult({
      bench: 'catalogue',
      title: 'Catalogue: `npm run bench:catalogue`',
      command: 'flock /tmp/kollega-bench.lock npm run bench:catalogue',
      settings: { offerings: OFFERINGS, BENCH_DURATION_MS: durationMs, BENCH_ROUNDS: rounds, BENCH_WARMUP_MS: warmupMs, BENCH_CONNECTIONS: connections },
      startedAt: startedAt.toISOString(),
      finishedAt: new Date().toISOString(),
      machine,
      figures,
      notes: [
        ...[...results].map(
          ([path, r]) =>
            `\`${path}\`: ${r.requestsPerSecond.toFixed(0)} req/s, p50 ${r.latency.p50.toFixed(2)} ms, p99 ${r.latency.p99.toFixed(2)} ms, ` +
            `${(r.bytesPerResponse / 1024).toFixed(1)} KiB, CPU per request: server ${fixed(r.serverCpuMs)} ms, PostgreSQL ${fixed(r.databaseCpuMs)} ms, load generator ${fixed(r.clientCpuMs)} ms`,
        ),
        `Load average ${loadAtStart} at start, ${loadAtEnd} at the end.`,
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
