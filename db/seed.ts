import { and, eq, sql } from 'drizzle-orm';
import type { Database } from './client';
import { staffValidationRequests, userRoles, users } from './schema/index';
import { seedDemoOfferings } from './seed-offerings';

/** Every demo account signs in with this password (printed in the README and, in demo mode, on the sign-in page). */
export const DEMO_PASSWORD = 'kollega-demo-2026';

type SchoolRole = 'teacher' | 'head_teacher' | 'librarian' | 'other_staff' | 'student_teacher';
type StaffStatus = 'none' | 'pending' | 'validated' | 'rejected';

export interface DemoAccount {
  email: string;
  fullName: string;
  country: string;
  school: string;
  schoolRole: SchoolRole;
  locale: 'en' | 'nb' | 'sv' | 'fi';
  timeZone: string;
  staffStatus: StaffStatus;
  roles: { role: 'trainer' | 'nso' | 'admin'; country?: string }[];
  /** Shown on the sign-in page in demo mode. */
  label: string;
}

const person = (a: Omit<DemoAccount, 'roles' | 'label'> & Partial<Pick<DemoAccount, 'roles' | 'label'>>): DemoAccount => ({
  roles: [],
  label: 'participant',
  ...a,
});

export const DEMO_ACCOUNTS: DemoAccount[] = [
  person({ email: 'admin@kollega.example', fullName: 'Astrid Øvergård', country: 'NO', school: 'Kollega', schoolRole: 'other_staff', locale: 'nb', timeZone: 'Europe/Oslo', staffStatus: 'validated', roles: [{ role: 'admin' }], label: 'admin' }),
  person({ email: 'trainer.hansen@example.org', fullName: 'Ingrid Hansen', country: 'BE', school: 'European Schoolnet Academy', schoolRole: 'other_staff', locale: 'en', timeZone: 'Europe/Brussels', staffStatus: 'validated', roles: [{ role: 'trainer' }], label: 'trainer' }),
  person({ email: 'trainer.zulawski@example.org', fullName: 'Tomasz Żuławski', country: 'PL', school: 'Centrum Edukacji Nauczycieli', schoolRole: 'other_staff', locale: 'en', timeZone: 'Europe/Warsaw', staffStatus: 'validated', roles: [{ role: 'trainer' }], label: 'trainer' }),
  person({ email: 'nso.norway@example.no', fullName: 'Åse Bjørnstad', country: 'NO', school: 'Utdanningsdirektoratet', schoolRole: 'other_staff', locale: 'nb', timeZone: 'Europe/Oslo', staffStatus: 'validated', roles: [{ role: 'nso', country: 'NO' }], label: 'nso' }),
  person({ email: 'anna.nilsson@skola.example.se', fullName: 'Anna Nilsson', country: 'SE', school: 'Östersunds gymnasium', schoolRole: 'teacher', locale: 'sv', timeZone: 'Europe/Stockholm', staffStatus: 'validated' }),
  person({ email: 'mikko.virtanen@koulu.example.fi', fullName: 'Mikko Virtanen', country: 'FI', school: 'Jyväskylän lyseo', schoolRole: 'teacher', locale: 'fi', timeZone: 'Europe/Helsinki', staffStatus: 'validated' }),
  person({ email: 'lucja.zolkiewska@szkola.example.pl', fullName: 'Łucja Żółkiewska', country: 'PL', school: 'Szkoła Podstawowa nr 5 w Łodzi', schoolRole: 'head_teacher', locale: 'en', timeZone: 'Europe/Warsaw', staffStatus: 'validated' }),
  person({ email: 'ole.hoiby@skole.example.no', fullName: 'Ole Høiby', country: 'NO', school: 'Tromsø skole', schoolRole: 'teacher', locale: 'nb', timeZone: 'Europe/Oslo', staffStatus: 'pending' }),
  person({ email: 'marte.asen@skole.example.no', fullName: 'Marte Åsen', country: 'NO', school: 'Bærum bibliotek og skole', schoolRole: 'librarian', locale: 'nb', timeZone: 'Europe/Oslo', staffStatus: 'pending' }),
  person({ email: 'jonas.berg@skole.example.no', fullName: 'Jonas Berg', country: 'NO', school: 'Bergen katedralskole', schoolRole: 'head_teacher', locale: 'nb', timeZone: 'Europe/Oslo', staffStatus: 'validated' }),
  person({ email: 'ayse.yilmaz@okul.example.tr', fullName: 'Ayşe Yılmaz', country: 'TR', school: 'Şişli Anadolu Lisesi', schoolRole: 'teacher', locale: 'en', timeZone: 'Europe/Istanbul', staffStatus: 'none' }),
  person({ email: 'eleni.papadopoulou@sxoleio.example.gr', fullName: 'Ελένη Παπαδοπούλου', country: 'GR', school: 'Γυμνάσιο Θεσσαλονίκης', schoolRole: 'teacher', locale: 'en', timeZone: 'Europe/Athens', staffStatus: 'validated' }),
  person({ email: 'olena.kovalenko@shkola.example.ua', fullName: 'Олена Коваленко', country: 'UA', school: 'Київська гімназія № 1', schoolRole: 'other_staff', locale: 'en', timeZone: 'Europe/Kyiv', staffStatus: 'pending' }),
  person({ email: 'ivan.petrov@uchilishte.example.bg', fullName: 'Иван Петров', country: 'BG', school: 'СУ „Христо Ботев“', schoolRole: 'teacher', locale: 'en', timeZone: 'Europe/Sofia', staffStatus: 'none' }),
  person({ email: 'sofia.lindqvist@skola.example.fi', fullName: 'Sofia Lindqvist', country: 'FI', school: 'Vasa övningsskola', schoolRole: 'student_teacher', locale: 'sv', timeZone: 'Europe/Helsinki', staffStatus: 'none' }),
  person({ email: 'maria.garcia@escuela.example.es', fullName: 'María García Núñez', country: 'ES', school: 'IES Canarias', schoolRole: 'teacher', locale: 'en', timeZone: 'Atlantic/Canary', staffStatus: 'rejected' }),
  person({ email: 'sean.obrien@scoil.example.ie', fullName: 'Seán O’Brien', country: 'IE', school: 'Scoil Mhuire', schoolRole: 'teacher', locale: 'en', timeZone: 'Europe/Dublin', staffStatus: 'validated' }),
];

