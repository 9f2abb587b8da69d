/**
 * `npm run bench`: every benchmark of the project, one after another, each
 * in its own process (catalogue, enrolment rush, certificates, email
 * relay), then docs/benchmarks.md written from their results: each figure
 * beside its floor measured in the same run, the ratio, the aim and
 * whether it was met, the machine, the date and commit, and how to
 * reproduce each.
 *
 * Each bench writes bench/results/<name>.json (bench/lib/results.ts); a
 * bench that fails or leaves no result is reported as such with the end of
 * its output, and the others still run. Only the part of docs/benchmarks.md
 * between the generated markers is rewritten: the history and analysis
 * written by hand below it are kept as they are.
 *
 * `npm run bench -- email certificates` runs only those (the file then
 * says which were left out). Environment: what each bench reads (see
 * their headers), and BENCH_EMAIL_MESSAGES / BENCH_CERTIFICATES for the
 * counts of the email and certificate benches. Run it alone on the
 * machine: `flock /tmp/kollega-bench.lock npm run bench` (this script
 * takes no lock itself, so that it can run under one).
 */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { serverVersion, baseDatabaseUrl } from './lib/database';
import { resultPath, type BenchFigure, type BenchResult } from './lib/results';
import { ensureBuild, root } from './lib/server';

interface BenchSpec {
  name: string;
  script: string;
  args: string[];
  /** What it measures and against what, for the report (one paragraph). */
  about: string;
}

const BENCHES: BenchSpec[] = [
  {
    name: 'catalogue',
    script: 'bench/catalogue.ts',
    args: [],
    about:
      'The production server on a fresh database with 1,000 published offerings; three catalogue URLs (filters, an accent-blind search, page 5) under a closed-loop keep-alive load as a browser, ' +
      'in rotating rounds with two floors from the same server: `/login` (the page floor: a server-rendered page with the same layout and no query) and `/healthz` (the server floor: no page). ' +
      'The worst catalogue URL counts. Why two floors: docs/decisions/0005-catalogue-benchmark.md.',
  },
  {
    name: 'enrolment',
    script: 'bench/enrolment.ts',
    args: [],
    about:
      '2,000 signed-in participants POST an enrolment once each into one offering of capacity 500 (waitlist on) over 16 keep-alive connections against the production server; ' +
      "the floor is the app's own seat-taking statement, captured from a real `enrol` call and run directly for as many other people, before and after the HTTP phase " +
      '(docs/decisions/0006-enrolment-benchmark-floor.md). The invariant (no overbooking, one row per person, unique waitlist numbers, one email per seat) is checked in every offering.',
  },
  {
    name: 'certificates',
    script: 'bench/certificates.ts',
    args: process.env.BENCH_CERTIFICATES ? [process.env.BENCH_CERTIFICATES] : [],
    about:
      "Certificate PDFs rendered by the project's code (realistic European names, four languages) against bare pdfkit drawing the same strings with the same fonts, in alternating rounds; " +
      'then the bulk ZIP of 2,000 certificates streamed from the database in a child process, for its peak memory.',
  },
  {
    name: 'email',
    script: 'bench/email.ts',
    args: process.env.BENCH_EMAIL_MESSAGES ? [process.env.BENCH_EMAIL_MESSAGES] : [],
    about:
      "10,000 session reminders queued by the reminder job's own function (outbox rows and delivery jobs) and delivered to a local SMTP server (`smtp-server`) by two `server/worker.ts` processes in production mode; " +
      "the floor is the same SMTP server fed the same rendered messages by nodemailer with the app's transport options from one process, no database (half before, half after). " +
      'Every outbox row must be sent and received (lost = 0); Message-IDs received twice are duplicates.',
  },
];

const START = '<!-- bench:generated:start -->';
const END = '<!-- bench:generated:end -->';
const DOC = path.join(root, 'docs/benchmarks.md');

const log = (line: string) => console.log(`[bench:all] ${line}`);

function git(args: string[]): string | null {
  try {
    return execFileSync('git', args, { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return null;
  }
}

function osName(): string {
  try {
    const pretty = /^PRETTY_NAME="?([^"\n]+)"?/m.exec(readFileSync('/etc/os-release', 'utf8'))?.[1];
    if (pretty) return `${pretty}, ${os.type()} ${os.release()}`;
  } catch {
    // not Linux, or no os-release
  }
  return `${os.type()} ${os.release()}`;
}

interface Outcome {
  spec: BenchSpec;
  exitCode: number | null;
  seconds: number;
  result: BenchResult | null;
  /** The end of its output, shown when it failed. */
  tail: string;
}

