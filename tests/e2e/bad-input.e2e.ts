import { randomBytes, randomUUID } from 'node:crypto';
import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { insertTestOffering, closeDb } from './support/db';
import { DEMO_PASSWORD, uniqueSuffix } from './support/flows';
import { fillRoute, matchRoute, parseForms, parseLinks, routePatterns, type DiscoveredForm, type FormField, type RoutePattern } from './support/forms';
import { baseUrl, databaseUrl } from './support/provided';

/**
 * Issue 7, "a bad-input suite": every form and every URL parameter the app
 * offers gets empty, overlong, wrong-type, malformed-date, SQL-like,
 * HTML/script and Unicode-confusable values. Every answer must be a 4xx or a
 * normal page, never a 5xx, and a refused input must leave the database as it
 * was. Forms are found by reading the pages each role can reach (the route
 * list with parameters filled from this file's own fixtures), not listed by
 * hand, so a new form or route is probed without touching this file — and a
 * route parameter nobody knows how to fill fails the test.
 *
 * Other e2e files run after this one against the same server and database:
 * every write goes to accounts and an offering made here (forms that name
 * demo data are left alone), rate-limit counters are put back, and what was
 * made is removed at the end.
 */

const sql = postgres(databaseUrl(), { max: 2, onnotice: () => {} });
const started = Date.now();
const suffix = uniqueSuffix();
const CONCURRENCY = 4;
const ONE_MB = 1024 * 1024;
/** The server's own limit for an ordinary form (app/modules/security/http-security.ts MAX_FORM_BYTES). */
const MAX_FORM_BYTES = 2 * 1024 * 1024;

/** Every form and batch with its answers, for reading after a run (tests/e2e/artifacts is gitignored). */
const LOG_PATH = 'tests/e2e/artifacts/bad-input.log';
mkdirSync('tests/e2e/artifacts', { recursive: true });
writeFileSync(LOG_PATH, '');
function log(line: string) {
  appendFileSync(LOG_PATH, `${((Date.now() - started) / 1000).toFixed(1).padStart(6)} s  ${line}\n`);
}

// --- Probes ------------------------------------------------------------------------

interface Probe {
  label: string;
  /** The value, encoded as a browser would. */
  value?: string;
  /** Bytes sent as they are, already percent-encoded (a lone surrogate cannot be a JS string a browser would send). */
  raw?: string;
}

const ONE_MB_VALUE = 'A'.repeat(ONE_MB);

/** Fields whose value the server must read as something other than free text. */
const FREE_TEXT = new Set(['text', 'textarea', 'search', 'email', 'password', 'tel', 'url']);

/**
 * What each field gets. Values of a kind travel together where one string can
 * carry them (both SQL fragments, both HTML fragments, the bidi override with
 * the zero-width joiner), so each field costs a dozen requests, not twenty.
 */
function probesFor(field: { name: string; type: string }): Probe[] {
  const emailish = field.type === 'email' || /e-?mail/i.test(field.name);
  const typed = FREE_TEXT.has(field.type)
    ? []
    : [
        { label: 'wrong type', value: 'not-a-number-or-date' },
        { label: 'huge negative number', value: '-99999999999999999999999999' },
        { label: 'malformed date', value: '2026-02-30' },
        { label: 'malformed date-time', value: '2026-13-45T25:61' },
      ];
  return [
    { label: 'empty', value: '' },
    ...typed,
    { label: 'SQL-like', value: "' OR 1=1 --'; DROP TABLE users; --" },
    { label: 'HTML/script', value: '<script>alert(1)</script>"><img src=x onerror=alert(1)>' },
    // A Cyrillic 'а' (U+0430) where a Latin 'a' is expected.
    { label: 'Cyrillic confusable', value: emailish ? 'trаiner.hansen@example.org' : 'kollegа-demо' },
    { label: 'RTL override and zero-width joiner', value: 'rep\u200Dort\u202Etxt.exe' },
    { label: 'NUL byte', value: 'a\u0000b' },
    { label: 'lone surrogate', raw: '%ED%A0%80' },
    { label: 'overlong (1 MB)', value: ONE_MB_VALUE },
  ];
}

function encodeProbe(probe: Probe): string {
  return probe.raw ?? encodeURIComponent(probe.value ?? '');
}

// --- Requests ----------------------------------------------------------------------

interface Outgoing {
  method: 'GET' | 'POST';
  /** Pathname and search, already encoded. */
  path: string;
  cookie?: string;
  contentType?: string;
  body?: Buffer;
}

interface Answer {
  status: number;
  text: string;
  location: string | null;
  setCookie: string[];
}

async function send(request: Outgoing): Promise<Answer> {
  const headers: Record<string, string> = { Accept: 'text/html' };
  if (request.cookie) headers.Cookie = request.cookie;
  if (request.method === 'POST') {
    // The server refuses posts without its own origin (CSRF defence), as a browser would send it.
    headers.Origin = baseUrl();
    if (request.contentType) headers['Content-Type'] = request.contentType;
  }
  const response = await fetch(`${baseUrl()}${request.path}`, { method: request.method, headers, body: request.body ? new Uint8Array(request.body) : undefined, redirect: 'manual' });
  const text = await response.text();
  return { status: response.status, text, location: response.headers.get('location'), setCookie: response.headers.getSetCookie() };
}

/** Runs `work` over `items` with at most `limit` at a time. */
async function inParallel<T, R>(items: T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) {
        const index = next++;
        results[index] = await work(items[index]!);
      }
    }),
  );
  return results;
}

// --- Database fingerprint ------------------------------------------------------------

