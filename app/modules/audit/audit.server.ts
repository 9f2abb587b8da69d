import type { Executor } from '#db/client';
import { auditLog } from '#db/schema';

/** What an audited decision records. Actions are dotted verbs such as `validation.approved` or `role.granted`. */
export interface AuditEntry {
  /** Who decided; null only for the system itself. */
  actorId: string | null;
  action: string;
  subjectType: string;
  subjectId: string;
  reason?: string;
  details?: Record<string, unknown>;
  /** When it happened; the caller's `now`, so the entry and the change it records share one instant. */
  at?: Date;
}

/**
 * Adds one row to the audit log. Takes the caller's transaction so the entry
 * exists exactly when the change it describes was committed.
 */
export async function recordAudit(tx: Executor, entry: AuditEntry): Promise<void> {
  await tx.insert(auditLog).values({
    actorId: entry.actorId,
    action: entry.action,
    subjectType: entry.subjectType,
    subjectId: entry.subjectId,
    reason: entry.reason ?? '',
    details: entry.details ?? {},
    ...(entry.at ? { createdAt: entry.at } : {}),
  });
}
