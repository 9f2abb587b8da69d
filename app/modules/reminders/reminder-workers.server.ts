import type PgBoss from 'pg-boss';
import { z } from 'zod';
import type { AppContext } from '../context.server';
import { QUEUES } from '../jobs/jobs.server';
import { sendSessionReminder, sweepReminders } from './reminders.server';
import { REMINDER_KINDS } from './schedule';

const reminderJobSchema = z.object({ sessionId: z.uuid(), kind: z.enum(REMINDER_KINDS), startsAt: z.iso.datetime() });

/** Every five minutes: often enough that a lost job is back well before its reminder is due (the sweep looks an hour ahead). */
export const REMINDER_SWEEP_CRON = '*/5 * * * *';

/** Handlers of the reminder queues (issue 5). Any number of processes may run them; the outbox keys keep each email single. */
export async function registerReminderWorkers(boss: PgBoss, context: AppContext): Promise<void> {
  await boss.work<unknown>(QUEUES.sessionReminder, { pollingIntervalSeconds: 5 }, async (jobs) => {
    for (const job of jobs) {
      const parsed = reminderJobSchema.safeParse(job.data);
      // A job that names nothing usable would fail the same way on every retry.
      if (!parsed.success) {
        console.error('[reminders] ignoring a malformed reminder job', job.id);
        continue;
      }
      await sendSessionReminder(context, parsed.data, new Date());
    }
  });

  await boss.work(QUEUES.sweepReminders, async () => {
    await sweepReminders(context, new Date());
  });
  await boss.schedule(QUEUES.sweepReminders, REMINDER_SWEEP_CRON);
}
