import { DEMO_ACCOUNTS, DEMO_PASSWORD } from '#db/seed';
import type { Config } from '../config/config.server';

/** The demo sign-in details, shown on the sign-in page only in demo mode. */
export function demoSignInDetails(config: Config) {
  if (!config.demoMode) return null;
  const wanted = ['admin', 'trainer', 'nso', 'participant'];
  const accounts = wanted.flatMap((label) => DEMO_ACCOUNTS.filter((a) => a.label === label).slice(0, label === 'participant' ? 3 : 1));
  return {
    password: DEMO_PASSWORD,
    accounts: accounts.map((a) => ({ email: a.email, name: a.fullName, role: a.label as 'admin' | 'trainer' | 'nso' | 'participant' })),
  };
}
