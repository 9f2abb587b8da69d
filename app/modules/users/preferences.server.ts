import { eq } from 'drizzle-orm';
import type { Executor } from '#db/client';
import { users } from '#db/schema';
import type { Locale } from '../i18n/locales';

export async function setUserLocale(db: Executor, userId: string, locale: Locale): Promise<void> {
  await db.update(users).set({ locale, updatedAt: new Date() }).where(eq(users.id, userId));
}
