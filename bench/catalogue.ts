/**
 * `npm run bench:catalogue`: how much slower the catalogue is than the
 * cheapest route of the same server, measured in the same run.
 *
 * Creates a fresh PostgreSQL database, starts the production server on it,
 * seeds 1,000 published offerings, warms up, then loads each URL for a fixed
 * time with a closed-loop keep-alive load generator: the trivial route
 * /healthz (one database round-trip) and three catalogue pages (filters,
 * a search, a later page). Prints requests/s and p99 for each, their ratios
 * against /healthz, and as the very last line a one-line summary (the worst
 * catalogue URL counts). Cleans up its server and database.
 *
 * Environment: TEST_DATABASE_URL / DATABASE_URL (the server to create the
 * database on), BENCH_DURATION_MS (per URL, default 10000), BENCH_WARMUP_MS
 * (default 3000), BENCH_CONNECTIONS (default 8), BENCH_SKIP_BUILD=1.
 * Not part of `npm test`: timing belongs here, not in tests (DESIGN.md §10).
 */
import { createBenchDatabase, databaseUrlFor, dropBenchDatabase, serverVersion } from './lib/database';
import { runLoad, type LoadResult } from './lib/load';
import { describeMachine } from './lib/machine';
import { seedCatalogue } from './lib/offerings';
import { ensureBuild, startBenchServer, type BenchServer } from './lib/server';

const OFFERINGS = 1_000;
const THROUGHPUT_FLOOR = 0.6;
const P99_CEILING = 3;

const durationMs = Number(process.env.BENCH_DURATION_MS ?? 10_000);
const warmupMs = Number(process.env.BENCH_WARMUP_MS ?? 3_000);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 8);

const TRIVIAL = '/healthz';
const CATALOGUE = ['/catalogue?kind=mooc&language=en&open=1', '/catalogue?q=ostersund', '/catalogue?page=5'];
/**
 * For reference only, not in the summary: a server-rendered page with no
 * query (the sign-in form). It shows what rendering any page costs here, the
 * share of the gap to /healthz that no catalogue query or markup can close.
 */
const PAGE_FLOOR = '/login';

const log = (line: string) => console.log(`[bench] ${line}`);

function row(cells: (string | number)[], widths: number[]): string {
  return cells.map((cell, i) => (i === 0 ? String(cell).padEnd(widths[i]!) : String(cell).padStart(widths[i]!))).join('  ');
}

async function main() {
  ensureBuild(log);
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
    log(`server up at ${server.baseUrl}; seeding ${OFFERINGS} published offerings`);
    await seedCatalogue(url, OFFERINGS);

    // Every URL must answer 200 with cards before it is timed.
    for (const path of CATALOGUE) {
      const response = await fetch(server.baseUrl + path);
      const body = await response.text();
      const cards = (body.match(/class="offering-card"/g) ?? []).length;
      if (response.status !== 200 || cards === 0) throw new Error(`${path} answered ${response.status} with ${cards} cards`);
      log(`${path}: ${cards} cards, ${(body.length / 1024).toFixed(0)} KiB`);
    }

    const all = [TRIVIAL, ...CATALOGUE, PAGE_FLOOR];
    log(`warming up (${warmupMs} ms per URL)`);
    for (const path of all) await runLoad(server.baseUrl + path, { connections, durationMs: warmupMs });

    log(`measuring ${durationMs} ms per URL with ${connections} connections`);
    const results = new Map<string, LoadResult>();
    for (const path of all) {
      const result = await runLoad(server.baseUrl + path, { connections, durationMs });
      if (result.errors > 0) throw new Error(`${path}: ${result.errors} failed requests (first: ${result.firstError})`);
      results.set(path, result);
    }

    const trivial = results.get(TRIVIAL)!;
    const widths = [44, 7, 8, 8, 6, 11, 9];
    console.log('');
    console.log(describeMachine({ database: await serverVersion(), connections: String(connections) }));
    console.log(row(['route', 'req/s', 'p50 ms', 'p99 ms', 'KiB', 'req/s ratio', 'p99 ratio'], widths));
    const ratios: { throughput: number; p99: number }[] = [];
    for (const [path, result] of results) {
      const throughput = result.requestsPerSecond / trivial.requestsPerSecond;
      const p99 = result.latency.p99 / trivial.latency.p99;
      if (CATALOGUE.includes(path)) ratios.push({ throughput, p99 });
      console.log(
        row(
          [
            path === PAGE_FLOOR ? `${path} (reference: page, no query)` : path,
            result.requestsPerSecond.toFixed(0),
            result.latency.p50.toFixed(2),
            result.latency.p99.toFixed(2),
            (result.bytesPerResponse / 1024).toFixed(1),
            throughput.toFixed(2),
            p99.toFixed(2),
          ],
          widths,
        ),
      );
    }
    const worstThroughput = Math.min(...ratios.map((r) => r.throughput));
    const worstP99 = Math.max(...ratios.map((r) => r.p99));
    const met = worstThroughput >= THROUGHPUT_FLOOR && worstP99 <= P99_CEILING;
    console.log(met ? 'aims met' : 'aims NOT met');
    console.log(
      `catalogue throughput ratio ${worstThroughput.toFixed(2)} (floor ${THROUGHPUT_FLOOR}), p99 ratio ${worstP99.toFixed(2)} (ceiling ${P99_CEILING})`,
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
