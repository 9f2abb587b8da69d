import type { AppContext } from '../context.server';

const PING_TIMEOUT_MS = 2_000;

/** Whether the database answers within two seconds, so a hung connection still gives a quick 503. */
export async function databaseIsUp(context: AppContext): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), PING_TIMEOUT_MS);
  });
  try {
    return await Promise.race([context.pingDatabase().then(() => true as const), timeout]);
  } catch {
    return false;
  } finally {
    clearTimeout(timer);
  }
}
