import { and, eq, gt, isNull, ne, sql } from 'drizzle-orm';
import type { Executor } from '#db/client';
import { emailTokens, users } from '#db/schema';
import type { AppContext } from '../context.server';
import { withMailer, type Mailer } from '../email/outbox.server';
import type { Locale } from '../i18n/locales';
import { hashPassword, verifyPassword, dummyPasswordHash } from './password.server';
import type { ProfileInput, RegisterInput } from './schemas';
import { clearLimit } from './rate-limit.server';
import { deleteUserSessions } from './sessions.server';
import { hashToken, newToken } from './tokens.server';

export const VERIFY_EMAIL_TTL_MS = 48 * 60 * 60 * 1000;
export const RESET_PASSWORD_TTL_MS = 60 * 60 * 1000;

export async function findUserByEmail(db: Executor, email: string) {
  const [user] = await db.select().from(users).where(eq(users.email, email.toLowerCase())).limit(1);
  return user ?? null;
}

async function sendVerification(
  tx: Executor,
  mailer: Mailer,
  context: AppContext,
  user: { id: string; fullName: string; locale: Locale },
  email: string,
  now: Date,
) {
  const { token, hash } = newToken();
  await tx.insert(emailTokens).values({
    tokenHash: hash,
    userId: user.id,
    purpose: 'verify_email',
    email,
    createdAt: now,
    expiresAt: new Date(now.getTime() + VERIFY_EMAIL_TTL_MS),
  });
  await mailer.send({
    template: 'verify-email',
    to: email,
    locale: user.locale,
    data: { name: user.fullName, url: `${context.config.appUrl}/verify-email?token=${token}` },
    idempotencyKey: `verify-email:${hash}`,
  });
}

export type RegisterResult = { ok: true; userId: string } | { ok: false; reason: 'email-taken' };

/** Creates the account and sends the verification link, in one transaction. */
export async function registerAccount(context: AppContext, input: RegisterInput, now: Date): Promise<RegisterResult> {
  const passwordHash = await hashPassword(input.password);
  return withMailer(context, async (tx, mailer) => {
    const [user] = await tx
      .insert(users)
      .values({
        email: input.email,
        passwordHash,
        fullName: input.fullName,
        certificateName: input.certificateName || input.fullName,
        country: input.country,
        school: input.school,
        schoolRole: input.schoolRole,
        locale: input.locale,
        timeZone: input.timeZone,
        createdAt: now,
        updatedAt: now,
      })
      .onConflictDoNothing({ target: users.email })
      .returning();
    if (!user) return { ok: false, reason: 'email-taken' } as const;
    await sendVerification(tx, mailer, context, user, user.email, now);
    return { ok: true, userId: user.id } as const;
  });
}

export type TokenResult<T> = { ok: true; value: T } | { ok: false; reason: 'invalid' | 'expired' | 'email-taken' };

/** Uses a verification link: marks the address verified, or switches to the new address after a change. */
export async function verifyEmail(context: AppContext, token: string, now: Date): Promise<TokenResult<{ email: string; userId: string }>> {
  return context.db.transaction(async (tx) => {
    const [row] = await tx
      .select()
      .from(emailTokens)
      .where(and(eq(emailTokens.tokenHash, hashToken(token)), eq(emailTokens.purpose, 'verify_email')))
      .for('update')
      .limit(1);
    if (!row || row.usedAt) return { ok: false, reason: 'invalid' } as const;
    if (row.expiresAt.getTime() <= now.getTime()) return { ok: false, reason: 'expired' } as const;
    const [clash] = await tx
      .select({ id: users.id })
      .from(users)
      .where(and(eq(users.email, row.email), ne(users.id, row.userId)))
      .limit(1);
    if (clash) return { ok: false, reason: 'email-taken' } as const;
    await tx.update(users).set({ email: row.email, emailVerifiedAt: now, updatedAt: now }).where(eq(users.id, row.userId));
    // Every other open link for this account is now stale.
    await tx
      .update(emailTokens)
      .set({ usedAt: now })
      .where(and(eq(emailTokens.userId, row.userId), eq(emailTokens.purpose, 'verify_email'), isNull(emailTokens.usedAt)));
    return { ok: true, value: { email: row.email, userId: row.userId } } as const;
  });
}

/** The address waiting for verification after an email change, if any. */
export async function pendingEmailChange(db: Executor, userId: string, currentEmail: string, now: Date): Promise<string | null> {
  const [row] = await db
    .select({ email: emailTokens.email })
    .from(emailTokens)
    .where(
      and(
        eq(emailTokens.userId, userId),
        eq(emailTokens.purpose, 'verify_email'),
        isNull(emailTokens.usedAt),
        gt(emailTokens.expiresAt, now),
        ne(emailTokens.email, currentEmail),
      ),
    )
    .orderBy(sql`${emailTokens.createdAt} desc`)
    .limit(1);
  return row?.email ?? null;
}

/** Sends a fresh verification link for the current address (or the pending new one). */
export async function resendVerification(context: AppContext, userId: string, now: Date): Promise<string | null> {
  return withMailer(context, async (tx, mailer) => {
    const [user] = await tx.select().from(users).where(eq(users.id, userId)).limit(1);
    if (!user) return null;
    const target = (await pendingEmailChange(tx, userId, user.email, now)) ?? (user.emailVerifiedAt ? null : user.email);
    if (!target) return null;
    await sendVerification(tx, mailer, context, user, target, now);
    return target;
  });
}

