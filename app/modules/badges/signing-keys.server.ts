import { asc, eq, isNull, sql } from 'drizzle-orm';
import { calculateJwkThumbprint, exportJWK, generateKeyPair, importJWK, type JWK } from 'jose';
import type { Database, Executor } from '#db/client';
import { signingKeys } from '#db/schema';
import { ConfigError } from '../config/config.server';
import type { AppContext } from '../context.server';
import { decryptPrivateKey, encryptPrivateKey, KeyDecryptionError } from './key-encryption.server';

export const SIGNING_ALGORITHM = 'EdDSA';

/** Any number advisory locks agree on: only one process at a time decides whether a key must be made. */
const KEY_CREATION_LOCK = 7_391_204_117;

export interface SigningKey {
  kid: string;
  privateKey: CryptoKey;
}

/** A public key as the JWKS publishes it. */
export type PublishedJwk = JWK & { kid: string; alg: string; use: 'sig' };

function published(row: { kid: string; algorithm: string; publicJwk: Record<string, string> }): PublishedJwk {
  return { ...row.publicJwk, kid: row.kid, alg: row.algorithm, use: 'sig' };
}

/** The key new credentials are signed with: the oldest one not retired, so every process picks the same. */
async function activeKeyRow(db: Executor) {
  const [row] = await db
    .select()
    .from(signingKeys)
    .where(isNull(signingKeys.retiredAt))
    .orderBy(asc(signingKeys.createdAt), asc(signingKeys.kid))
    .limit(1);
  return row ?? null;
}

async function newKeyRow(secret: string, now: Date): Promise<typeof signingKeys.$inferInsert> {
  const { publicKey, privateKey } = await generateKeyPair(SIGNING_ALGORITHM, { crv: 'Ed25519', extractable: true });
  const { kty, crv, x } = await exportJWK(publicKey);
  const publicJwk = { kty: kty!, crv: crv!, x: x! };
  const kid = await calculateJwkThumbprint(publicJwk, 'sha256');
  const privateJwk = JSON.stringify(await exportJWK(privateKey));
  return { kid, algorithm: SIGNING_ALGORITHM, publicJwk, privateKeyEncrypted: encryptPrivateKey(privateJwk, kid, secret), createdAt: now };
}

/**
 * Makes the Ed25519 key pair on first start and returns the active key's id.
 * Race-safe across processes: the check and the insert run under one
 * transaction-scoped advisory lock, and the insert does nothing on a clash,
 * so two starters end with one key and both read that one.
 */
export async function ensureSigningKey(context: Pick<AppContext, 'db' | 'config'>, now: Date): Promise<string> {
  return context.db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(${KEY_CREATION_LOCK})`);
    const existing = await activeKeyRow(tx);
    if (existing) return existing.kid;
    await tx.insert(signingKeys).values(await newKeyRow(context.config.credentialKeySecret, now)).onConflictDoNothing();
    const created = await activeKeyRow(tx);
    return created!.kid;
  });
}

/**
 * Retires the active key (it stays in the JWKS, so what it signed still
 * verifies) and makes a new one for what is signed from now on. For a
 * suspected leak or a changed secret; other processes pick the new key up
 * when they restart.
 */
export async function rotateSigningKey(context: Pick<AppContext, 'db' | 'config'>, now: Date): Promise<string> {
  const kid = await context.db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(${KEY_CREATION_LOCK})`);
    await tx.update(signingKeys).set({ retiredAt: now }).where(isNull(signingKeys.retiredAt));
    const row = await newKeyRow(context.config.credentialKeySecret, now);
    await tx.insert(signingKeys).values(row);
    return row.kid;
  });
  loadedKeys.delete(context.db);
  return kid;
}

/** Decrypted once per process and database (and secret), not per credential. */
const loadedKeys = new WeakMap<Database, Map<string, Promise<SigningKey>>>();

async function loadActiveKey(context: Pick<AppContext, 'db' | 'config'>, now: Date): Promise<SigningKey> {
  await ensureSigningKey(context, now);
  const row = await activeKeyRow(context.db);
  if (!row) throw new Error('No active signing key after creating one.');
  let privateJwk: string;
  try {
    privateJwk = decryptPrivateKey(row.privateKeyEncrypted, row.kid, context.config.credentialKeySecret);
  } catch (error) {
    if (error instanceof KeyDecryptionError) {
      throw new ConfigError(
        'CREDENTIAL_KEY_SECRET',
        `does not decrypt the active signing key ${row.kid}: set it to the secret the key was made with (without CREDENTIAL_KEY_SECRET that was SESSION_SECRET)`,
      );
    }
    throw error;
  }
  const privateKey = (await importJWK(JSON.parse(privateJwk) as JWK, SIGNING_ALGORITHM)) as CryptoKey;
  return { kid: row.kid, privateKey };
}

/**
 * The key to sign with. A wrong secret is a ConfigError naming
 * CREDENTIAL_KEY_SECRET (at start it stops the process with that line).
 */
export function activeSigningKey(context: Pick<AppContext, 'db' | 'config'>, now: Date): Promise<SigningKey> {
  let bySecret = loadedKeys.get(context.db);
  if (!bySecret) {
    bySecret = new Map();
    loadedKeys.set(context.db, bySecret);
  }
  const secret = context.config.credentialKeySecret;
  let loading = bySecret.get(secret);
  if (!loading) {
    loading = loadActiveKey(context, now);
    bySecret.set(secret, loading);
    // A failure is not remembered: the next request tries again (after the secret is fixed and the process restarted, or a key was made meanwhile).
    loading.catch(() => bySecret.delete(secret));
  }
  return loading;
}

/** Every key ever used, active and retired, oldest first: what verifiers fetch. */
export async function publishedKeys(db: Executor): Promise<PublishedJwk[]> {
  const rows = await db
    .select({ kid: signingKeys.kid, algorithm: signingKeys.algorithm, publicJwk: signingKeys.publicJwk })
    .from(signingKeys)
    .orderBy(asc(signingKeys.createdAt), asc(signingKeys.kid));
  return rows.map(published);
}

/** One published key by its id, or null when we never had it. */
export async function publishedKey(db: Executor, kid: string): Promise<PublishedJwk | null> {
  const [row] = await db
    .select({ kid: signingKeys.kid, algorithm: signingKeys.algorithm, publicJwk: signingKeys.publicJwk })
    .from(signingKeys)
    .where(eq(signingKeys.kid, kid))
    .limit(1);
  return row ? published(row) : null;
}