/** One bench in its own process, its output passed through; its result file read afterwards. */
async function run(spec: BenchSpec): Promise<Outcome> {
  const file = resultPath(spec.name);
  rmSync(file, { force: true });
  const started = Date.now();
  const lines: string[] = [];
  const exitCode = await new Promise<number | null>((resolve) => {
    const child = spawn(path.join(root, 'node_modules/.bin/tsx'), [spec.script, ...spec.args], {
      cwd: root,
      env: { ...process.env, BENCH_SKIP_BUILD: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const keep = (chunk: Buffer, stream: NodeJS.WriteStream) => {
      stream.write(chunk);
      lines.push(...chunk.toString('utf8').split('\n'));
      if (lines.length > 60) lines.splice(0, lines.length - 60);
    };
    child.stdout.on('data', (chunk: Buffer) => keep(chunk, process.stdout));
    child.stderr.on('data', (chunk: Buffer) => keep(chunk, process.stderr));
    child.on('error', () => resolve(null));
    child.on('exit', (code) => resolve(code));
  });
  const result = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as BenchResult) : null;
  return { spec, exitCode, seconds: (Date.now() - started) / 1000, result, tail: lines.filter((l) => l.trim()).slice(-15).join('\n') };
}

// --- The report --------------------------------------------------------------------

const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
const number = (value: number) => (Number.isFinite(value) ? value.toLocaleString('en-GB', { maximumFractionDigits: 3 }) : 'n/a');
const metText = (figure: BenchFigure) => (figure.met === undefined ? '—' : figure.met ? 'met' : '**NOT met**');

function figureRow(figure: BenchFigure, bench?: string): string {
  const cells = [
    ...(bench ? [bench] : []),
    cell(figure.name),
    `${number(figure.value)} ${figure.unit}`,
    figure.floor ? `${number(figure.floor.value)} (${cell(figure.floor.name)})` : '—',
    figure.ratio === undefined ? '—' : `**${number(figure.ratio)}**`,
    figure.aim ? cell(figure.aim) : 'none set',
    metText(figure),
  ];
  return `| ${cells.join(' | ')} |`;
}

function timeRange(from: Date, to: Date): string {
  const day = from.toISOString().slice(0, 10);
  const hm = (d: Date) => d.toISOString().slice(11, 16);
  return `${day} ${hm(from)}–${hm(to)} UTC`;
}

function report(outcomes: Outcome[], context: { started: Date; finished: Date; commit: string; machine: [string, string][]; skipped: string[] }): string {
  const out: string[] = [];
  out.push(START);
  out.push('');
  out.push(
    '_Written by `npm run bench` (`bench/all.ts`); the next run rewrites everything between the generated markers. ' +
      'The history and analysis below them are written by hand and kept._',
  );
  out.push('');
  out.push(`## Latest run: ${timeRange(context.started, context.finished)}`);
  out.push('');
  out.push(`Commit ${context.commit}. Every ratio is between two figures measured in the same run on this machine; absolute figures move with the machine and its load, ratios much less.`);
  if (context.skipped.length > 0) out.push(`Not run this time: ${context.skipped.join(', ')}.`);
  out.push('');
  out.push('### Machine');
  out.push('');
  out.push('| | |');
  out.push('| --- | --- |');
  for (const [key, value] of context.machine) out.push(`| ${key} | ${cell(value)} |`);
  out.push('');
  out.push('### Summary');
  out.push('');
  out.push('| benchmark | figure | value | floor (same run) | ratio | aim | met |');
  out.push('| --- | --- | ---: | ---: | ---: | --- | --- |');
  for (const outcome of outcomes) {
    if (!outcome.result) {
      out.push(`| ${outcome.spec.name} | **did not finish** (exit code ${outcome.exitCode ?? 'none'}) | — | — | — | — | **NOT met** |`);
      continue;
    }
    for (const figure of outcome.result.figures) out.push(figureRow(figure, outcome.spec.name));
  }
  for (const outcome of outcomes) {
    out.push('');
    const result = outcome.result;
    out.push(`### ${result?.title ?? `\`npm run bench:${outcome.spec.name}\``}`);
    out.push('');
    out.push(outcome.spec.about);
    out.push('');
    if (!result) {
      out.push(`It did not finish (exit code ${outcome.exitCode ?? 'none'}, after ${outcome.seconds.toFixed(0)} s). The end of its output:`);
      out.push('');
      out.push('```');
      out.push(outcome.tail);
      out.push('```');
      continue;
    }
    out.push('| figure | value | floor (same run) | ratio | aim | met |');
    out.push('| --- | ---: | ---: | ---: | --- | --- |');
    for (const figure of result.figures) out.push(figureRow(figure));
    out.push('');
    for (const note of result.notes) out.push(`- ${note}`);
    out.push('');
    out.push(`Summary line: \`${result.summary.replace(/`/g, "'")}\``);
    out.push('');
    out.push(
      `Ran ${timeRange(new Date(result.startedAt), new Date(result.finishedAt))} (${outcome.seconds.toFixed(0)} s in all), exit code ${outcome.exitCode ?? 'none'}; ` +
        `its own machine line: ${result.machine}.`,
    );
    out.push('');
    out.push(
      `Reproduce: \`${result.command}\` with ${Object.entries(result.settings)
        .map(([key, value]) => `${key} ${value}`)
        .join(', ')}.`,
    );
  }
  out.push('');
  out.push('### How to reproduce');
  out.push('');
  out.push(
    'On a clone with PostgreSQL running: `npm ci`, then `flock /tmp/kollega-bench.lock npm run bench` (builds the production bundle first when it is missing or older than the sources). ' +
      'Every bench makes its own throw-away database on the server of `TEST_DATABASE_URL`, else `DATABASE_URL`, else `postgres://root@127.0.0.1:5432/test`, and drops it afterwards. ' +
      '`npm run bench -- email` runs one bench (this file then lists the others as not run); each also runs alone with the command in its section. ' +
      'The numbers are only worth comparing on a quiet machine: every bench shares the cores with PostgreSQL and its own load generator.',
  );
  out.push('');
  out.push(END);
  return out.join('\n');
}

