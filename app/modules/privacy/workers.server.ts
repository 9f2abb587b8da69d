import type PgBoss from 'pg-boss';
import type { AppContext } from '../context.server';
import { QUEUES } from '../jobs/jobs.server';
import { RETENTION_SCHEDULE, runRetention } from './retention.server';

/**
 * The daily retention run. pg-boss's scheduler puts one job on the queue per
 * cron tick whatever the number of workers, so it runs once a day.
 */
export async function registerRetentionWorker(boss: PgBoss, context: AppContext): Promise<void> {
  await boss.work(QUEUES.retention, async () => {
    const report = await runRetention(context, new Date());
    console.info('[retention]', JSON.stringify(report));
  });
  await boss.schedule(QUEUES.retention, RETENTION_SCHEDULE, {}, { tz: 'UTC' });
}
