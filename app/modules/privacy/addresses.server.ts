import { and, eq, isNotNull, ne, notExists, sql } from 'drizzle-orm';
import type { Executor } from '#db/client';
import { emailTokens, users } from '#db/schema';

/**
 * The addresses whose mail belongs to this person: the current one, and any
 * earlier one they verified (an address change leaves its used token), unless
 * another account holds that address now; its mail since is that person's.
 * An address merely typed in and never verified is left out for the same reason.
 */
export async function ownAddresses(db: Executor, userId: string, currentEmail: string): Promise<string[]> {
  const heldByOther = db
    .select({ one: sql`1` })
    .from(users)
    .where(and(eq(users.email, sql`lower(${emailTokens.email})`), ne(users.id, userId)));
  const earlier = await db
    .selectDistinct({ email: sql<string>`lower(${emailTokens.email})` })
    .from(emailTokens)
    .where(and(eq(emailTokens.userId, userId), eq(emailTokens.purpose, 'verify_email'), isNotNull(emailTokens.usedAt), notExists(heldByOther)));
  return [...new Set([currentEmail.toLowerCase(), ...earlier.map((row) => row.email)])];
}
