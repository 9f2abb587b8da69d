import http from 'node:http';
import { summarise, type Summary } from './stats';

export interface LoadOptions {
  /** Requests in flight at once, each on its own keep-alive connection. */
  connections: number;
  durationMs: number;
  /** Extra request headers, e.g. Accept-Language. */
  headers?: Record<string, string>;
}

/**
 * A browser's User-Agent, marked as ours. The server renders for bots
 * (isbot: any UA without "Mozilla…" counts, a bare "kollega-bench" too) by
 * waiting for the whole page, and streams to browsers; people use browsers,
 * so that is the path measured.
 */
export const BENCH_USER_AGENT = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Safari/537.36 kollega-bench';

export interface LoadResult {
  url: string;
  requests: number;
  /** Answers other than 200, and failed requests. */
  errors: number;
  firstError: string | null;
  seconds: number;
  requestsPerSecond: number;
  /** Latency in milliseconds, from sending the request to the last byte of the body. */
  latency: Summary;
  bytesPerResponse: number;
  /** Every latency sample, in the order they were taken, so runs can be merged. */
  samples: number[];
}

/**
 * A closed-loop load generator: `connections` loops, each sending the next
 * request as soon as the previous answer has been read to its end, over
 * keep-alive connections, for a fixed time. Throughput and latency are both
 * measured, as autocannon does, but with nothing to install.
 */
export async function runLoad(url: string, options: LoadOptions): Promise<LoadResult> {
  const target = new URL(url);
  const agent = new http.Agent({ keepAlive: true, maxSockets: options.connections, maxFreeSockets: options.connections });
  const latencies: number[] = [];
  let errors = 0;
  let bytes = 0;
  let firstError: string | null = null;
  const started = process.hrtime.bigint();
  const deadline = started + BigInt(options.durationMs) * 1_000_000n;

  const once = () =>
    new Promise<void>((resolve) => {
      const sent = process.hrtime.bigint();
      const request = http.request(
        { host: target.hostname, port: target.port, path: target.pathname + target.search, method: 'GET', agent, headers: { 'user-agent': BENCH_USER_AGENT, ...options.headers } },
        (response) => {
          response.on('data', (chunk: Buffer) => {
            bytes += chunk.length;
          });
          response.on('end', () => {
            latencies.push(Number(process.hrtime.bigint() - sent) / 1e6);
            if (response.statusCode !== 200) {
              errors++;
              firstError ??= `HTTP ${response.statusCode}`;
            }
            resolve();
          });
          response.on('error', (error) => {
            errors++;
            firstError ??= String(error);
            resolve();
          });
        },
      );
      request.on('error', (error) => {
        errors++;
        firstError ??= String(error);
        resolve();
      });
      request.end();
    });

  const loop = async () => {
    while (process.hrtime.bigint() < deadline) await once();
  };
  await Promise.all(Array.from({ length: options.connections }, loop));
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  agent.destroy();
  return {
    url,
    requests: latencies.length,
    errors,
    firstError,
    seconds,
    requestsPerSecond: latencies.length / seconds,
    latency: summarise(latencies),
    bytesPerResponse: latencies.length ? bytes / latencies.length : 0,
    samples: latencies,
  };
}

/**
 * One result from several runs against the same URL: requests over the time
 * they took together, percentiles over every sample of every run.
 */
export function mergeLoads(results: LoadResult[]): LoadResult {
  if (results.length === 0) throw new Error('nothing to merge');
  const samples = results.flatMap((r) => r.samples);
  const seconds = results.reduce((sum, r) => sum + r.seconds, 0);
  const bytes = results.reduce((sum, r) => sum + r.bytesPerResponse * r.requests, 0);
  return {
    url: results[0]!.url,
    requests: samples.length,
    errors: results.reduce((sum, r) => sum + r.errors, 0),
    firstError: results.find((r) => r.firstError)?.firstError ?? null,
    seconds,
    requestsPerSecond: samples.length / seconds,
    latency: summarise(samples),
    bytesPerResponse: samples.length ? bytes / samples.length : 0,
    samples,
  };
}
