import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { Keyring, SecretKey } from './keyring.ts';

/**
 * A sealed value: `v1:<kid>:<iv>:<ciphertext>:<tag>` (base64url), AES-256-GCM with a random
 * 96-bit IV. The additional data binds the value to where it is stored (`webhooks.secret:<id>`)
 * and to its key id, so a sealed secret copied onto another row, or relabelled with another
 * key id, does not open.
 */
const VERSION = 'v1';
const IV_BYTES = 12;
const TAG_BYTES = 16;

export class SecretUnavailable extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SecretUnavailable';
  }
}

export function isSealed(stored: string): boolean {
  return stored.startsWith(`${VERSION}:`);
}

/** The id of the key a sealed value needs; null for a value stored as given. */
export function sealedKid(stored: string): string | null {
  return isSealed(stored) ? (stored.split(':')[1] ?? null) : null;
}

function additionalData(kid: string, context: string): Buffer {
  return Buffer.from(`tapis:${VERSION}:${kid}:${context}`);
}

export function sealWith(key: SecretKey, plaintext: string, context: string): string {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key.key, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(additionalData(key.kid, context));
  const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return [VERSION, key.kid, iv, ciphertext, cipher.getAuthTag()]
    .map((part) => (typeof part === 'string' ? part : part.toString('base64url')))
    .join(':');
}

/** Seals under the current key; without one, the value is kept as given (warned at start-up). */
export function protect(keyring: Keyring, plaintext: string, context: string): string {
  return keyring.current ? sealWith(keyring.current, plaintext, context) : plaintext;
}

/**
 * The plaintext of a stored value: a sealed one is opened, one stored as given is returned.
 * A value this keyring cannot open is a SecretUnavailable that says which key it needs,
 * never a crash deep in node:crypto.
 */
export function reveal(keyring: Keyring, stored: string, context: string): string {
  if (!isSealed(stored)) return stored;
  const parts = stored.split(':');
  const [, kid, iv, ciphertext, tag] = parts;
  if (parts.length !== 5 || !kid || !iv || ciphertext === undefined || !tag)
    throw new SecretUnavailable(`${context}: the sealed value is malformed`);
  const key = keyring.keys.get(kid);
  if (!key) {
    throw new SecretUnavailable(
      `${context} is sealed with key ${kid}, which this process does not hold: set TAPIS_SECRET_KEY to it, or list it in TAPIS_SECRET_KEYS_RETIRED`,
    );
  }
  try {
    const decipher = createDecipheriv('aes-256-gcm', key.key, Buffer.from(iv, 'base64url'), {
      authTagLength: TAG_BYTES,
    });
    decipher.setAAD(additionalData(kid, context));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(ciphertext, 'base64url')), decipher.final()]).toString(
      'utf8',
    );
  } catch {
    throw new SecretUnavailable(
      `${context} does not open with key ${kid}: the value was altered or moved from another record`,
    );
  }
}
