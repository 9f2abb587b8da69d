import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

/**
 * The private signing key rests in the database encrypted with AES-256-GCM.
 * The AES key is derived from the configured secret with HKDF, so any secret
 * of at least 32 characters works and the raw secret is never used as a key.
 * The key id is bound in as additional data: a ciphertext moved to another
 * row does not decrypt.
 */
const HKDF_INFO = 'kollega open badges signing key v1';
const IV_BYTES = 12;
const TAG_BYTES = 16;

export class KeyDecryptionError extends Error {
  constructor(readonly kid: string) {
    super(`The signing key ${kid} cannot be decrypted with the configured secret.`);
  }
}

function aesKey(secret: string): Buffer {
  return Buffer.from(hkdfSync('sha256', Buffer.from(secret, 'utf8'), Buffer.alloc(0), HKDF_INFO, 32));
}

/** `iv.tag.data`, each part base64url (the format signing_keys.private_key_encrypted documents). */
export function encryptPrivateKey(plaintext: string, kid: string, secret: string): string {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', aesKey(secret), iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(Buffer.from(kid, 'utf8'));
  const data = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return [iv, cipher.getAuthTag(), data].map((part) => part.toString('base64url')).join('.');
}

/** The plaintext, or KeyDecryptionError for a wrong secret, another row's ciphertext or damaged text. */
export function decryptPrivateKey(sealed: string, kid: string, secret: string): string {
  const parts = sealed.split('.');
  if (parts.length !== 3) throw new KeyDecryptionError(kid);
  const [iv, tag, data] = parts.map((part) => Buffer.from(part, 'base64url')) as [Buffer, Buffer, Buffer];
  if (iv.length !== IV_BYTES || tag.length !== TAG_BYTES) throw new KeyDecryptionError(kid);
  try {
    const decipher = createDecipheriv('aes-256-gcm', aesKey(secret), iv, { authTagLength: TAG_BYTES });
    decipher.setAAD(Buffer.from(kid, 'utf8'));
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(data), decipher.final()]).toString('utf8');
  } catch {
    throw new KeyDecryptionError(kid);
  }
}