/** The account for these credentials, or null. Takes as long for unknown addresses as for wrong passwords. */
export async function authenticate(db: Executor, email: string, password: string) {
  const user = await findUserByEmail(db, email);
  const ok = await verifyPassword(password, user?.passwordHash ?? (await dummyPasswordHash()));
  return user && ok ? user : null;
}

/** Emails a single-use reset link valid for one hour, if the account exists. Says nothing either way. */
export async function requestPasswordReset(context: AppContext, email: string, now: Date): Promise<void> {
  await withMailer(context, async (tx, mailer) => {
    const user = await findUserByEmail(tx, email);
    if (!user) return;
    const { token, hash } = newToken();
    await tx.insert(emailTokens).values({
      tokenHash: hash,
      userId: user.id,
      purpose: 'reset_password',
      email: user.email,
      createdAt: now,
      expiresAt: new Date(now.getTime() + RESET_PASSWORD_TTL_MS),
    });
    await mailer.send({
      template: 'reset-password',
      to: user.email,
      locale: user.locale,
      data: { name: user.fullName, url: `${context.config.appUrl}/reset-password?token=${token}` },
      idempotencyKey: `reset-password:${hash}`,
    });
  });
}

/** Whether a reset link can still be used (for showing the form). */
export async function checkResetToken(db: Executor, token: string, now: Date): Promise<'valid' | 'invalid' | 'expired'> {
  const [row] = await db
    .select()
    .from(emailTokens)
    .where(and(eq(emailTokens.tokenHash, hashToken(token)), eq(emailTokens.purpose, 'reset_password')))
    .limit(1);
  if (!row || row.usedAt) return 'invalid';
  return row.expiresAt.getTime() <= now.getTime() ? 'expired' : 'valid';
}

/**
 * Sets the new password, uses up the link (and every other reset link of the
 * account) and signs the account out everywhere.
 */
export async function resetPassword(
  context: AppContext,
  token: string,
  password: string,
  now: Date,
): Promise<TokenResult<{ userId: string; email: string }>> {
  const passwordHash = await hashPassword(password);
  const result = await context.db.transaction(async (tx): Promise<TokenResult<{ userId: string; email: string }>> => {
    const [row] = await tx
      .select()
      .from(emailTokens)
      .where(and(eq(emailTokens.tokenHash, hashToken(token)), eq(emailTokens.purpose, 'reset_password')))
      .for('update')
      .limit(1);
    if (!row || row.usedAt) return { ok: false, reason: 'invalid' } as const;
    if (row.expiresAt.getTime() <= now.getTime()) return { ok: false, reason: 'expired' } as const;
    // Following the emailed link proves the address, too.
    await tx.update(users).set({ passwordHash, emailVerifiedAt: sql`coalesce(${users.emailVerifiedAt}, ${now.toISOString()}::timestamptz)`, updatedAt: now }).where(eq(users.id, row.userId));
    await tx
      .update(emailTokens)
      .set({ usedAt: now })
      .where(and(eq(emailTokens.userId, row.userId), eq(emailTokens.purpose, 'reset_password'), isNull(emailTokens.usedAt)));
    await deleteUserSessions(tx, row.userId);
    return { ok: true, value: { userId: row.userId, email: row.email } } as const;
  });
  // Proving the address by email is stronger than the lockout guards against: lift it.
  if (result.ok) await clearLimit(context, 'loginAccount', result.value.email);
  return result;
}

export async function getProfile(db: Executor, userId: string) {
  const [user] = await db.select().from(users).where(eq(users.id, userId)).limit(1);
  if (!user) return null;
  const { passwordHash: _hidden, ...profile } = user;
  return profile;
}

export type ProfileUpdateResult = { ok: true; emailChangeSentTo: string | null } | { ok: false; reason: 'email-taken' };

/** Saves the profile. A new email address is only used once its owner verifies it. */
export async function updateProfile(context: AppContext, userId: string, input: ProfileInput, now: Date): Promise<ProfileUpdateResult> {
  return withMailer(context, async (tx, mailer) => {
    const [current] = await tx.select({ email: users.email }).from(users).where(eq(users.id, userId)).limit(1);
    if (!current) throw new Error('profile of a missing user');
    const changesEmail = input.email !== current.email;
    // Refuse before changing anything, so a refused save leaves the whole profile as it was.
    if (changesEmail && (await findUserByEmail(tx, input.email))) return { ok: false, reason: 'email-taken' } as const;
    const [user] = await tx
      .update(users)
      .set({
        fullName: input.fullName,
        certificateName: input.certificateName || input.fullName,
        country: input.country,
        school: input.school,
        schoolRole: input.schoolRole,
        locale: input.locale,
        timeZone: input.timeZone,
        notifyOnReplies: input.notifyOnReplies,
        updatedAt: now,
      })
      .where(eq(users.id, userId))
      .returning();
    if (!changesEmail) return { ok: true, emailChangeSentTo: null } as const;
    await sendVerification(tx, mailer, context, user!, input.email, now);
    return { ok: true, emailChangeSentTo: input.email } as const;
  });
}

/** Changes the password after checking the current one; other sessions end. */
export async function changePassword(
  context: AppContext,
  userId: string,
  sessionId: string,
  current: string,
  next: string,
  now: Date,
): Promise<boolean> {
  const [user] = await context.db.select({ passwordHash: users.passwordHash }).from(users).where(eq(users.id, userId)).limit(1);
  if (!user || !(await verifyPassword(current, user.passwordHash))) return false;
  const passwordHash = await hashPassword(next);
  await context.db.transaction(async (tx) => {
    await tx.update(users).set({ passwordHash, updatedAt: now }).where(eq(users.id, userId));
    await deleteUserSessions(tx, userId, { except: sessionId });
  });
  return true;
}
