import postgres from 'postgres';
import { databaseUrl } from './provided';

/**
 * Read-only look-ups in the test server's database, for facts a page does not
 * show (e.g. that a refused registration made no account). Tests change data
 * only through the browser.
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