/**
 * Tables whose rows change without a form being at fault: sessions (sliding
 * expiry), rate-limit counters, the audit trail, mail on its way out and the
 * built-in mailbox (the worker moves those along in the background).
 */
const UNWATCHED_TABLES = new Set(['sessions', 'rate_limits', 'audit_log', 'outbox_emails', 'mailbox_messages', '__drizzle_migrations']);
let watchedTables: string[] = [];

/** Rows of watched tables holding a value of a megabyte or more: what an accepted 1 MB probe would leave. */
async function megabyteRows(): Promise<string[]> {
  const parts = watchedTables.map((table) => `select '${table}' as t, count(*)::int as n from "${table}" x where octet_length(x::text) >= ${ONE_MB}`);
  const rows = await sql.unsafe<{ t: string; n: number }[]>(parts.join(' union all '));
  return rows.filter((row) => row.n > 0).map((row) => `${row.t} (${row.n} rows)`);
}

/** Row count and an md5 of the ordered rows of each watched table. */
async function fingerprint(): Promise<Map<string, string>> {
  const parts = watchedTables.map((table) => `select '${table}' as t, count(*)::text || ':' || coalesce(md5(string_agg(x::text, '|' order by x::text)), '') as f from "${table}" x`);
  const rows = await sql.unsafe<{ t: string; f: string }[]>(parts.join(' union all '));
  return new Map(rows.map((row) => [row.t, row.f]));
}

function changedTables(before: Map<string, string>, after: Map<string, string>): string[] {
  return [...before.keys()].filter((table) => before.get(table) !== after.get(table));
}

// --- Rate limits ---------------------------------------------------------------------

/**
 * Sign-in, registration and password reset count attempts per address in
 * PostgreSQL; this file's probes would use up what later files need (and
 * lock this file's own accounts). The counters are put back as they were.
 */
let rateLimitsAtStart: { key: string; points: number; expire: string | null }[] = [];
async function restoreRateLimits(): Promise<void> {
  await sql.begin(async (tx) => {
    await tx`delete from rate_limits`;
    for (const row of rateLimitsAtStart) await tx`insert into rate_limits (key, points, expire) values (${row.key}, ${row.points}, ${row.expire})`;
  });
}

// --- Fixtures ------------------------------------------------------------------------

type Role = 'anonymous' | 'participant' | 'trainer' | 'admin';
const ROLES: Role[] = ['anonymous', 'participant', 'trainer', 'admin'];

interface Account {
  id: string;
  email: string;
}

const accounts = {} as Record<Exclude<Role, 'anonymous'>, Account>;
const cookies: Partial<Record<Role, string>> = {};
let fixtureValues: Record<string, string> = {};
let preexisting = new Set<string>();
let dbStartedAt = new Date();

async function createAccount(role: Exclude<Role, 'anonymous'>, passwordHash: string): Promise<Account> {
  const email = `bad-input.${role}.${suffix}@example.org`;
  const [row] = await sql<{ id: string }[]>`
    insert into users (email, email_verified_at, password_hash, full_name, certificate_name, country, school, school_role, locale, time_zone, staff_status)
    values (${email}, now(), ${passwordHash}, ${`Probe ${role}`}, ${`Probe ${role}`}, 'NO', 'Probe school', 'teacher', 'en', 'Europe/Oslo',
      ${role === 'participant' ? 'pending' : 'none'})
    returning id`;
  const id = row!.id;
  if (role === 'trainer' || role === 'admin') await sql`insert into user_roles (user_id, role) values (${id}, ${role})`;
  if (role === 'participant') {
    // A pending staff validation of this file's own, so the queue shows a decision form that may be probed.
    await sql`insert into staff_validation_requests (user_id, country, school, school_role, note) values (${id}, 'NO', 'Probe school', 'teacher', 'Probe')`;
  }
  return { id, email };
}

async function signIn(role: Exclude<Role, 'anonymous'>): Promise<void> {
  // Probes of the sign-in form may have locked the account for a while.
  await restoreRateLimits();
  const body = new URLSearchParams({ email: accounts[role].email, password: DEMO_PASSWORD });
  const answer = await send({ method: 'POST', path: '/login', contentType: 'application/x-www-form-urlencoded', body: Buffer.from(body.toString()) });
  if (answer.status !== 302 && answer.status !== 303) throw new Error(`Signing in as the ${role} answered ${answer.status}: ${answer.text.slice(0, 300)}`);
  cookies[role] = answer.setCookie.map((line) => line.split(';')[0]).join('; ');
}

let passwordHash = '';

/**
 * Probes of the profile forms may change this file's accounts' address or
 * password (a SQL-like new password is a fine password); both are put back
 * so the accounts can still sign in.
 */
async function restoreAccounts(): Promise<void> {
  for (const account of Object.values(accounts)) {
    await sql`update users set email = ${account.email}, password_hash = ${passwordHash} where id = ${account.id} and (email <> ${account.email} or password_hash <> ${passwordHash})`;
  }
}

async function stillSignedIn(role: Role): Promise<boolean> {
  if (role === 'anonymous') return true;
  const answer = await send({ method: 'GET', path: '/dashboard', cookie: cookies[role] });
  return answer.status === 200;
}

/**
 * Every identifier that existed before this file made its fixtures: ids,
 * addresses, offering slugs and certificate codes of the demo data and of
 * earlier files. A form that names one of them is not submitted.
 */
