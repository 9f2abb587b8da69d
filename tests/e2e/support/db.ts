import postgres from 'postgres';
import type { ActivityContent } from '#db/schema/offerings';
import { offeringSearchText } from '~/modules/offerings/search-text';
import { databaseUrl } from './provided';

/**
 * Look-ups in the test server's database, for facts a page does not show
 * (e.g. that a refused registration made no account). Tests change data only
 * through the browser, except for insertTestOffering below, which sets up a
 * scenario's offering.
 */
let client: postgres.Sql | null = null;

function sql(): postgres.Sql {
  client ??= postgres(databaseUrl(), { max: 1, idle_timeout: 2, onnotice: () => {} });
  return client;
}

export async function closeDb(): Promise<void> {
  const open = client;
  client = null;
  await open?.end({ timeout: 5 });
}

export async function countUsers(): Promise<number> {
  const [row] = await sql()<{ n: number }[]>`select count(*)::int as n from users`;
  return row?.n ?? 0;
}

export async function findUser(email: string): Promise<{ id: string; email: string; fullName: string; school: string; timeZone: string; emailVerified: boolean } | null> {
  const [row] = await sql()<{ id: string; email: string; full_name: string; school: string; time_zone: string; email_verified_at: Date | null }[]>`
    select id, email, full_name, school, time_zone, email_verified_at from users where email = ${email.trim().toLowerCase()} limit 1`;
  return row
    ? { id: row.id, email: row.email, fullName: row.full_name, school: row.school, timeZone: row.time_zone, emailVerified: row.email_verified_at !== null }
    : null;
}

// --- Test offerings ---------------------------------------------------------------

/**
 * Setting up a scenario is the one write made here rather than through the
 * browser: a published offering with its modules and activities, inserted
 * as the seed does (db/seed-offerings.ts), so a test starts from the state it
 * is about instead of clicking through the authoring pages (authoring.e2e.ts
 * covers those). Every slug must be unique; every instant is UTC.
 */
export type TestActivityContent = ActivityContent;

export interface TestActivity {
  kind: 'page' | 'quiz' | 'assignment' | 'discussion';
  title: string;
  required?: boolean;
  content: TestActivityContent;
}

export interface TestOffering {
  slug: string;
  title: string;
  kind: 'mooc' | 'short_course';
  summary?: string;
  eligibility?: 'open' | 'validated' | 'invite';
  organiserTimeZone: string;
  enrolmentOpensAt: Date;
  enrolmentClosesAt: Date;
  startsAt: Date;
  endsAt: Date;
  completionDeadline?: Date;
  capacity?: number | null;
  waitlistEnabled?: boolean;
  /** Whether completing it issues a certificate (the column's default: yes). */
  certificateEnabled?: boolean;
  /** A demo trainer's address; they run the offering. */
  trainer: string;
  modules?: { title: string; releaseAt: Date; activities: TestActivity[] }[];
}

/** Inserts a published cohort offering; returns its id and its activities' ids by title. */
export async function insertTestOffering(offering: TestOffering): Promise<{ id: string; slug: string; activityIds: Record<string, string> }> {
  const summary = offering.summary ?? `${offering.title}: a test offering.`;
  const topics = ['testing'];
  return sql().begin(async (tx) => {
    const [trainer] = await tx<{ id: string }[]>`select id from users where email = ${offering.trainer}`;
    if (!trainer) throw new Error(`No demo trainer ${offering.trainer}`);
    const [row] = await tx<{ id: string }[]>`
      insert into offerings (slug, kind, title, summary, description, language, topics, target_audiences, eligibility, expected_minutes,
        organiser_time_zone, enrolment_opens_at, enrolment_closes_at, starts_at, ends_at, completion_deadline,
        capacity, waitlist_enabled, certificate_enabled, status, pacing_mode, created_by, published_at, search_text)
      values (${offering.slug}, ${offering.kind}::offering_kind, ${offering.title}, ${summary}, ${'Made by an end-to-end test.'}, 'en',
        ${topics}::text[], ${['all']}::text[], ${offering.eligibility ?? 'open'}::eligibility, 120, ${offering.organiserTimeZone}, ${offering.enrolmentOpensAt}, ${offering.enrolmentClosesAt},
        ${offering.startsAt}, ${offering.endsAt}, ${offering.completionDeadline ?? offering.endsAt}, ${offering.capacity ?? null},
        ${offering.waitlistEnabled ?? false}, ${offering.certificateEnabled ?? true}, 'published', 'cohort', ${trainer.id}, ${offering.enrolmentOpensAt},
        ${offeringSearchText({ title: offering.title, summary, topics })})
      returning id`;
    const offeringId = row!.id;
    await tx`insert into offering_trainers (offering_id, user_id, position) values (${offeringId}, ${trainer.id}, 0)`;
    const activityIds: Record<string, string> = {};
    for (const [moduleIndex, module] of (offering.modules ?? []).entries()) {
      const [created] = await tx<{ id: string }[]>`
        insert into modules (offering_id, position, title, release_at) values (${offeringId}, ${moduleIndex}, ${module.title}, ${module.releaseAt}) returning id`;
      for (const [position, activity] of module.activities.entries()) {
        const [inserted] = await tx<{ id: string }[]>`
          insert into activities (offering_id, module_id, position, kind, title, required, estimated_minutes, content)
          values (${offeringId}, ${created!.id}, ${position}, ${activity.kind}::activity_kind, ${activity.title}, ${activity.required ?? true}, 15,
            ${tx.json(activity.content as unknown as postgres.JSONValue)})
          returning id`;
        activityIds[activity.title] = inserted!.id;
      }
    }
    return { id: offeringId, slug: offering.slug, activityIds };
  });
}

/** An account's staff validation status (e.g. 'none' before and 'pending' after it asked to be validated). */
export async function staffStatusOf(email: string): Promise<'none' | 'pending' | 'validated' | 'rejected'> {
  const [row] = await sql()<{ staff_status: 'none' | 'pending' | 'validated' | 'rejected' }[]>`select staff_status from users where email = ${email}`;
  if (!row) throw new Error(`No account ${email}`);
  return row.staff_status;
}

// --- Live sessions ----------------------------------------------------------------

export interface StoredSession {
  id: string;
  title: string;
  startsAt: Date;
  durationMinutes: number;
  organiserTimeZone: string;
  joinUrl: string;
  sequence: number;
}

/** An offering's live sessions as stored (UTC instants), in order of start: what calendar files must carry. */
export async function liveSessionsOf(offeringId: string): Promise<StoredSession[]> {
  const rows = await sql()<
    { id: string; title: string; starts_at: Date; duration_minutes: number; organiser_time_zone: string; join_url: string | null; sequence: number }[]
  >`
    select id, title, starts_at, duration_minutes, organiser_time_zone, join_url, sequence
    from live_sessions where offering_id = ${offeringId} order by starts_at, id`;
  return rows.map((row) => ({
    id: row.id,
    title: row.title,
    startsAt: row.starts_at,
    durationMinutes: row.duration_minutes,
    organiserTimeZone: row.organiser_time_zone,
    joinUrl: row.join_url ?? '',
    sequence: row.sequence,
  }));
}
