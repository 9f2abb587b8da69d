import { createDatabase } from '#db/client';
import { applyMigrations } from '#db/migrate';
import { ConfigError } from '~/modules/config/config.server';
import { exitOnConfigError, loadConfigOrExit } from '../runtime';

const config = loadConfigOrExit();
const handle = createDatabase(config.database);
try {
  await handle.ping().catch((error: Error) => exitOnConfigError(new ConfigError('DATABASE_URL', `points at a database that cannot be opened (${error.message})`)));
  await applyMigrations(handle);
  console.log('Migrations applied.');
} finally {
  await handle.close();
}
