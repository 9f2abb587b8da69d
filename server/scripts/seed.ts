import { createDatabase } from '#db/client';
import { applyMigrations } from '#db/migrate';
import { seedDemoData } from '#db/seed';
import { hashPassword } from '~/modules/auth/password.server';
import { loadConfigOrExit } from '../runtime';

const config = loadConfigOrExit();
const handle = createDatabase(config.database);
try {
  await applyMigrations(handle);
  const summary = await seedDemoData(handle.db, { onlyIfEmpty: false, hashPassword });
  console.log(`Demo data ready: ${summary.users} users.`);
} finally {
  await handle.close();
}