async function collectPreexisting(): Promise<Set<string>> {
  const tables = await sql<{ table_name: string }[]>`
    select table_name from information_schema.columns
    where table_schema = 'public' and column_name = 'id' and data_type = 'uuid'`;
  const found = new Set<string>();
  for (const { table_name } of tables) {
    for (const row of await sql.unsafe<{ id: string }[]>(`select id::text as id from "${table_name}"`)) found.add(row.id);
  }
  for (const row of await sql<{ v: string }[]>`select email as v from users union all select slug from offerings union all select code from certificates`) found.add(row.v);
  return found;
}

async function createFixtures(): Promise<void> {
  const [demo] = await sql<{ password_hash: string }[]>`select password_hash from users where email = 'trainer.hansen@example.org'`;
  if (!demo) throw new Error('The demo trainer is missing: is the server in demo mode?');
  for (const role of ['participant', 'trainer', 'admin'] as const) accounts[role] = await createAccount(role, demo.password_hash);

  const day = 24 * 3600 * 1000;
  const now = Date.now();
  const question = (prompt: string) => ({
    id: randomUUID(),
    prompt,
    multiple: false,
    choices: [
      { id: randomUUID(), label: 'Right', correct: true },
      { id: randomUUID(), label: 'Wrong', correct: false },
    ],
  });
  const offering = await insertTestOffering({
    slug: `bad-input-${suffix}`,
    title: `Bad input ${suffix}`,
    kind: 'short_course',
    organiserTimeZone: 'Europe/Oslo',
    // Within a short course's rules (under four weeks), so the trainer's forms are refused for the probe, not for the offering.
    enrolmentOpensAt: new Date(now - 10 * day),
    enrolmentClosesAt: new Date(now + 10 * day),
    startsAt: new Date(now - 5 * day),
    endsAt: new Date(now + 20 * day),
    capacity: 50,
    waitlistEnabled: true,
    trainer: accounts.trainer.email,
    modules: [
      {
        title: 'Probed module',
        releaseAt: new Date(now - 5 * day),
        activities: [
          { kind: 'page', title: 'Probed page', content: { kind: 'page', body: 'Read this.', videoUrl: '' } },
          { kind: 'quiz', title: 'Probed quiz', content: { kind: 'quiz', intro: 'One question.', passMarkPercent: 50, attemptsAllowed: 3, questions: [question('One?')] } },
          { kind: 'assignment', title: 'Probed assignment', content: { kind: 'assignment', prompt: 'Write a plan.', submission: 'text' } },
          { kind: 'discussion', title: 'Probed discussion', content: { kind: 'discussion', prompt: 'Discuss.' } },
        ],
      },
    ],
  });
  const [session] = await sql<{ id: string }[]>`
    insert into live_sessions (offering_id, title, starts_at, organiser_time_zone, duration_minutes, join_url)
    values (${offering.id}, 'Probed session', ${new Date(now - 2 * day)}, 'Europe/Oslo', 60, 'https://meet.example.org/probe')
    returning id`;
  await sql`insert into submissions (user_id, activity_id, body) values (${accounts.participant.id}, ${offering.activityIds['Probed assignment']!}, 'My plan.')`;
  await sql`insert into discussion_posts (activity_id, author_id, body) values (${offering.activityIds['Probed discussion']!}, ${accounts.participant.id}, 'A first post.')`;
  const feedToken = randomBytes(24).toString('base64url');
  await sql`insert into calendar_feeds (user_id, token, created_at) values (${accounts.participant.id}, ${feedToken}, now())`;
  // Certificates are made by the worker after completion; a GET of one only reads, so any certificate will do.
  const [certificate] = await sql<{ id: string; code: string }[]>`select id, code from certificates order by issued_at limit 1`;

  fixtureValues = {
    slug: offering.slug,
    offeringId: offering.id,
    activityId: offering.activityIds['Probed assignment']!,
    sessionId: session!.id,
    certificateId: certificate?.id ?? randomUUID(),
    code: certificate?.code ?? 'KLG-0000-0000',
    feedToken,
    invitationToken: randomBytes(24).toString('base64url'),
  };
}

/**
 * The value of each route parameter. A route whose parameter is not known
 * here fails the suite: a new route must say what to probe it with.
 */
function paramValues(route: RoutePattern): Record<string, string> {
  const values: Record<string, string> = {};
  const first = route.segments[0] ?? '';
  for (const param of route.params) {
    if (param === 'slug') values.slug = fixtureValues.slug!;
    else if (param === 'activityId') values.activityId = fixtureValues.activityId!;
    else if (param === 'sessionId') values.sessionId = fixtureValues.sessionId!;
    else if (param === 'code') values.code = fixtureValues.code!;
    else if (param === 'id' && first === 'trainer') values.id = fixtureValues.offeringId!;
    else if (param === 'id' && first === 'sessions') values.id = fixtureValues.sessionId!;
    else if (param === 'id' && first === 'certificates') values.id = fixtureValues.certificateId!;
    else if (param === 'id' && first === 'dev') values.id = randomUUID();
    else if (param === 'token' && first === 'calendar') values.token = fixtureValues.feedToken!;
    else if (param === 'token' && first === 'invitations') values.token = fixtureValues.invitationToken!;
    else throw new Error(`The bad-input suite does not know what to fill :${param} of app/routes/${route.file} with: add it to paramValues`);
  }
  return values;
}

// --- Discovery -----------------------------------------------------------------------

interface FoundForm extends DiscoveredForm {
  role: Role;
}

/** Routes whose GET does something a probe run must not do (signing out is a form post; this only guards against a GET that would). */
const NOT_CRAWLED = new Set(['logout.ts']);

/** Per route file, the roles whose GET of it (parameters from the fixtures) answered 200. */
const openedBy = new Map<string, Role[]>();

