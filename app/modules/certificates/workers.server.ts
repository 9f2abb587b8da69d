import type PgBoss from 'pg-boss';
import type { AppContext } from '../context.server';
import { processCompletionEvents } from './issue.server';

/** How often a worker looks for completion events: a certificate arrives within about this long of the completion. */
export const COMPLETION_POLL_MS = 1_000;

/**
 * Issues certificates from completion events with a poll loop in every
 * worker process rather than a pg-boss queue: the completion code writes an
 * event row in its own transaction and sends no job, cron schedules cannot
 * run more often than once a minute, and `FOR UPDATE SKIP LOCKED` in
 * processCompletionEvents lets any number of workers share the rows. The
 * loop stops with pg-boss, and never keeps the process alive on its own.
 */
export function startCertificateIssuer(boss: PgBoss, context: AppContext, intervalMs = COMPLETION_POLL_MS): () => void {
  let running = false;
  let stopped = false;
  const tick = async () => {
    if (running || stopped) return;
    running = true;
    try {
      await processCompletionEvents(context);
    } catch (error) {
      console.error('[certificates] issuing from completion events failed; retrying on the next tick', error);
    } finally {
      running = false;
    }
  };
  const timer = setInterval(() => void tick(), intervalMs);
  timer.unref();
  const stop = () => {
    stopped = true;
    clearInterval(timer);
  };
  boss.once('stopped', stop);
  void tick();
  return stop;
}

export async function registerCertificateWorkers(boss: PgBoss, context: AppContext): Promise<void> {
  startCertificateIssuer(boss, context);
}