/**
 * Demo data: idempotent (upserts by email). With onlyIfEmpty it does nothing
 * once any account exists, which is how the first start seeds exactly once.
 */
export async function seedDemoData(
  db: Database,
  options: {
    onlyIfEmpty: boolean;
    hashPassword: (password: string) => Promise<string>;
    /** The app's accent folding for offerings.search_text (db/ does not import app/). */
    offeringSearchText: (offering: { title: string; summary: string; topics: string[] }) => string;
    now?: Date;
  },
): Promise<{ users: number; offerings: number; skipped: boolean }> {
  if (options.onlyIfEmpty) {
    const [row] = await db.select({ n: sql<number>`count(*)::int` }).from(users);
    if ((row?.n ?? 0) > 0) return { users: row!.n, offerings: 0, skipped: true };
  }
  const passwordHash = await options.hashPassword(DEMO_PASSWORD);
  const now = options.now ?? new Date();
  let offeringsCreated = 0;
  await db.transaction(async (tx) => {
    const admin = DEMO_ACCOUNTS[0]!;
    for (const account of DEMO_ACCOUNTS) {
      await tx
        .insert(users)
        .values({
          email: account.email,
          emailVerifiedAt: now,
          passwordHash,
          fullName: account.fullName,
          certificateName: account.fullName,
          country: account.country,
          school: account.school,
          schoolRole: account.schoolRole,
          locale: account.locale,
          timeZone: account.timeZone,
          staffStatus: account.staffStatus,
        })
        .onConflictDoNothing({ target: users.email });
    }
    const ids = new Map((await tx.select({ id: users.id, email: users.email }).from(users)).map((u) => [u.email, u.id]));
    const adminId = ids.get(admin.email)!;
    for (const account of DEMO_ACCOUNTS) {
      const userId = ids.get(account.email)!;
      for (const grant of account.roles) {
        await tx
          .insert(userRoles)
          .values({ userId, role: grant.role, country: grant.country ?? '', grantedBy: adminId })
          .onConflictDoNothing();
      }
      if (account.staffStatus === 'none') continue;
      const [existing] = await tx
        .select({ id: staffValidationRequests.id })
        .from(staffValidationRequests)
        .where(and(eq(staffValidationRequests.userId, userId)))
        .limit(1);
      if (existing) continue;
      const decided = account.staffStatus !== 'pending';
      await tx.insert(staffValidationRequests).values({
        userId,
        country: account.country,
        school: account.school,
        schoolRole: account.schoolRole,
        note: decided ? '' : 'Staff list on the school website.',
        status: account.staffStatus === 'pending' ? 'pending' : account.staffStatus === 'validated' ? 'approved' : 'rejected',
        decidedBy: decided ? adminId : null,
        decidedAt: decided ? now : null,
        reason: account.staffStatus === 'rejected' ? 'The school could not confirm your employment.' : '',
      });
    }
    offeringsCreated = await seedDemoOfferings(tx, { now, userIds: ids, searchText: options.offeringSearchText });
  });
  return { users: DEMO_ACCOUNTS.length, offerings: offeringsCreated, skipped: false };
}