/** Replaces the generated part of docs/benchmarks.md, keeping everything outside the markers. */
function writeDoc(generated: string) {
  const current = existsSync(DOC) ? readFileSync(DOC, 'utf8') : '# Benchmarks\n';
  const start = current.indexOf(START);
  const end = current.indexOf(END);
  let next: string;
  if (start !== -1 && end > start) {
    next = current.slice(0, start) + generated + current.slice(end + END.length);
  } else {
    // First run: the generated part goes right under the title.
    const title = /^# .*\n/.exec(current);
    const head = title ? title[0] : '# Benchmarks\n';
    const rest = title ? current.slice(head.length) : current;
    next = `${head}\n${generated}\n${rest}`;
  }
  writeFileSync(DOC, next);
}

async function main() {
  const wanted = process.argv.slice(2);
  const unknown = wanted.filter((name) => !BENCHES.some((b) => b.name === name));
  if (unknown.length > 0) {
    console.error(`Unknown benchmark(s): ${unknown.join(', ')}. Known: ${BENCHES.map((b) => b.name).join(', ')}.`);
    process.exit(2);
  }
  const selected = wanted.length > 0 ? BENCHES.filter((b) => wanted.includes(b.name)) : BENCHES;
  const skipped = BENCHES.filter((b) => !selected.includes(b)).map((b) => b.name);

  const started = new Date();
  const loadAtStart = os.loadavg();
  const cpus = os.cpus();
  const head = git(['rev-parse', 'HEAD']);
  const dirty = git(['status', '--porcelain', '--untracked-files=no']);
  const committedAt = git(['log', '-1', '--format=%cI']);
  const commit = head
    ? `\`${head.slice(0, 12)}\`${committedAt ? ` (committed ${committedAt})` : ''}${dirty ? ', with uncommitted changes in the working tree' : ''}`
    : 'unknown (not a git checkout)';
  const postgres = await serverVersion().catch((error: unknown) => `unreachable (${String(error)})`);
  const databaseHost = new URL(baseDatabaseUrl()).host;
  const machine: [string, string][] = [
    ['CPU', `${cpus.length} × ${cpus[0]?.model.replace(/\s+/g, ' ').trim() ?? 'unknown'}`],
    ['Cores', String(os.availableParallelism?.() ?? cpus.length)],
    ['RAM', `${(os.totalmem() / 2 ** 30).toFixed(1)} GiB`],
    ['Load average at start (1, 5, 15 min)', loadAtStart.map((l) => l.toFixed(2)).join(', ')],
    ['Node', process.versions.node],
    ['PostgreSQL', `${postgres} at ${databaseHost}`],
    ['OS', osName()],
  ];

  log(`building the production bundle if needed, then ${selected.map((b) => b.name).join(', ')}, one after another`);
  ensureBuild(log);
  const outcomes: Outcome[] = [];
  for (const spec of selected) {
    log(`--- ${spec.name}: ${spec.script} ${spec.args.join(' ')}`.trimEnd());
    const outcome = await run(spec);
    log(`--- ${spec.name}: exit code ${outcome.exitCode ?? 'none'} after ${outcome.seconds.toFixed(0)} s${outcome.result ? '' : ', no result'}`);
    outcomes.push(outcome);
  }
  const finished = new Date();
  machine.push(['Load average at the end', os.loadavg().map((l) => l.toFixed(2)).join(', ')]);
  writeDoc(report(outcomes, { started, finished, commit, machine, skipped }));
  log(`wrote ${path.relative(root, DOC)}`);

  console.log('');
  for (const outcome of outcomes) console.log(outcome.result ? outcome.result.summary : `${outcome.spec.name}: did not finish (exit code ${outcome.exitCode ?? 'none'})`);
  const failed = outcomes.filter((o) => o.exitCode !== 0 || !o.result);
  if (failed.length > 0) process.exitCode = 1;
  const notMet = outcomes.flatMap((o) => (o.result?.figures ?? []).filter((f) => f.met === false).map((f) => `${o.spec.name}: ${f.name}`));
  console.log(
    `bench: ${outcomes.length - failed.length} of ${outcomes.length} benchmarks finished; ${notMet.length === 0 ? 'every aim met' : `aims not met: ${notMet.join('; ')}`}; docs/benchmarks.md written`,
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
