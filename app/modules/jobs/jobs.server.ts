import PgBoss from 'pg-boss';
import type { DatabaseHandle } from '#db/client';

/** Every background queue the platform uses. pg-boss 10 wants them created before use. */
export const QUEUES = {
  deliverEmail: 'email-deliver',
  sweepOutbox: 'email-sweep-outbox',
  /** One job per session and kind (24 h, 1 h), due at the reminder's instant. */
  sessionReminder: 'session-reminder',
  /** Puts back reminder jobs lost between a commit and their queueing. */
  sweepReminders: 'session-reminders-sweep',
  /** At a session's end: its tracked joins become attendance and completion is evaluated. */
  sessionEnded: 'session-ended',
  /** Daily: removes unverified accounts, expired sessions and tokens, old mailbox messages (app/modules/privacy/retention.server.ts). */
  retention: 'privacy-retention',
} as const;
export type QueueName = (typeof QUEUES)[keyof typeof QUEUES];

export type SendOptions = PgBoss.SendOptions;

/** What domain code needs from the job system: putting work on a queue. */
export interface JobQueue {
  send(queue: QueueName, data: object, options?: SendOptions): Promise<string | null>;
  /** Many jobs in one statement; a job whose singleton key is already waiting is skipped, as with send. */
  insert(queue: QueueName, jobs: { data: object; options?: SendOptions }[]): Promise<void>;
}

export const BOSS_SCHEMA = 'pgboss';

/**
 * pg-boss on either driver. On PostgreSQL it opens its own small pool; on the
 * embedded database it shares the single PGlite connection through `db`.
 */
export function createBoss(handle: DatabaseHandle, options: { poolSize?: number } = {}): PgBoss {
  const common = { schema: BOSS_SCHEMA } as const;
  if (handle.driver === 'postgres') {
    return new PgBoss({ ...common, connectionString: handle.url!, max: options.poolSize ?? 4 });
  }
  return new PgBoss({
    ...common,
    db: { executeSql: (text: string, values?: unknown[]) => handle.query(text, values) },
  });
}

/**
 * Queue policies. 'stately' allows one waiting and one running job per
 * singleton key, so a message is never queued twice for delivery whoever
 * queues it (the use case after commit, the sweep, an admin's retry).
 */
const QUEUE_POLICIES: Partial<Record<QueueName, PgBoss.QueuePolicy>> = {
  [QUEUES.deliverEmail]: 'stately',
  // One waiting job per session, kind and start: the after-commit queueing and the reminder sweep make one job between them.
  [QUEUES.sessionReminder]: 'short',
};

export async function ensureQueues(boss: PgBoss): Promise<void> {
  const existing = new Map((await boss.getQueues()).map((q) => [q.name, q.policy]));
  for (const name of Object.values(QUEUES)) {
    const policy = QUEUE_POLICIES[name] ?? 'standard';
    if (!existing.has(name)) await boss.createQueue(name, { name, policy });
    // A queue made before its policy was chosen takes it now (it applies to jobs sent from then on).
    else if (existing.get(name) !== policy) await boss.updateQueue(name, { name, policy });
  }
}

export function jobQueueFrom(boss: PgBoss): JobQueue {
  return {
    send: (queue, data, options) => boss.send(queue, data, options ?? {}),
    async insert(queue, jobs) {
      if (jobs.length === 0) return;
      await boss.insert(jobs.map(({ data, options = {} }) => ({ name: queue, data, ...insertOptions(options) })));
    },
  };
}

/** send's options as pg-boss's insert spells them (insert takes no startAfter as a Date, and no priority flag). */
function insertOptions(options: SendOptions): Omit<PgBoss.JobInsert, 'name' | 'data'> {
  const { startAfter, ...rest } = options as SendOptions & { startAfter?: Date | string | number };
  return {
    ...(rest as Omit<PgBoss.JobInsert, 'name' | 'data' | 'startAfter'>),
    ...(startAfter instanceof Date ? { startAfter: startAfter.toISOString() } : typeof startAfter === 'string' ? { startAfter } : {}),
  };
}
