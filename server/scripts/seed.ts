import { createDatabase } from '#db/client';
import { applyMigrations } from '#db/migrate';
import { seedDemoData } from '#db/seed';
import { hashPassword } from '~/modules/auth/password.server';
import { offeringSearchText } from '~/modules/offerings/search-text';
import { loadConfigOrExit } from '../runtime';

const config = loadConfigOrExit();
const handle = createDatabase(config.database);
try {
  await applyMigrations(handle);
  const summary = await seedDemoData(handle.db, { onlyIfEmpty: false, hashPassword, offeringSearchText });
  console.log(`Demo data ready: ${summary.users} users, ${summary.offerings} new offerings.`);
} finally {
  await handle.close();
}
