/**
 * `npm run bench:certificates [-- N]`: how fast the project's certificate
 * PDFs are made, beside a floor measured in the same run, and how much
 * memory the bulk ZIP takes.
 *
 * 1. Renders N certificates (default 500) through the project's own code
 *    (app/modules/certificates/pdf.server.ts: frame, fitted name, detail
 *    lines, vector QR code, fixed info dictionary) with realistic European
 *    names in the four languages, and the same N through the floor: bare
 *    pdfkit drawing the same strings at fixed places with the same
 *    pre-parsed DejaVu fonts (no layout logic, no QR code, no frame). The
 *    two take turns in small rounds, so a burst of load from elsewhere on
 *    the machine falls on both alike. Prints certificates/s, p50/p99 per
 *    certificate, the ratio project/floor (aim ≥ 0.8) and the peak RSS
 *    (aim < 300 MB).
 * 2. Creates a throw-away PostgreSQL database with 2,000 certificates of one
 *    offering and, in a child process (so its memory is its own), streams
 *    the bulk ZIP (app/modules/certificates/bulk.server.ts) to /dev/null:
 *    time and peak RSS, which must stay far below what 2,000 PDFs would
 *    take in memory.
 *
 * The last line is a one-line summary (rate, ratio, memory). Run it alone
 * on the machine: `flock /tmp/kollega-bench.lock npm run bench:certificates`.
 * Environment: TEST_DATABASE_URL / DATABASE_URL (the server to create the
 * database on), BENCH_ZIP_COUNT (default 2000).
 * Not part of `npm test`: timing belongs here, not in tests (DESIGN.md §10).
 */
import { spawn, spawnSync } from "node:child_process";
import { createWriteStream } from "node:fs";
import { pipeline } from "node:stream/promises";
import { fileURLToPath } from "node:url";
import PDFDocument from "pdfkit";
import { createDatabase } from "#db/client";
import { applyMigrations } from "#db/migrate";
import {
  certificates,
  enrolments,
  offerings,
  users,
  type CertificateSnapshot,
} from "#db/schema";
import { certificatesZip } from "~/modules/certificates/bulk.server";
import { formatCode, generateCode } from "~/modules/certificates/code";
import { certificateFonts } from "~/modules/certificates/fonts.server";
import {
  certificateDocument,
  detailLines,
  verificationUrl,
} from "~/modules/certificates/pdf.server";
import { serverT } from "~/modules/i18n/i18n";
import { translateKey } from "~/modules/i18n/translate";
import {
  createBenchDatabase,
  databaseUrlFor,
  dropBenchDatabase,
} from "./lib/database";
import { describeMachine } from "./lib/machine";
import { ratioOf, writeResult } from "./lib/results";
import { round, summarise } from "./lib/stats";

const RATIO_FLOOR = 0.8;
const MEMORY_CEILING_MB = 300;
const ROUND_SIZE = 10;
const WARMUP = 30;

// --- Realistic names and certificates ---------------------------------------

const REQUIRED_NAMES = [
  "Łucja Żółkiewska",
  "Şükrü Öztürk",
  "Αλέξανδρος Παπαδόπουλος",
  "Ђорђе Петровић",
];
const FIRST = [
  "Åsa",
  "Ægir",
  "Øystein",
  "Björn",
  "Märta",
  "Eeva-Liisa",
  "Jyrki",
  "Päivi",
  "Sigríður",
  "Þórunn",
  "Jörg",
  "Günther",
  "Françoise",
  "Hélène",
  "Ángel",
  "Begoña",
  "João",
  "Conceição",
  "Zuzana",
  "Jiří",
  "Dominika",
  "Gražina",
  "Mārtiņš",
  "Ieva",
  "Tõnu",
  "Ülle",
  "Ştefan",
  "Ioana",
  "Đurđica",
  "Tomislav",
  "Žiga",
  "Ľubomír",
  "Ödön",
  "Zsófia",
  "Agnieszka",
  "Bartłomiej",
  "Γιώργος",
  "Ελένη",
  "Дмитро",
  "Олена",
  "Йордан",
  "Милица",
  "Niamh",
  "Siobhán",
  "Çağla",
  "Ömer",
  "Carmela",
  "Niccolò",
  "Anouk",
  "Maël",
];
const LAST = [
  "Öberg",
  "Ødegård",
  "Kärkkäinen",
  "Mäkelä",
  "Jóhannsdóttir",
  "Þorsteinsson",
  "Müller-Lüdenscheidt",
  "Straße",
  "Lefèvre",
  "Façade",
  "Muñoz",
  "Gonçalves",
  "Dvořáková",
  "Šťastný",
  "Kazlauskienė",
  "Bērziņš",
  "Tamm",
  "Õunapuu",
  "Popescu",
  "Țăranu",
  "Đorđević",
  "Kovačić",
  "Novak",
  "Ďurica",
  "Szőke",
  "Wiśniewska",
  "Brzęczyszczykiewicz",
  "Οικονόμου",
  "Καραγιάννη",
  "Шевченко",
  "Коваленко",
  "Иванов",
  "Јовановић",
  "Ó Súilleabháin",
  "Mac Giolla Bhríde",
  "Yılmaz",
  "Çelik",
  "Dell’Acqua",
  "van der Berg",
  "Le Guével",
];
const TITLES = [
  "Formative assessment in practice",
  "Reading aloud in Year 1",
  "Digital assessment in the lower secondary classroom: practice and pitfalls",
  "Teaching mathematics through problem solving",
  "Inclusive classrooms: supporting pupils with special educational needs",
  "Climate education across the curriculum",
];
const KINDS: CertificateSnapshot["offeringKind"][] = [
  "mooc",
  "short_course",
  "webinar",
  "webinar_series",
  "online_event",
];
const LANGUAGES: CertificateSnapshot["language"][] = ["en", "nb", "sv", "fi"];
const ZONES = [
  "Europe/Oslo",
  "Europe/Helsinki",
  "Europe/Warsaw",
  "Europe/Athens",
  "Europe/Lisbon",
];