/** Pathname and search keys seen in links and GET forms, per route file: the search parameters each page takes. */
const searchParamsByRoute = new Map<string, Set<string>>();

function noteSearchParams(routes: RoutePattern[], target: string) {
  const url = new URL(target, baseUrl());
  const route = matchRoute(routes, url.pathname);
  if (!route) return;
  const known = searchParamsByRoute.get(route.file) ?? new Set<string>();
  for (const key of url.searchParams.keys()) if (key !== 'index' && key !== '_data') known.add(key);
  searchParamsByRoute.set(route.file, known);
}

async function discover(routes: RoutePattern[]): Promise<{ forms: FoundForm[]; pages: number }> {
  const forms: FoundForm[] = [];
  let pages = 0;
  // A page reached through a link with a search is read once, by the first role that finds it.
  const shapesSeen = new Set<string>();
  for (const role of ROLES) {
    const seen = new Set<string>();
    const queue: { path: string; depth: number }[] = [];
    for (const route of routes) {
      if (NOT_CRAWLED.has(route.file)) continue;
      const path = fillRoute(route, paramValues(route));
      if (!seen.has(path)) {
        seen.add(path);
        queue.push({ path, depth: 0 });
      }
    }
    while (queue.length > 0) {
      const batch = queue.splice(0, queue.length);
      await inParallel(batch, CONCURRENCY, async ({ path, depth }) => {
        const answer = await send({ method: 'GET', path, cookie: cookies[role] });
        pages++;
        expect(answer.status, `GET ${path} as ${role}: ${answer.text.slice(0, 200)}`).toBeLessThan(500);
        const route = depth === 0 ? matchRoute(routes, path.split('?')[0]!) : undefined;
        if (route && answer.status === 200) openedBy.set(route.file, [...(openedBy.get(route.file) ?? []), role]);
        if (answer.status !== 200 || !answer.text.startsWith('<!DOCTYPE html>')) return;
        for (const form of parseForms(answer.text, `${baseUrl()}${path}`)) {
          forms.push({ ...form, role });
          if (form.method === 'get') noteSearchParams(routes, `${form.action}?${form.fields.map((f) => `${encodeURIComponent(f.name)}=`).join('&')}`);
        }
        for (const link of parseLinks(answer.text, `${baseUrl()}${path}`)) {
          noteSearchParams(routes, link);
          // One step further than the route list: pages only reachable with a search (filters, tabs, pages of a list).
          const linkUrl = new URL(link, baseUrl());
          const route = matchRoute(routes, linkUrl.pathname);
          if (depth === 0 && route && !NOT_CRAWLED.has(route.file) && linkUrl.search && !mentionsPreexisting(link) && !seen.has(link)) {
            const shape = `${route.file}?${[...linkUrl.searchParams.keys()].sort().join('&')}`;
            if (!shapesSeen.has(shape)) {
              shapesSeen.add(shape);
              seen.add(link);
              queue.push({ path: link, depth: 1 });
            }
          }
        }
      });
    }
  }
  return { forms, pages };
}

