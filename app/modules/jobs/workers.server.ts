import type PgBoss from 'pg-boss';
import type { AppContext } from '../context.server';
import { deliverOutboxEmail, sweepOutbox } from '../email/delivery.server';
import { createMailTransport } from '../email/transport.server';
import { registerCertificateWorkers } from '../certificates/workers.server';
import { registerAttendanceWorkers } from '../live/attendance-workers.server';
import { registerReminderWorkers } from '../reminders/reminder-workers.server';
import { QUEUES } from './jobs.server';

/** Registers every background handler. Any number of processes may do this against one database. */
export async function registerWorkers(boss: PgBoss, context: AppContext): Promise<void> {
  const transport = createMailTransport(context.config, context.db);

  // pg-boss 10 completes or fails a whole batch together, so each job that
  // fails is failed on its own here and only the rest complete with the batch.
  await boss.work<{ outboxId: string }>(
    QUEUES.deliverEmail,
    { batchSize: context.config.workerConcurrency, pollingIntervalSeconds: 1 },
    async (jobs) => {
      await Promise.all(
        jobs.map(async (job) => {
          try {
            const outcome = await deliverOutboxEmail(context, transport, job.data.outboxId);
            if (outcome === 'busy') throw new Error('another worker holds the lease on this message');
          } catch (error) {
            await boss.fail(QUEUES.deliverEmail, job.id, { message: error instanceof Error ? error.message : String(error) });
          }
        }),
      );
    },
  );

  await boss.work(QUEUES.sweepOutbox, async () => {
    await sweepOutbox(context);
  });
  await boss.schedule(QUEUES.sweepOutbox, '* * * * *');

  await registerReminderWorkers(boss, context);
  await registerAttendanceWorkers(boss, context);
  await registerCertificateWorkers(boss, context);
}
