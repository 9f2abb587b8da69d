import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Executor } from '#db/client';
import { activities, activityProgress, enrolments, modules, offeringTrainers, offerings } from '#db/schema';
import { loadProgressGrid, type ProgressGrid } from '~/modules/learning/progress-grid.server';
import { loader as csvLoader } from '~/routes/trainer.offerings.$id.progress[.]csv';
import { loader as gridLoader } from '~/routes/trainer.offerings.$id.progress';
import { createTestContext, recordingJobQueue, type TestContext } from '../support/context';
import { createUser, signIn } from '../support/factories';
import { makeRequest, requestContext } from '../support/requests';

/** What a Remix loader returned or threw, as status, headers and body. */
async function outcome(run: () => Promise<unknown>) {
  let value: unknown;
  try {
    value = await run();
  } catch (thrown) {
    value = thrown;
  }
  if (value instanceof Response) return { status: value.status, headers: value.headers, body: null as Record<string, unknown> | null, response: value };
  const withInit = value as { type?: string; data?: Record<string, unknown>; init?: { status?: number; headers?: Record<string, string> } };
  if (withInit && withInit.type === 'DataWithResponseInit') {
    return { status: withInit.init?.status ?? 200, headers: new Headers(withInit.init?.headers), body: withInit.data ?? null, response: null };
  }
  return { status: 200, headers: new Headers(), body: value as Record<string, unknown>, response: null };
}

/** RFC 4180 reading, enough to check what the export wrote. */
function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      record.push(field);
      field = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      record.push(field);
      records.push(record);
      record = [];
      field = '';
      i++;
    } else field += c;
  }
  if (field !== '' || record.length > 0) records.push([...record, field]);
  return records;
}

/** Counts the queries a function starts on the database it is given. */
function countingDb(db: Executor) {
  const counter = { queries: 0 };
  const proxy = new Proxy(db, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver) as unknown;
      if (typeof value === 'function' && ['select', 'selectDistinct', 'selectDistinctOn', 'update', 'insert', 'delete', 'execute'].includes(String(property))) {
        return (...args: unknown[]) => {
          counter.queries += 1;
          return (value as (...a: unknown[]) => unknown).apply(target, args);
        };
      }
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
  return { db: proxy as Executor, counter };
}

const OSLO = 'Europe/Oslo';
const DAY = 86_400_000;
let seq = 3_000_000 + Math.floor(Math.random() * 1_000_000);