function mentionsPreexisting(text: string): boolean {
  const decoded = safeDecode(text);
  for (const token of decoded.split(/[/?&=#\s]+/)) if (token && preexisting.has(token.toLowerCase())) return true;
  return false;
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** A form of the same shape (action with ids blanked, field names, button) is probed once, by the first role that found it. */
function shapeOf(form: DiscoveredForm): string {
  // A page's own search (?remove=…, ?confirm=…, ?redirectTo=…) posts to the same action; Remix's ?index does not.
  const [pathname, search = ''] = form.action.split('?');
  const action = `${pathname!.replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, ':id')}${/(^|&)index(=|&|$)/.test(search) ? '?index' : ''}`;
  const names = [...new Set(form.fields.map((f) => f.name))].sort().join(',');
  return `${form.method} ${action} [${names}] ${form.submitter ? `${form.submitter.name}=${form.submitter.value}` : ''}`;
}

function namesDemoData(form: DiscoveredForm): boolean {
  if (mentionsPreexisting(form.action)) return true;
  return form.fields.some((field) => preexisting.has(field.value.toLowerCase()));
}

/** Forms that end something (a session, an enrolment, a record): probed after the others of their role. */
function isDestructive(form: DiscoveredForm): boolean {
  const words = `${form.action} ${form.id} ${form.submitter?.value ?? ''} ${form.fields.filter((f) => f.type === 'hidden').map((f) => f.value).join(' ')}`;
  return /logout|sign-?out|delete|remove|leave|unenrol|withdraw|revoke|cancel|archive|everywhere/i.test(words);
}

// --- Probing forms -------------------------------------------------------------------

/** A valid value for a field the page leaves empty, so a probe of another field is not refused for this one. */
function baselineValue(form: DiscoveredForm, field: FormField, role: Role, n: number): string {
  if (field.value !== '' || field.type === 'hidden' || field.untabbable) return field.value;
  if (field.type === 'password') return DEMO_PASSWORD;
  if (field.type === 'email' || /e-?mail/i.test(field.name)) {
    // Signing in needs an account that exists; everything else gets an address of its own.
    if (form.action.startsWith('/login') && role === 'anonymous') return accounts.participant.email;
    return `bad-input.new.${suffix}.${n}@example.org`;
  }
  const tomorrow = new Date(Date.now() + 24 * 3600 * 1000);
  if (field.type === 'date') return tomorrow.toISOString().slice(0, 10);
  if (field.type === 'datetime-local') return `${tomorrow.toISOString().slice(0, 10)}T10:00`;
  if (field.type === 'time') return '10:00';
  if (field.type === 'number' || field.type === 'range') return field.min && field.min !== '' ? field.min : '1';
  if (field.type === 'url') return 'https://example.org/probe';
  if (field.type === 'select') return field.options.find((o) => o !== '') ?? '';
  if (field.type === 'file') return '';
  return `Probe ${n}`;
}

interface Part {
  name: string;
  /** Already percent-encoded for urlencoded bodies and query strings. */
  encoded: string;
  file?: boolean;
}

function partsFor(form: FoundForm, n: number, target?: { name: string; probe: Probe }): Part[] {
  const parts: Part[] = [];
  const doneTarget = new Set<string>();
  for (const field of form.fields) {
    if ((field.type === 'checkbox' || field.type === 'radio') && !field.checked && field.name !== target?.name) continue;
    if (field.type === 'radio' && parts.some((p) => p.name === field.name)) continue;
    if (target && field.name === target.name) {
      if (doneTarget.has(field.name)) continue;
      doneTarget.add(field.name);
      parts.push({ name: field.name, encoded: encodeProbe(target.probe), file: field.type === 'file' });
    } else {
      parts.push({ name: field.name, encoded: encodeURIComponent(baselineValue(form, field, form.role, n)), file: field.type === 'file' });
    }
  }
  if (form.submitter) parts.push({ name: form.submitter.name, encoded: encodeURIComponent(form.submitter.value) });
  return parts;
}

function multipartBody(parts: Part[]): { body: Buffer; contentType: string } {
  const boundary = `----probe${randomBytes(8).toString('hex')}`;
  const chunks: Buffer[] = [];
  for (const part of parts) {
    // Percent-decoding to bytes keeps a lone surrogate's raw bytes as they are.
    const bytes = Buffer.from(part.encoded.replace(/%([0-9A-F]{2})/gi, (_, hex: string) => String.fromCharCode(parseInt(hex, 16))), 'latin1');
    const disposition = part.file
      ? `Content-Disposition: form-data; name="${part.name}"; filename="${bytes.length > 0 ? 'probe.csv' : ''}"\r\nContent-Type: application/octet-stream`
      : `Content-Disposition: form-data; name="${part.name}"`;
    chunks.push(Buffer.from(`--${boundary}\r\n${disposition}\r\n\r\n`), bytes, Buffer.from('\r\n'));
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { body: Buffer.concat(chunks), contentType: `multipart/form-data; boundary=${boundary}` };
}

function requestFor(form: FoundForm, parts: Part[]): Outgoing {
  const cookie = cookies[form.role];
  const query = parts.map((p) => `${encodeURIComponent(p.name)}=${p.encoded}`).join('&');
  if (form.method === 'get') {
    const [pathname] = form.action.split('?');
    return { method: 'GET', path: `${pathname}?${query}`, cookie };
  }
  if (form.enctype === 'multipart/form-data') {
    const { body, contentType } = multipartBody(parts);
    return { method: 'POST', path: form.action, cookie, body, contentType };
  }
  return { method: 'POST', path: form.action, cookie, body: Buffer.from(query, 'latin1'), contentType: 'application/x-www-form-urlencoded' };
}

interface ProbeRun {
  what: string;
  request: Outgoing;
  answer?: Answer;
}

/** What a refused page marks invalid (field names), or the start of its message. */
function invalidFields(html: string): string {
  const names = [...html.matchAll(/<(?:input|select|textarea)\b[^>]*aria-invalid="true"[^>]*>/g)].map((tag) => /name="([^"]*)"/.exec(tag[0])?.[1] ?? '?');
  if (names.length > 0) return `invalid ${names.join(', ')}`;
  const alert = /role="alert"[^>]*>([\s\S]{0,160})/.exec(html)?.[1];
  return (alert ?? html).replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').trim().slice(0, 160);
}

/** A refusal: a 4xx, or a page sent back with a field marked invalid or an alert. */
function refused(answer: Answer): boolean {
  if (answer.status >= 400 && answer.status < 500) return true;
  return answer.status === 200 && /aria-invalid="true"|role="alert"/.test(answer.text);
}

const statusCounts = new Map<number, number>();
const failures: string[] = [];
let probesSent = 0;

function record(run: ProbeRun) {
  const answer = run.answer!;
  probesSent++;
  statusCounts.set(answer.status, (statusCounts.get(answer.status) ?? 0) + 1);
  if (answer.status >= 500) {
    failures.push(`${run.what}: ${answer.status} ${answer.text.replace(/\s+/g, ' ').slice(0, 200)}`);
    log(`FAIL ${failures.at(-1)}`);
  }
  else if (answer.status >= 400 && answer.text.trim() === '') failures.push(`${run.what}: ${answer.status} without a message`);
}

/**
 * Sends a batch of probes and checks that the refused ones changed nothing.
 * When some were accepted the batch's own fingerprints cannot tell who
 * changed what, so the refused ones are sent again on their own; a change
 * then is narrowed down one probe at a time (a change no single probe makes
 * again was the worker's, in the background).
 *
 * Sign-in, registration, password checks count attempts per address or
 * account: a probe answered 429 is sent again after the counters are put
 * back, so it reaches the code it is meant to test.
 */
async function runBatch(label: string, runs: ProbeRun[]): Promise<void> {
  if (runs.length === 0) return;
  const sendPast429 = async (request: Outgoing): Promise<Answer> => {
    let answer = await send(request);
    for (let attempt = 0; answer.status === 429 && attempt < 3; attempt++) {
      await restoreRateLimits();
      answer = await send(request);
    }
    return answer;
  };
  const before = await fingerprint();
  const batchStarted = Date.now();
  await inParallel(runs, CONCURRENCY, async (run) => {
    run.answer = await sendPast429(run.request);
    record(run);
  });
  const after = await fingerprint();
  for (const run of runs) {
    if (run.what.endsWith(' baseline') && refused(run.answer!)) log(`note: ${run.what} refused with ${run.answer!.status}: ${invalidFields(run.answer!.text)}`);
    if (run.what.endsWith('overlong (1 MB)') && !refused(run.answer!) && run.request.method === 'POST') log(`note: ${run.what} answered ${run.answer!.status}`);
  }
  const statuses = new Map<number, number>();
  for (const run of runs) statuses.set(run.answer!.status, (statuses.get(run.answer!.status) ?? 0) + 1);
  log(`${label}: ${runs.length} probes in ${Date.now() - batchStarted} ms → ${[...statuses].map(([s, c]) => `${s}×${c}`).join(' ')}`);
  const refusedRuns = runs.filter((run) => refused(run.answer!));
  if (refusedRuns.length === 0) return;
  const changed = changedTables(before, after);
  if (changed.length === 0) return;
  if (refusedRuns.length < runs.length) {
    const again = await fingerprint();
    await inParallel(refusedRuns, CONCURRENCY, (run) => sendPast429(run.request));
    if (changedTables(again, await fingerprint()).length === 0) return;
  }
  const changesAlone = async (run: ProbeRun): Promise<{ answer: Answer; tables: string[] }> => {
    const one = await fingerprint();
    const answer = await sendPast429(run.request);
    return { answer, tables: changedTables(one, await fingerprint()) };
  };
  for (const run of refusedRuns) {
    const first = await changesAlone(run);
    if (!refused(first.answer) || first.tables.length === 0) continue;
    // A refusal that writes does so every time; a change seen once was the worker's, in the background.
    const { answer, tables } = await changesAlone(run);
    if (refused(answer) && tables.length > 0) {
      failures.push(`${run.what}: refused with ${answer.status} but changed ${tables.join(', ')}`);
      log(`FAIL ${failures.at(-1)}`);
    }
  }
}

/** Probes a field's own validation usually lets through as text; the others are refused in most places. */
const OFTEN_ACCEPTED = new Set(['baseline', 'SQL-like', 'HTML/script', 'Cyrillic confusable', 'RTL override and zero-width joiner']);

/** Pages with an upload take bodies above the ordinary form limit (http-security.ts UPLOAD_CEILINGS). */
const UPLOAD_ACTION = /^\/(trainer\/offerings\/[^/]+\/sessions\/[^/?]+|verify\/?)(\?|$)/;
const oversizeChecked = new Set<string>();

/** Actions (with their field names) whose fields were probed already: a second submit button of the same form adds only its own probes. */
const fieldsProbed = new Set<string>();

async function probeForm(form: FoundForm): Promise<void> {
  const where = `${form.role} ${form.method.toUpperCase()} ${form.action}${form.submitter ? ` (${form.submitter.name}=${form.submitter.value})` : ''}`;
  const runs: (ProbeRun & { label: string })[] = [];
  let n = 0;
  const names = [...new Set(form.fields.filter((f) => f.type !== 'file').map((f) => f.name))];
  const fieldsKey = `${form.role} ${shapeOf({ ...form, submitter: undefined })}`;
  const fieldNames = fieldsProbed.has(fieldsKey) ? [] : names;
  fieldsProbed.add(fieldsKey);
  for (const name of fieldNames) {
    const field = form.fields.find((f) => f.name === name)!;
    for (const probe of probesFor(field)) {
      runs.push({ label: probe.label, what: `${where} ${name}=${probe.label}`, request: requestFor(form, partsFor(form, n++, { name, probe })) });
    }
  }
  // A submit button's value is as much the sender's to choose as any field.
  if (form.submitter) {
    for (const probe of probesFor({ name: form.submitter.name, type: 'hidden' })) {
      const parts = partsFor(form, n++).filter((p) => p.name !== form.submitter!.name);
      parts.push({ name: form.submitter.name, encoded: encodeProbe(probe) });
      runs.push({ label: probe.label, what: `${where} ${form.submitter.name}=${probe.label}`, request: requestFor(form, parts) });
    }
  }
  // The form as the page fills it: were it refused, every probe would stop at the same first problem (logged, to improve baselineValue).
  if (fieldNames.length > 0) runs.push({ label: 'baseline', what: `${where} baseline`, request: requestFor(form, partsFor(form, n++)) });
  // Two batches, so the one that is usually refused throughout is checked against the database without sending anything twice.
  await runBatch(`${where} (refused as a rule)`, runs.filter((run) => !OFTEN_ACCEPTED.has(run.label)));
  await runBatch(`${where} (text values)`, runs.filter((run) => OFTEN_ACCEPTED.has(run.label)));

  // A body over the server's form limit is refused before any action reads it (once per address).
  const path = form.action.split('?')[0]!;
  if (form.method === 'post' && !UPLOAD_ACTION.test(form.action) && !oversizeChecked.has(path)) {
    oversizeChecked.add(path);
    const run: ProbeRun = {
      what: `${where} body over ${MAX_FORM_BYTES} bytes`,
      request: requestFor(form, [...partsFor(form, n++), { name: 'padding', encoded: 'B'.repeat(MAX_FORM_BYTES + 1) }]),
    };
    run.answer = await send(run.request);
    record(run);
    if (run.answer.status !== 413) {
      failures.push(`${run.what}: expected 413, got ${run.answer.status}`);
      log(`FAIL ${failures.at(-1)}`);
    }
  }
}

// --- URL parameters ------------------------------------------------------------------

/** The longest request line the server reads (Node's default header limit is 16 KB) and one beyond it. */
const LONG_URL_CHARS = 12_000;
const TOO_LONG_URL_CHARS = 20_000;

function urlProbes(): Probe[] {
  return [
    ...probesFor({ name: 'param', type: 'hidden' }).filter((probe) => probe.label !== 'overlong (1 MB)'),
    { label: 'path traversal', raw: '..%2F..%2Fetc%2Fpasswd' },
    { label: `long (${LONG_URL_CHARS} chars)`, value: 'A'.repeat(LONG_URL_CHARS) },
    { label: `too long (${TOO_LONG_URL_CHARS} chars)`, value: 'A'.repeat(TOO_LONG_URL_CHARS) },
  ];
}

/**
 * Each route's parameters are probed as one role: the first that may open
 * it (so the probe reaches past the guard), or anonymous when none may.
 */
function roleForRoute(route: RoutePattern): Role {
  const roles = openedBy.get(route.file) ?? [];
  return (['trainer', 'participant', 'admin', 'anonymous'] as const).find((role) => roles.includes(role)) ?? 'anonymous';
}

async function probeUrls(routes: RoutePattern[]): Promise<void> {
  const runs: ProbeRun[] = [];
  for (const route of routes) {
    if (NOT_CRAWLED.has(route.file)) continue;
    const role = roleForRoute(route);
    const values = paramValues(route);
    for (const param of route.params) {
      for (const probe of urlProbes()) {
        // Each probe keeps the other parameters valid; the probed one is sent encoded as it is.
        const filled = Object.fromEntries(Object.entries(values).map(([k, v]) => [k, encodeURIComponent(v)]));
        filled[param] = encodeProbe(probe);
        runs.push({ what: `${role} GET ${route.file} :${param}=${probe.label}`, request: { method: 'GET', path: fillRoute(route, filled, { raw: true }), cookie: cookies[role] } });
      }
    }
    for (const key of searchParamsByRoute.get(route.file) ?? []) {
      const pathname = fillRoute(route, values);
      for (const probe of urlProbes()) {
        runs.push({
          what: `${role} GET ${route.file} ?${key}=${probe.label}`,
          request: { method: 'GET', path: `${pathname}?${encodeURIComponent(key)}=${encodeProbe(probe)}`, cookie: cookies[role] },
        });
      }
    }
  }
  await runBatch('URL parameters', runs);
}

// --- Uploads -------------------------------------------------------------------------

const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8cf00000301010018dd8db00000000049454e44ae426082', 'hex');
/** An empty ZIP archive (just its end-of-central-directory record). */
const ZIP = Buffer.from('504b0506000000000000000000000000000000000000', 'hex');

function uploadBody(fields: Record<string, string>, file: { field: string; name: string; type: string; bytes: Buffer }): { body: Buffer; contentType: string } {
  const boundary = `----upload${randomBytes(8).toString('hex')}`;
  const chunks: Buffer[] = [];
  for (const [name, value] of Object.entries(fields)) chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`));
  chunks.push(
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${file.field}"; filename="${file.name}"\r\nContent-Type: ${file.type}\r\n\r\n`),
    file.bytes,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  );
  return { body: Buffer.concat(chunks), contentType: `multipart/form-data; boundary=${boundary}` };
}

// --- The suite -----------------------------------------------------------------------

const routes = routePatterns();
let discovered: FoundForm[] = [];
let pagesRead = 0;
beforeAll(async () => {
  const [clock] = await sql<{ now: Date }[]>`select now()`;
  dbStartedAt = clock!.now;
  preexisting = new Set([...(await collectPreexisting())].map((v) => v.toLowerCase()));
  rateLimitsAtStart = await sql<{ key: string; points: number; expire: string | null }[]>`select key, points, expire::text as expire from rate_limits`;
  const tables = await sql<{ table_name: string }[]>`select table_name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE' order by 1`;
  watchedTables = tables.map((t) => t.table_name).filter((t) => !UNWATCHED_TABLES.has(t));
  await createFixtures();
  for (const role of ['participant', 'trainer', 'admin'] as const) await signIn(role);
  // Enrolled the way a person enrols, so the seat count agrees with the enrolment (leaving gives the seat back).
  const enrolled = await send({
    method: 'POST',
    path: `/offerings/${fixtureValues.slug}/enrolment`,
    cookie: cookies.participant,
    contentType: 'application/x-www-form-urlencoded',
    body: Buffer.from('intent=enrol'),
  });
  expect(enrolled.status, 'the participant enrols').toBe(302);
  const [stored] = await sql<{ password_hash: string }[]>`select password_hash from users where id = ${accounts.participant.id}`;
  passwordHash = stored!.password_hash;
});

afterAll(async () => {
  try {
    await restoreRateLimits();
    // What this file made (and what its accepted probes made) goes, so later files see the database they expect.
    const mine = await sql<{ id: string }[]>`select id from offerings where created_at >= ${dbStartedAt} or created_by in (select id from users where created_at >= ${dbStartedAt})`;
    const offeringIds = mine.map((row) => row.id);
    if (offeringIds.length > 0) {
      await sql`update certificates set superseded_by_id = null where offering_id = any(${offeringIds}::uuid[])`;
      await sql`delete from certificates where offering_id = any(${offeringIds}::uuid[])`;
      await sql`delete from offerings where id = any(${offeringIds}::uuid[])`;
    }
    await sql`delete from users where created_at >= ${dbStartedAt}`;
  } finally {
    await sql.end({ timeout: 5 });
    await closeDb();
  }
});

describe('bad input', () => {
  // First: the form probes' destructive end (removing the session, for one) comes after it.
  test('uploads: the attendance report and the certificate PDF check refuse files that are too large or of the wrong type', async () => {
    const sessionPage = `/trainer/offerings/${fixtureValues.offeringId}/sessions/${fixtureValues.sessionId}`;
    if (!(await stillSignedIn('trainer'))) await signIn('trainer');
    const cases: { what: string; path: string; cookie?: string; fields: Record<string, string>; file: { field: string; name: string; type: string; bytes: Buffer }; status: number[] }[] = [
      { what: 'report: a PNG named .csv', path: sessionPage, cookie: cookies.trainer, fields: { intent: 'preview' }, file: { field: 'report', name: 'report.csv', type: 'text/csv', bytes: PNG }, status: [400, 415, 422] },
      { what: 'report: a ZIP named .csv', path: sessionPage, cookie: cookies.trainer, fields: { intent: 'preview' }, file: { field: 'report', name: 'report.csv', type: 'text/csv', bytes: ZIP }, status: [400, 415, 422] },
      { what: 'report: 5 MB and one byte', path: sessionPage, cookie: cookies.trainer, fields: { intent: 'preview' }, file: { field: 'report', name: 'report.csv', type: 'text/csv', bytes: Buffer.alloc(5 * ONE_MB + 1, 0x61) }, status: [413] },
      { what: 'PDF check: a PNG named .pdf', path: '/verify?index', fields: {}, file: { field: 'pdf', name: 'certificate.pdf', type: 'application/pdf', bytes: PNG }, status: [400, 415, 422] },
      { what: 'PDF check: a ZIP named .pdf', path: '/verify?index', fields: {}, file: { field: 'pdf', name: 'certificate.pdf', type: 'application/pdf', bytes: ZIP }, status: [400, 415, 422] },
      { what: 'PDF check: 10 MB and one byte', path: '/verify?index', fields: {}, file: { field: 'pdf', name: 'certificate.pdf', type: 'application/pdf', bytes: Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.alloc(10 * ONE_MB - 8, 0x20)]) }, status: [413] },
    ];
    for (const item of cases) {
      const before = await fingerprint();
      const { body, contentType } = uploadBody(item.fields, item.file);
      const answer = await send({ method: 'POST', path: item.path, cookie: item.cookie, body, contentType });
      expect(item.status, `${item.what}: answered ${answer.status} ${answer.text.slice(0, 200)}`).toContain(answer.status);
      expect(answer.text.trim().length, `${item.what}: a message comes with the ${answer.status}`).toBeGreaterThan(0);
      expect(changedTables(before, await fingerprint()), `${item.what}: nothing stored`).toEqual([]);
    }
  });

  test('every form and URL parameter answers bad values with a 4xx or a normal page, and refusals change nothing', { timeout: 600_000 }, async () => {
    const found = await discover(routes);
    pagesRead = found.pages;
    discovered = found.forms;

    const chosen = new Map<string, FoundForm>();
    let skippedDemo = 0;
    for (const form of discovered) {
      const shape = shapeOf(form);
      if (chosen.has(shape)) continue;
      if (namesDemoData(form)) {
        skippedDemo++;
        continue;
      }
      chosen.set(shape, form);
    }
    const forms = [...chosen.values()];
    log(`discovery: ${pagesRead} pages, ${discovered.length} forms, ${forms.length} distinct, ${skippedDemo} naming demo data`);
    for (const form of forms) log(`  form ${form.role} ${shapeOf(form)} on ${form.page}`);
    // Every role must have found something to send, or discovery is broken (e.g. signed out).
    for (const role of ROLES) expect(discovered.some((form) => form.role === role), `${role} found forms`).toBe(true);

    // Forms that end something (signing out, leaving, deleting) go after everything else, URL parameters included.
    const gone = new Set<Role>();
    const probeAll = async (list: FoundForm[]) => {
      for (const form of list) {
        if (gone.has(form.role)) continue;
        await probeForm(form);
        await restoreAccounts();
        if (await stillSignedIn(form.role)) continue;
        try {
          await signIn(form.role as Exclude<Role, 'anonymous'>);
        } catch (error) {
          // Only an accepted "delete my account" may take an account away, and nothing of that role is left to probe then.
          if (!isDestructive(form)) throw error;
          gone.add(form.role);
          log(`note: after ${form.action} the ${form.role} can no longer sign in; that role's remaining forms are skipped`);
        }
      }
    };
    await probeAll(forms.filter((form) => !isDestructive(form)));
    await probeUrls(routes);
    await probeAll(forms.filter(isDestructive).sort((a, b) => Number(/delete/.test(a.action)) - Number(/delete/.test(b.action))));

    // A 1 MB value may be answered with a normal page (a language switch that ignores it), but never stored.
    expect(await megabyteRows(), 'rows holding a 1 MB value').toEqual([]);
    const byStatus = [...statusCounts.entries()].sort(([a], [b]) => a - b).map(([status, count]) => `${status}×${count}`).join(' ');
    console.log(
      `[bad-input] ${pagesRead} pages read, ${discovered.length} forms found (${forms.length} distinct probed, ${skippedDemo} naming demo data left alone), ` +
        `${probesSent} probes in ${((Date.now() - started) / 1000).toFixed(1)} s; answers: ${byStatus}`,
    );
    expect(failures).toEqual([]);
  });

});
