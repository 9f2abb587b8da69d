import { and, asc, count, eq, ilike, inArray, isNull, or, sql } from 'drizzle-orm';
import type { Executor } from '#db/client';
import { userRoles, users } from '#db/schema';
import { recordAudit } from '../audit/audit.server';
import type { AppContext } from '../context.server';
import { message } from '../forms/messages';
import type { Role } from '../policy/policy';
import { likePattern, offsetFor, pageCount, PAGE_SIZE } from '../ui/pagination';
import { isKnownCountry } from './reference-data.server';
import { grantRoleSchema } from './role-schemas';

export type UserWithRoles = Awaited<ReturnType<typeof searchUsers>>['rows'][number];

/** People whose name or email contains the query (any case), by name, one page at a time, with their roles. */
export async function searchUsers(db: Executor, filter: { query?: string; page: number }) {
  const where = filter.query ? or(ilike(users.fullName, likePattern(filter.query)), ilike(users.email, likePattern(filter.query))) : undefined;
  const [{ total } = { total: 0 }] = await db.select({ total: count() }).from(users).where(where);
  const people = await db
    .select({ id: users.id, fullName: users.fullName, email: users.email, country: users.country, deleted: sql<boolean>`${users.deletedAt} is not null` })
    .from(users)
    .where(where)
    .orderBy(asc(users.fullName), asc(users.id))
    .limit(PAGE_SIZE)
    .offset(offsetFor(filter.page));
  const grants =
    people.length === 0
      ? []
      : await db
          .select({ userId: userRoles.userId, role: userRoles.role, country: userRoles.country })
          .from(userRoles)
          .where(
            inArray(
              userRoles.userId,
              people.map((p) => p.id),
            ),
          )
          .orderBy(asc(userRoles.role), asc(userRoles.country));
  const rows = people.map((person) => ({
    ...person,
    roles: grants.filter((g) => g.userId === person.id).map(({ role, country }) => ({ role, country })),
  }));
  return { rows, total, page: filter.page, pages: pageCount(total) };
}

/** A person roles can be given to or taken from: deleted accounts are not (their row stays only for the record). */
export async function findUserSummary(db: Executor, userId: string) {
  const [user] = await db
    .select({ id: users.id, fullName: users.fullName, email: users.email })
    .from(users)
    .where(and(eq(users.id, userId), isNull(users.deletedAt)))
    .limit(1);
  return user ?? null;
}

export interface RoleChange {
  actorId: string;
  userId: string;
  role: Role;
  /** The NSO officer's country; ignored (stored as '') for the other roles. */
  country?: string;
}

export type GrantResult = { ok: true; fullName: string; changed: boolean } | { ok: false; reason: 'user-not-found' | 'country-required' };

/** Grants a role, audited in the same transaction. Granting one the person already has changes nothing. */
export async function grantRole(context: Pick<AppContext, 'db'>, change: RoleChange, now: Date): Promise<GrantResult> {
  const country = change.role === 'nso' ? (change.country ?? '') : '';
  if (change.role === 'nso' && !country) return { ok: false, reason: 'country-required' };
  return context.db.transaction(async (tx) => {
    const user = await findUserSummary(tx, change.userId);
    if (!user) return { ok: false, reason: 'user-not-found' } as const;
    const inserted = await tx
      .insert(userRoles)
      .values({ userId: change.userId, role: change.role, country, grantedBy: change.actorId, grantedAt: now })
      .onConflictDoNothing()
      .returning({ role: userRoles.role });
    if (inserted.length === 0) return { ok: true, fullName: user.fullName, changed: false } as const;
    await recordAudit(tx, {
      actorId: change.actorId,
      action: 'role.granted',
      subjectType: 'user',
      subjectId: change.userId,
      details: { role: change.role, country },
      at: now,
    });
    return { ok: true, fullName: user.fullName, changed: true } as const;
  });
}

export type RemoveResult = { ok: true; fullName: string; changed: boolean } | { ok: false; reason: 'user-not-found' | 'own-admin' };

/** Removes a role, audited. Admins keep their own admin role, so there is always someone who can grant it back. */
export async function removeRole(context: Pick<AppContext, 'db'>, change: RoleChange, now: Date): Promise<RemoveResult> {
  if (change.role === 'admin' && change.userId === change.actorId) return { ok: false, reason: 'own-admin' };
  const country = change.role === 'nso' ? (change.country ?? '') : '';
  return context.db.transaction(async (tx) => {
    const user = await findUserSummary(tx, change.userId);
    if (!user) return { ok: false, reason: 'user-not-found' } as const;
    const removed = await tx
      .delete(userRoles)
      .where(and(eq(userRoles.userId, change.userId), eq(userRoles.role, change.role), eq(userRoles.country, country)))
      .returning({ role: userRoles.role });
    if (removed.length === 0) return { ok: true, fullName: user.fullName, changed: false } as const;
    await recordAudit(tx, {
      actorId: change.actorId,
      action: 'role.removed',
      subjectType: 'user',
      subjectId: change.userId,
      details: { role: change.role, country },
      at: now,
    });
    return { ok: true, fullName: user.fullName, changed: true } as const;
  });
}

/** The grant form as the server checks it: the country must also be a real one. */
export const serverGrantRoleSchema = grantRoleSchema.superRefine((value, ctx) => {
  if (value.country && !isKnownCountry(value.country)) {
    ctx.addIssue({ code: 'custom', path: ['country'], message: message('errors.invalidCountry') });
  }
});