/** Small deterministic generator, so every run draws the same names. */
function random(seed: number) {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

interface BenchCertificate {
  code: string;
  issuedAt: Date;
  snapshot: CertificateSnapshot;
}

function makeCertificates(count: number, seed = 42): BenchCertificate[] {
  const next = random(seed);
  const pick = <T>(list: T[]) => list[Math.floor(next() * list.length)]!;
  const out: BenchCertificate[] = [];
  for (let i = 0; i < count; i++) {
    const name =
      i < REQUIRED_NAMES.length
        ? REQUIRED_NAMES[i]!
        : `${pick(FIRST)} ${pick(LAST)}`;
    const kind = KINDS[i % KINDS.length]!;
    const live =
      kind === "webinar" ||
      kind === "webinar_series" ||
      kind === "online_event";
    const starts = Date.UTC(2026, 0, 5) + Math.floor(next() * 200) * 86_400_000;
    out.push({
      code: generateCode(() => Math.floor(next() * 32)),
      issuedAt: new Date(starts + 60 * 86_400_000),
      snapshot: {
        holderName: name,
        offeringTitle: pick(TITLES),
        offeringKind: kind,
        offeringSlug: `offering-${i % 17}`,
        expectedMinutes: live ? null : 60 * (2 + (i % 20)),
        attendedMinutes: live ? 45 + (i % 300) : null,
        startsAt: new Date(starts).toISOString(),
        endsAt: new Date(starts + 40 * 86_400_000).toISOString(),
        completedAt: new Date(starts + 39 * 86_400_000).toISOString(),
        issuer: {
          platformName: "Kollega",
          organisationName: "European School Network",
          url: "https://kollega.example.org",
        },
        trainers: [
          `${pick(FIRST)} ${pick(LAST)}`,
          `${pick(FIRST)} ${pick(LAST)}`,
        ],
        language: LANGUAGES[i % LANGUAGES.length]!,
        timeZone: pick(ZONES),
      },
    });
  }
  return out;
}

// --- The two renderers -------------------------------------------------------

function collect(doc: PDFKit.PDFDocument): Promise<number> {
  return new Promise((resolve, reject) => {
    let size = 0;
    doc.on("data", (chunk: Buffer) => (size += chunk.length));
    doc.on("end", () => resolve(size));
    doc.on("error", reject);
  });
}

function renderProject(certificate: BenchCertificate): Promise<number> {
  return collect(certificateDocument(certificate));
}

/** The strings the project's certificate prints, worked out before the floor's clock starts. */
function floorTexts(certificate: BenchCertificate) {
  const { snapshot, code } = certificate;
  const t = (key: string, params?: Record<string, unknown>) =>
    translateKey(serverT(snapshot.language), key, params);
  const url = verificationUrl(snapshot.issuer.url, code);
  return {
    regular: [
      snapshot.issuer.organisationName,
      t("certificates.pdf.certifies"),
      t(`certificates.pdf.completedKinds.${snapshot.offeringKind}`),
      ...detailLines(snapshot),
      t("certificates.pdf.code"),
      t("certificates.pdf.verifyAt"),
      url,
      t("certificates.pdf.issuedBy", {
        organisation: snapshot.issuer.organisationName,
        platform: snapshot.issuer.platformName,
      }),
    ],
    bold: [
      snapshot.issuer.platformName.toUpperCase(),
      snapshot.offeringTitle,
      formatCode(code),
    ],
    serif: [t("certificates.pdf.title"), snapshot.holderName],
  };
}

/** The floor: bare pdfkit, same page, same pre-parsed fonts, same strings at fixed places; nothing else. */
function renderFloor(texts: ReturnType<typeof floorTexts>): Promise<number> {
  const fonts = certificateFonts();
  const doc = new PDFDocument({
    size: "A4",
    layout: "landscape",
    margin: 0,
    font: null as unknown as string,
  });
  doc.registerFont("sans", fonts.sans as unknown as Buffer);
  doc.registerFont("sansBold", fonts.sansBold as unknown as Buffer);
  doc.registerFont("serifBold", fonts.serifBold as unknown as Buffer);
  let y = 40;
  doc.font("sans").fontSize(11);
  for (const text of texts.regular)
    doc.text(text, 70, (y += 22), { lineBreak: false });
  doc.font("sansBold").fontSize(14);
  for (const text of texts.bold)
    doc.text(text, 70, (y += 22), { lineBreak: false });
  doc.font("serifBold").fontSize(28);
  for (const text of texts.serif)
    doc.text(text, 70, (y += 34), { lineBreak: false });
  doc.end();
  return collect(doc);
}

const mb = (bytes: number) => round(bytes / 1024 / 1024, 1);

/**
 * The highest RSS seen while `work` runs, sampled between certificates (the
 * event loop turns after each one). The process's lifetime maximum would
 * count the start instead: tsx compiling the app's modules on import
 * briefly takes more than rendering ever does.
 */
async function peakRssDuring<T>(
  work: () => Promise<T>
): Promise<{ result: T; peakMb: number; startMb: number }> {
  const startMb = mb(process.memoryUsage().rss);
  let peak = process.memoryUsage().rss;
  const sampler = setInterval(
    () => (peak = Math.max(peak, process.memoryUsage().rss)),
    5
  );
  try {
    const result = await work();
    peak = Math.max(peak, process.memoryUsage().rss);
    return { result, peakMb: mb(peak), startMb };
  } finally {
    clearInterval(sampler);
  }
}

// --- Part 1: rendering --------------------------------------------------------

async function benchRendering(count: number) {
  const items = makeCertificates(count);
  const floorInputs = items.map(floorTexts);
  // Warm both paths (JIT, font caches) on certificates outside the measured set.
  const warm = makeCertificates(WARMUP, 7);
  for (const certificate of warm) {
    await renderProject(certificate);
    await renderFloor(floorTexts(certificate));
  }
  const project: number[] = [];
  const floor: number[] = [];
  let projectMs = 0;
  let floorMs = 0;
  let projectBytes = 0;
  const memory = await peakRssDuring(async () => {
    for (let start = 0; start < count; start += ROUND_SIZE) {
      const end = Math.min(count, start + ROUND_SIZE);
      // Alternate which goes first, so neither always follows a garbage collection of the other.
      const order =
        (start / ROUND_SIZE) % 2 === 0
          ? ["project", "floor"]
          : ["floor", "project"];
      for (const which of order) {
        const roundStart = performance.now();
        for (let i = start; i < end; i++) {
          const t0 = performance.now();
          if (which === "project")
            projectBytes += await renderProject(items[i]!);
          else await renderFloor(floorInputs[i]!);
          (which === "project" ? project : floor).push(performance.now() - t0);
        }
        if (which === "project") projectMs += performance.now() - roundStart;
        else floorMs += performance.now() - roundStart;
      }
    }
  });
  return {
    project: { rate: (count * 1000) / projectMs, ...summarise(project) },
    floor: { rate: (count * 1000) / floorMs, ...summarise(floor) },
    averageKb: round(projectBytes / count / 1024, 1),
    peakRssMb: memory.peakMb,
    startRssMb: memory.startMb,
  };
}

// --- Part 2: the bulk ZIP -----------------------------------------------------

async function seedZipDatabase(url: string, count: number): Promise<string> {
  const handle = createDatabase({ kind: "postgres", url, poolSize: 2 });
  try {
    await applyMigrations(handle);
    const [offering] = await handle.db
      .insert(offerings)
      .values({
        slug: "bench-certificates",
        kind: "mooc",
        title: "Bench offering",
        language: "en",
        organiserTimeZone: "Europe/Oslo",
        status: "published",
      })
      .returning({ id: offerings.id });
    const items = makeCertificates(count, 99);
    for (let start = 0; start < count; start += 500) {
      const slice = items.slice(start, start + 500);
      const people = await handle.db
        .insert(users)
        .values(
          slice.map((_, j) => ({
            email: `bench-${start + j}@example.test`,
            passwordHash: "x",
            fullName: slice[j]!.snapshot.holderName,
            certificateName: slice[j]!.snapshot.holderName,
            country: "NO",
            school: "Bench School",
            schoolRole: "teacher" as const,
          }))
        )
        .returning({ id: users.id });
      const rows = await handle.db
        .insert(enrolments)
        .values(
          people.map((p) => ({
            offeringId: offering!.id,
            userId: p.id,
            status: "completed" as const,
            completedAt: new Date(),
          }))
        )
        .returning({ id: enrolments.id, userId: enrolments.userId });
      await handle.db.insert(certificates).values(
        rows.map((row, j) => ({
          code: slice[j]!.code,
          enrolmentId: row.id,
          userId: row.userId,
          offeringId: offering!.id,
          snapshot: slice[j]!.snapshot,
          issuedAt: slice[j]!.issuedAt,
          // The ZIP does not read the hash; any unique value will do here.
          pdfSha256: `${start + j}`.padStart(64, "0"),
        }))
      );
    }
    return offering!.id;
  } finally {
    await handle.close();
  }
}

/** Child process: stream the ZIP to /dev/null and report time, size and peak RSS as JSON. */
async function zipChild(url: string, offeringId: string) {
  const handle = createDatabase({ kind: "postgres", url, poolSize: 2 });
  const started = performance.now();
  let bytes = 0;
  const memory = await peakRssDuring(async () => {
    const archive = certificatesZip(handle.db, offeringId);
    archive.on("data", (chunk: Buffer) => (bytes += chunk.length));
    await pipeline(archive, createWriteStream("/dev/null"));
  });
  const seconds = (performance.now() - started) / 1000;
  await handle.close();
  process.stdout.write(
    JSON.stringify({
      seconds,
      bytes,
      peakRssMb: memory.peakMb,
      startRssMb: memory.startMb,
    }) + "\n"
  );
}

async function benchZip(count: number) {
  const name = await createBenchDatabase();
  try {
    const url = databaseUrlFor(name);
    const offeringId = await seedZipDatabase(url, count);
    const self = fileURLToPath(import.meta.url);
    const output = await new Promise<string>((resolve, reject) => {
      const child = spawn(
        process.execPath,
        [...process.execArgv, self, "--zip-child", url, offeringId],
        { stdio: ["ignore", "pipe", "inherit"] }
      );
      let text = "";
      child.stdout.on("data", (chunk: Buffer) => (text += chunk.toString()));
      child.on("error", reject);
      child.on("exit", (code) =>
        code === 0
          ? resolve(text)
          : reject(new Error(`ZIP child exited with ${code}`))
      );
    });
    const result = JSON.parse(output.trim().split("\n").pop()!) as {
      seconds: number;
      bytes: number;
      peakRssMb: number;
      startRssMb: number;
    };
    return { ...result, count };
  } finally {
    await dropBenchDatabase(name);
  }
}

// --- Main ----------------------------------------------------------------------

async function main() {
  if (process.argv[2] === "--zip-child") {
    await zipChild(process.argv[3]!, process.argv[4]!);
    return;
  }
  const count = Math.max(10, Number.parseInt(process.argv[2] ?? "", 10) || 500);
  const zipCount = Number(process.env.BENCH_ZIP_COUNT ?? 2_000);
  const startedAt = new Date();
  const machine = describeMachine({
    pdfkit: "0.20",
    pdftotext: tryVersion().replace(/^pdftotext version /, ""),
  });
  console.log(machine);
  console.log(
    `Rendering ${count} certificates (four languages, realistic European names), project and floor taking turns in rounds of ${ROUND_SIZE}…`
  );
  const rendering = await benchRendering(count);
  const ratio = rendering.project.rate / rendering.floor.rate;
  console.log("");
  console.log("                     cert/s    p50 ms    p99 ms");
  for (const [label, r] of [
    ["project (pdf.server)", rendering.project],
    ["floor (bare pdfkit) ", rendering.floor],
  ] as const) {
    console.log(
      `${label}  ${String(round(r.rate, 1)).padStart(7)}  ${String(
        round(r.p50, 1)
      ).padStart(8)}  ${String(round(r.p99, 1)).padStart(8)}`
    );
  }
  console.log(
    `ratio project/floor: ${round(ratio, 2)} (aim ≥ ${RATIO_FLOOR}) ${
      ratio >= RATIO_FLOOR ? "OK" : "BELOW AIM"
    }`
  );
  console.log(
    `average PDF: ${rendering.averageKb} KB; peak RSS while rendering: ${
      rendering.peakRssMb
    } MB (at start ${rendering.startRssMb} MB; aim < ${MEMORY_CEILING_MB}) ${
      rendering.peakRssMb < MEMORY_CEILING_MB ? "OK" : "ABOVE AIM"
    }`
  );
  console.log("");
  console.log(
    `Streaming the ZIP of ${zipCount} certificates to /dev/null in a child process…`
  );
  const zip = await benchZip(zipCount);
  const heldInMemory = mb(zip.bytes);
  console.log(
    `ZIP: ${zip.count} PDFs, ${mb(zip.bytes)} MB in ${round(
      zip.seconds,
      1
    )} s (${round(zip.count / zip.seconds, 1)} cert/s); peak RSS ${
      zip.peakRssMb
    } MB ` +
      `(at start ${
        zip.startRssMb
      } MB; the whole ZIP would be ${heldInMemory} MB) ${
        zip.peakRssMb < MEMORY_CEILING_MB ? "OK" : "ABOVE AIM"
      }`
  );
  console.log("");
  const summary =
    `certificates: ${round(rendering.project.rate, 1)} cert/s (p99 ${round(
      rendering.project.p99,
      1
    )} ms) vs floor ${round(rendering.floor.rate, 1)} cert/s = ratio ${round(
      ratio,
      2
    )} (aim ≥ ${RATIO_FLOOR}); ` +
    `peak RSS ${rendering.peakRssMb} MB rendering, ${
      zip.peakRssMb
    } MB streaming a ${zip.count}-certificate ZIP (${mb(zip.bytes)} MB)`;
  writeResult({
    bench: "certificates",
    title: "Certificates: `npm run bench:certificates`",
    command: `flock /tmp/kollega-bench.lock npm run bench:certificates${
      count === 500 ? "" : ` -- ${count}`
    }`,
    settings: { certificates: count, BENCH_ZIP_COUNT: zipCount },
    startedAt: startedAt.toISOString(),
    finishedAt: new Date().toISOString(),
    machine,
    figures: [
      {
        name: `certificate PDFs rendered by the project (${count}, four languages)`,
        value: round(rendering.project.rate, 1),
        unit: "cert/s",
        floor: {
          name: "bare pdfkit, same strings and fonts",
          value: round(rendering.floor.rate, 1),
        },
        ratio: ratioOf(rendering.project.rate, rendering.floor.rate, 2),
        aim: `ratio ≥ ${RATIO_FLOOR}`,
        met: ratio >= RATIO_FLOOR,
      },
      {
        name: "peak RSS while rendering",
        value: rendering.peakRssMb,
        unit: "MB",
        aim: `< ${MEMORY_CEILING_MB} MB`,
        met: rendering.peakRssMb < MEMORY_CEILING_MB,
      },
      {
        name: `peak RSS streaming the ZIP of ${zip.count} certificates (${mb(
          zip.bytes
        )} MB)`,
        value: zip.peakRssMb,
        unit: "MB",
        aim: `< ${MEMORY_CEILING_MB} MB`,
        met: zip.peakRssMb < MEMORY_CEILING_MB,
      },
    ],
    notes: [
      `Project p50 ${round(rendering.project.p50, 1)} ms, p99 ${round(
        rendering.project.p99,
        1
      )} ms per certificate; floor p50 ${round(
        rendering.floor.p50,
        1
      )} ms, p99 ${round(rendering.floor.p99, 1)} ms; average PDF ${
        rendering.averageKb
      } KB.`,
      `RSS at the start of rendering ${rendering.startRssMb} MB; ZIP: ${round(
        zip.seconds,
        1
      )} s (${round(zip.count / zip.seconds, 1)} cert/s), RSS ${
        zip.startRssMb
      } → ${zip.peakRssMb} MB.`,
    ],
    summary,
  });
  console.log(summary);
}

/** poppler prints its version on standard error. */
function tryVersion(): string {
  const run = spawnSync("pdftotext", ["-v"], { encoding: "utf8" });
  if (run.error) return "not installed";
  return `${run.stdout}${run.stderr}`.trim().split("\n")[0] ?? "unknown";
}

await main();
