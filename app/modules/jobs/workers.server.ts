import type PgBoss from 'pg-boss';
import type { AppContext } from '../context.server';
import { deliverOutboxEmail, startOutboxSweeper, sweepOutbox } from '../email/delivery.server';
import { createMailTransport } from '../email/transport.server';
import { registerCertificateWorkers } from '../certificates/workers.server';
import { registerAttendanceWorkers } from '../live/attendance-workers.server';
import { registerRetentionWorker } from '../privacy/workers.server';
import { registerReminderWorkers } from '../reminders/reminder-workers.server';
import { QUEUES } from './jobs.server';

/** Registers every background handler. Any number of processes may do this against one database. */
export async function registerWorkers(boss: PgBoss, context: AppContext): Promise<void> {
  const transport = createMailTransport(context.config, context.db);

  // pg-boss 10 completes or fails a whole batch together, so each job that
  // fails is failed on its own here and only the rest complete with the batch.
  // After each batch pg-boss waits out the polling interval, however many jobs
  // are waiting: a worker would deliver at most one batch a second (8 messages
  // a second for two workers, bench:email). A full batch means more may be
  // waiting, so the worker is told to fetch again at once.
  const batchSize = context.config.workerConcurrency;
  let deliveryWorker = '';
  deliveryWorker = await boss.work<{ outboxId: string }>(
    QUEUES.deliverEmail,
    { batchSize, pollingIntervalSeconds: 1 },
    async (jobs) => {
      if (jobs.length >= batchSize) boss.notifyWorker(deliveryWorker);
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

  // The sweep runs on a timer in each worker (startOutboxSweeper); sweep jobs that the minute cron of
  // earlier versions queued are still handled, and that schedule is removed.
  await boss.work(QUEUES.sweepOutbox, async () => {
    await sweepOutbox(context);
  });
  await boss.unschedule(QUEUES.sweepOutbox);
  startOutboxSweeper(boss, context);

  await registerReminderWorkers(boss, context);
  await registerAttendanceWorkers(boss, context);
  await registerCertificateWorkers(boss, context);
  await registerRetentionWorker(boss, context);
}
