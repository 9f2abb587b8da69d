import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { root } from './server';

/**
 * What a benchmark leaves behind for `npm run bench` (bench/all.ts), which
 * writes docs/benchmarks.md from it: every figure beside the floor measured
 * in the same run, the ratio, the aim and whether it was met. A file rather
 * than a parsed line of output, so the printed report stays free to change.
 */
export interface BenchFigure {
  /** What is measured, e.g. "worst catalogue URL, requests/s". */
  name: string;
  value: number;
  unit: string;
  /** The floor it is compared with, measured in the same run; absent for a plain count (e.g. statements per page). */
  floor?: { name: string; value: number };
  /** value ÷ floor, or for a latency the factor over the floor's. */
  ratio?: number;
  /** The aim in words, e.g. "ratio ≥ 0.6"; absent when none is set. */
  aim?: string;
  met?: boolean;
}

export interface BenchResult {
  /** File name and key: catalogue, enrolment, certificates, email. */
  bench: string;
  title: string;
  /** How to run it alone. */
  command: string;
  /** The settings that shaped this run (defaults included), to reproduce it. */
  settings: Record<string, string | number>;
  startedAt: string;
  finishedAt: string;
  /** The bench's own machine line (describeMachine), load at its start included. */
  machine: string;
  figures: BenchFigure[];
  /** Further lines worth keeping in the report (Markdown). */
  notes: string[];
  /** The bench's last printed line. */
  summary: string;
}

/** bench/results by default (gitignored); BENCH_RESULTS_DIR to put them elsewhere. */
export function resultsDir(): string {
  return process.env.BENCH_RESULTS_DIR || path.join(root, 'bench/results');
}

export function resultPath(bench: string): string {
  return path.join(resultsDir(), `${bench}.json`);
}

export function writeResult(result: BenchResult): string {
  const file = resultPath(result.bench);
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
  return file;
}

/** ratio of two figures, as a plain number rounded for the report. */
export function ratioOf(value: number, floor: number, digits = 3): number {
  return floor > 0 && Number.isFinite(value) ? Number((value / floor).toFixed(digits)) : Number.NaN;
}