describe('trainer progress grid', () => {
  let ctx: TestContext;
  let trainerId: string;
  const cookies: Record<'trainer' | 'otherTrainer' | 'admin' | 'participant', string> = { trainer: '', otherTrainer: '', admin: '', participant: '' };
  let offeringId: string;
  let slug: string;
  const activity: Record<string, string> = {};
  const person: Record<string, string> = {};

  beforeAll(async () => {
    ctx = await createTestContext({ jobs: recordingJobQueue() });
    const trainer = await createUser(ctx.db, { roles: [{ role: 'trainer' }], timeZone: OSLO });
    trainerId = trainer.id;
    cookies.trainer = await signIn(ctx, trainer.id);
    cookies.otherTrainer = await signIn(ctx, (await createUser(ctx.db, { roles: [{ role: 'trainer' }] })).id);
    cookies.admin = await signIn(ctx, (await createUser(ctx.db, { roles: [{ role: 'admin' }] })).id);

    const now = Date.now();
    const offering = await makeOffering({ title: 'Teaching with data' });
    offeringId = offering.id;
    slug = offering.slug;
    // Module 2 is inserted first: the grid follows positions, not insertion order.
    const m2 = await addModule(offeringId, 2);
    const m1 = await addModule(offeringId, 1);
    activity.linking = await addActivity(offeringId, null, 1, { title: 'Linking task' });
    activity.assignment = await addActivity(offeringId, m2, 1, { title: 'Assignment', kind: 'assignment', dueAt: new Date(now - DAY), content: { kind: 'assignment', prompt: '', submission: 'text' } });
    activity.optional = await addActivity(offeringId, m2, 2, { title: 'Optional reading', required: false });
    activity.removed = await addActivity(offeringId, m2, 3, { title: 'Old task', removedAt: new Date(now - DAY) });
    activity.quiz = await addActivity(offeringId, m1, 2, { title: 'A quiz with a rather long title about data', dueAt: new Date(now + 5 * DAY) });
    activity.welcome = await addActivity(offeringId, m1, 1, { title: 'Welcome page', dueAt: new Date(now - 10 * DAY) });

    const participant = await createUser(ctx.db, { fullName: 'Ann Andersen', email: `ann-${randomBytes(3).toString('hex')}@school.test` });
    cookies.participant = await signIn(ctx, participant.id);
    person.ann = participant.id;
    person.bjorn = (await createUser(ctx.db, { fullName: 'Bjørn Bakke', email: `bjorn-${randomBytes(3).toString('hex')}@skole.test` })).id;
    person.dag = (await createUser(ctx.db, { fullName: 'Dag "Daggen" Dahl, jr.' })).id;
    person.eve = (await createUser(ctx.db, { fullName: '=HYPERLINK("http://evil.test","Eve")' })).id;
    person.frida = (await createUser(ctx.db, { fullName: 'Frida Fjell' })).id;
    person.gunnar = (await createUser(ctx.db, { fullName: 'Gunnar Waiting' })).id;
    person.hilde = (await createUser(ctx.db, { fullName: 'Hilde Gone' })).id;

    await enrol(offeringId, person.ann);
    await enrol(offeringId, person.bjorn);
    await enrol(offeringId, person.dag);
    await enrol(offeringId, person.eve);
    await enrol(offeringId, person.frida, { status: 'completed', completedAt: new Date('2026-02-03T10:00:00Z') });
    await enrol(offeringId, person.gunnar, { status: 'waitlisted', waitlistSeq: (seq += 10), enrolledAt: null });
    await enrol(offeringId, person.hilde, { status: 'withdrawn' });

    for (const id of [activity.welcome, activity.quiz, activity.assignment, activity.linking, activity.removed, activity.optional]) await progress(person.ann!, id!, 'done');
    await progress(person.bjorn, activity.quiz!, 'started');
    await progress(person.bjorn, activity.assignment!, 'submitted');
    await progress(person.dag, activity.welcome!, 'done');
    await progress(person.dag, activity.quiz!, 'done');
    await progress(person.dag, activity.assignment!, 'returned');
    await progress(person.dag, activity.linking!, 'done');
    for (const id of [activity.welcome, activity.quiz, activity.assignment, activity.linking]) await progress(person.eve!, id!, 'done');
    for (const id of [activity.welcome, activity.quiz, activity.assignment, activity.linking]) await progress(person.frida!, id!, 'done');
    // The waitlisted and withdrawn never show, whatever progress they have.
    await progress(person.gunnar, activity.welcome!, 'done');
    await progress(person.hilde, activity.welcome!, 'done');
  });
  afterAll(async () => {
    await ctx?.close();
  });

  async function makeOffering(overrides: Partial<typeof offerings.$inferInsert> = {}) {
    const suffix = randomBytes(4).toString('hex');
    const now = Date.now();
    const [row] = await ctx.db
      .insert(offerings)
      .values({
        slug: `grid-${suffix}`,
        kind: 'mooc',
        title: `Course ${suffix}`,
        language: 'en',
        organiserTimeZone: OSLO,
        status: 'published',
        startsAt: new Date(now - 20 * DAY),
        endsAt: new Date(now + 20 * DAY),
        completionDeadline: new Date(now + 30 * DAY),
        ...overrides,
      })
      .returning();
    await ctx.db.insert(offeringTrainers).values({ offeringId: row!.id, userId: trainerId });
    return row!;
  }

  async function addModule(id: string, position: number) {
    const [row] = await ctx.db.insert(modules).values({ offeringId: id, position, title: `Module ${position}` }).returning({ id: modules.id });
    return row!.id;
  }

  async function addActivity(id: string, moduleId: string | null, position: number, overrides: Partial<typeof activities.$inferInsert> = {}) {
    const [row] = await ctx.db
      .insert(activities)
      .values({ offeringId: id, moduleId, position, kind: 'page', title: `Activity ${position}`, content: { kind: 'page', body: '', videoUrl: '' }, ...overrides })
      .returning({ id: activities.id });
    return row!.id;
  }

  async function enrol(id: string, userId: string, overrides: Partial<typeof enrolments.$inferInsert> = {}) {
    await ctx.db.insert(enrolments).values({ offeringId: id, userId, status: 'enrolled', enrolledAt: new Date(Date.now() - 21 * DAY), ...overrides });
  }

  async function progress(userId: string, activityId: string, status: 'started' | 'submitted' | 'returned' | 'done') {
    await ctx.db.insert(activityProgress).values({ userId, activityId, status });
  }

  const gridUrl = (id: string, search = '') => `/trainer/offerings/${id}/progress${search}`;
  const csvUrl = (id: string, search = '') => `/trainer/offerings/${id}/progress.csv${search}`;
  const getGrid = (id: string, cookie?: string, search = '') =>
    outcome(() => gridLoader({ request: makeRequest(gridUrl(id, search), { cookie }), context: requestContext(ctx), params: { id } }));
  const getCsv = (id: string, cookie?: string, search = '') =>
    outcome(() => csvLoader({ request: makeRequest(csvUrl(id, search), { cookie }), context: requestContext(ctx), params: { id } }));
  const gridOf = async (search = '', id = offeringId) => {
    const result = await getGrid(id, cookies.trainer, search);
    expect(result.status).toBe(200);
    return result.body as unknown as ProgressGrid & { filter: { status: string; q: string; behind: boolean } };
  };

  describe('who may see it', () => {
    it.each([
      ['the grid', getGrid],
      ['the CSV', getCsv],
    ])('%s: anonymous visitors are sent to sign in', async (_label, get) => {
      const result = await get(offeringId);
      expect(result.status).toBe(302);
      expect(result.headers.get('location')).toMatch(/^\/login\?redirectTo=/);
    });

    it.each([
      ['the grid', getGrid],
      ['the CSV', getCsv],
    ])('%s: a participant of the offering and another trainer get 404', async (_label, get) => {
      expect((await get(offeringId, cookies.participant)).status).toBe(404);
      expect((await get(offeringId, cookies.otherTrainer)).status).toBe(404);
    });

    it.each([
      ['the grid', getGrid],
      ['the CSV', getCsv],
    ])('%s: the offering’s trainer and an admin may', async (_label, get) => {
      expect((await get(offeringId, cookies.trainer)).status).toBe(200);
      expect((await get(offeringId, cookies.admin)).status).toBe(200);
    });

    it('answers 404 for an offering that does not exist or a malformed id, even to an admin', async () => {
      expect((await getGrid('6f1c1f3e-1d7e-4c59-9d55-6a7c2a1b0e99', cookies.admin)).status).toBe(404);
      expect((await getGrid('nope', cookies.admin)).status).toBe(404);
      expect((await getCsv('nope', cookies.admin)).status).toBe(404);
    });

    it('refuses a filter that is not one of the choices with a 400', async () => {
      expect((await getGrid(offeringId, cookies.trainer, '?status=withdrawn')).status).toBe(400);
      expect((await getGrid(offeringId, cookies.trainer, '?page=0')).status).toBe(400);
      expect((await getGrid(offeringId, cookies.trainer, `?q=${'x'.repeat(101)}`)).status).toBe(400);
    });
  });

  describe('content', () => {
    it('has the required, listed activities as columns, in module order, the offering’s own tasks last', async () => {
      const grid = await gridOf();
      expect(grid.columns.map((c) => c.title)).toEqual(['Welcome page', 'A quiz with a rather long title about data', 'Assignment', 'Linking task']);
      expect(grid.columns.map((c) => c.module)).toEqual([1, 1, 2, null]);
    });

    it('has the enrolled and completed participants as rows, by name', async () => {
      const grid = await gridOf();
      const names = grid.rows.map((r) => r.fullName);
      // Where "=" sorts depends on the server's collation; the letters do not.
      expect(names.filter((n) => !n.startsWith('='))).toEqual(['Ann Andersen', 'Bjørn Bakke', 'Dag "Daggen" Dahl, jr.', 'Frida Fjell']);
      expect(names).toContain('=HYPERLINK("http://evil.test","Eve")');
      expect(grid.total).toBe(5);
      expect(grid).toMatchObject({ page: 1, pages: 1 });
    });

    it('shows each cell’s status, what is overdue, the done count and who is behind', async () => {
      const grid = await gridOf();
      const row = (id: string) => grid.rows.find((r) => r.userId === id)!;
      expect(row(person.bjorn!)).toMatchObject({
        done: 0,
        behind: true,
        cells: [
          { status: 'not-started', overdue: true },
          { status: 'started', overdue: false },
          // Handed in before a trainer reviewed it: waiting for review is not being late.
          { status: 'submitted', overdue: false },
          { status: 'not-started', overdue: false },
        ],
      });
      // A returned assignment is open again, and late.
      expect(row(person.dag!)).toMatchObject({ done: 3, behind: true });
      expect(row(person.dag!).cells).toEqual([
        { status: 'done', overdue: false },
        { status: 'done', overdue: false },
        { status: 'returned', overdue: true },
        { status: 'done', overdue: false },
      ]);
      // Progress on removed and optional activities is kept but not counted.
      expect(row(person.ann!)).toMatchObject({ done: 4, behind: false });
      expect(row(person.frida!)).toMatchObject({ status: 'completed', done: 4, behind: false });
    });

    it('filters by enrolment status', async () => {
      expect((await gridOf('?status=completed')).rows.map((r) => r.fullName)).toEqual(['Frida Fjell']);
      expect((await gridOf('?status=enrolled')).total).toBe(4);
    });

    it('searches names and email addresses, ignoring case', async () => {
      expect((await gridOf('?q=bakke')).rows.map((r) => r.fullName)).toEqual(['Bjørn Bakke']);
      expect((await gridOf('?q=SCHOOL.TEST')).rows.map((r) => r.fullName)).toEqual(['Ann Andersen']);
      // LIKE's wildcards are searched for as themselves.
      expect((await gridOf('?q=%25')).total).toBe(0);
    });

    it('shows only those behind when asked', async () => {
      const grid = await gridOf('?behind=1');
      expect(grid.rows.map((r) => r.fullName)).toEqual(['Bjørn Bakke', 'Dag "Daggen" Dahl, jr.']);
      expect(grid.filter).toEqual({ status: '', q: '', behind: true });
    });

    it('judges "behind" by each participant’s personal due dates on a self-paced course', async () => {
      const selfPaced = await makeOffering({ pacingMode: 'self_paced' });
      const moduleId = await addModule(selfPaced.id, 1);
      await addActivity(selfPaced.id, moduleId, 1, { title: 'Due three days ago', dueAt: new Date(Date.now() - 3 * DAY) });
      const early = (await createUser(ctx.db, { fullName: 'Early Bird' })).id;
      const late = (await createUser(ctx.db, { fullName: 'Late Comer' })).id;
      const shifted = (await createUser(ctx.db, { fullName: 'Shifted Sam' })).id;
      await enrol(selfPaced.id, early);
      // Enrolled ten days after the start: their due date is a week ahead.
      await enrol(selfPaced.id, late, { enrolledAt: new Date(Date.now() - 10 * DAY) });
      await enrol(selfPaced.id, shifted, { deadlineShiftsUsed: 1, deadlineShiftDays: 5 });
      const grid = await gridOf('?behind=1', selfPaced.id);
      expect(grid.rows.map((r) => r.fullName)).toEqual(['Early Bird']);
      const all = await gridOf('', selfPaced.id);
      expect(all.rows.map((r) => [r.fullName, r.cells[0]!.overdue])).toEqual([
        ['Early Bird', true],
        ['Late Comer', false],
        ['Shifted Sam', false],
      ]);
    });

    it('says so when an offering has no required activities', async () => {
      const empty = await makeOffering();
      await enrol(empty.id, person.ann!);
      const grid = await gridOf('', empty.id);
      expect(grid.columns).toEqual([]);
      expect(grid.rows[0]).toMatchObject({ fullName: 'Ann Andersen', done: 0, cells: [] });
    });
  });

  describe('pages', () => {
    let bigId: string;
    beforeAll(async () => {
      const big = await makeOffering({ title: 'Big course' });
      bigId = big.id;
      const moduleId = await addModule(bigId, 1);
      const a = await addActivity(bigId, moduleId, 1, { dueAt: new Date(Date.now() - DAY) });
      await addActivity(bigId, moduleId, 2);
      for (let i = 0; i < 30; i++) {
        const user = await createUser(ctx.db, { fullName: `Participant ${String(i).padStart(2, '0')}` });
        await enrol(bigId, user.id);
        if (i % 3 === 0) await progress(user.id, a, 'done');
      }
    });

    it('shows 25 a page', async () => {
      const first = await gridOf('', bigId);
      expect(first).toMatchObject({ total: 30, page: 1, pages: 2 });
      expect(first.rows).toHaveLength(25);
      const second = await gridOf('?page=2', bigId);
      expect(second.rows.map((r) => r.fullName)).toEqual(['Participant 25', 'Participant 26', 'Participant 27', 'Participant 28', 'Participant 29']);
      // Behind: the 20 who have not done the overdue activity.
      expect(await gridOf('?behind=1&page=1', bigId)).toMatchObject({ total: 20, pages: 1 });
    });

    it('takes four queries a page, whatever the number of participants', async () => {
      const small = countingDb(ctx.db);
      await loadProgressGrid(small.db, offeringId, { page: 1 }, new Date());
      const large = countingDb(ctx.db);
      await loadProgressGrid(large.db, bigId, { page: 1 }, new Date());
      expect(small.counter.queries).toBe(4);
      expect(large.counter.queries).toBe(4);
    });

    it('exports every matching participant, not one page', async () => {
      const result = await getCsv(bigId, cookies.trainer);
      const records = parseCsv(await result.response!.text());
      expect(records).toHaveLength(31);
      const behind = parseCsv(await (await getCsv(bigId, cookies.trainer, '?behind=1&page=2')).response!.text());
      expect(behind).toHaveLength(21);
    });
  });

  describe('CSV export', () => {
    it('is UTF-8 with a byte-order mark, as an attachment named after the offering', async () => {
      const result = await getCsv(offeringId, cookies.trainer);
      expect(result.status).toBe(200);
      expect(result.headers.get('content-type')).toBe('text/csv; charset=utf-8');
      expect(result.headers.get('content-disposition')).toBe(`attachment; filename="progress-${slug}.csv"`);
      const bytes = new Uint8Array(await result.response!.arrayBuffer());
      expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
      // Names with letters beyond ASCII survive as UTF-8.
      expect(new TextDecoder().decode(bytes)).toContain('Bjørn Bakke');
    });

    it('has a header row in the viewer’s language and one row per participant', async () => {
      const text = await (await getCsv(offeringId, cookies.trainer)).response!.text();
      const [header, ...rows] = parseCsv(text);
      expect(header).toEqual([
        'Name',
        'Email',
        'Enrolment',
        'Enrolled (Europe/Oslo)',
        'Completed (Europe/Oslo)',
        'Required done',
        'Required',
        'Behind',
        'M1 · Welcome page',
        'M1 · A quiz with a rather long title about data',
        'M2 · Assignment',
        'Offering task · Linking task',
      ]);
      expect(rows).toHaveLength(5);
      const bjorn = rows.find((r) => r[0] === 'Bjørn Bakke')!;
      expect(bjorn.slice(2)).toEqual(['Enrolled', expect.stringMatching(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$/), '', '0', '4', 'yes', 'Not started (overdue)', 'Started', 'Submitted', 'Not started']);
      const frida = rows.find((r) => r[0] === 'Frida Fjell')!;
      expect(frida.slice(2, 5)).toEqual(['Completed', expect.any(String), '2026-02-03 11:00']);
    });

    it('quotes commas and quotes, and defuses cells a spreadsheet would run as formulas', async () => {
      const text = await (await getCsv(offeringId, cookies.trainer)).response!.text();
      expect(text).toContain('"Dag ""Daggen"" Dahl, jr."');
      const names = parseCsv(text).map((r) => r[0]);
      expect(names).toContain('Dag "Daggen" Dahl, jr.');
      expect(names).toContain(`'=HYPERLINK("http://evil.test","Eve")`);
      expect(names).not.toContain('=HYPERLINK("http://evil.test","Eve")');
      // Rows end with CRLF (RFC 4180).
      expect(text.split('\r\n').length).toBe(7);
    });

    it('follows the grid’s filters', async () => {
      const rows = parseCsv(await (await getCsv(offeringId, cookies.trainer, '?status=completed')).response!.text());
      expect(rows.slice(1).map((r) => r[0])).toEqual(['Frida Fjell']);
    });
  });
});
