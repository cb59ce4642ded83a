import { createHash } from 'node:crypto';

/**
 * The keys that seal secrets at rest (webhook secrets, the receipt key's private half).
 * `TAPIS_SECRET_KEY` is the current key: new and re-sealed values use it.
 * `TAPIS_SECRET_KEYS_RETIRED` lists older keys, kept only to open values sealed before a
 * rotation until `tapis secrets rotate` has re-sealed them.
 *
 * A key's id is a fingerprint of the key itself, so an operator never has to name keys and
 * a value always says which key opens it (docs/decisions/0016-secrets-at-rest.md).
 */
export interface SecretKey {
  kid: string;
  key: Buffer;
}

export interface Keyring {
  /** The key new values are sealed with; null: none configured (values are stored as given). */
  current: SecretKey | null;
  /** Every key that may open a value, the current one included, by id. */
  keys: ReadonlyMap<string, SecretKey>;
  /** Where the current key came from: the environment, or the demo's published key. */
  source: 'configured' | 'demo' | 'none';
}

export const SECRET_KEY_HELP =
  'a 32-byte key, base64 or hex: make one with `tapis secrets new-key` (or `openssl rand -base64 32`)';

/** 32 bytes given as base64, base64url or hex; null when it is not such a key. */
export function decodeSecretKey(text: string): Buffer | null {
  const value = text.trim();
  if (/^[0-9a-fA-F]{64}$/.test(value)) return Buffer.from(value, 'hex');
  if (/^[A-Za-z0-9+/_-]{43}=?$/.test(value)) {
    const bytes = Buffer.from(value.replace(/=$/, ''), 'base64url');
    return bytes.length === 32 ? bytes : null;
  }
  return null;
}

export function keyId(key: Buffer): string {
  const digest = createHash('sha256').update('tapis secret key id\0').update(key).digest('base64url');
  return `k${digest.slice(0, 10)}`;
}

/**
 * The demo's key: derived from a published phrase, so it protects nothing. It exists so that
 * `npm start` runs the same sealed code path as production; demo mode says so at start-up.
 */
export const DEMO_KEY_ID = 'demo';
const demoKey: SecretKey = {
  kid: DEMO_KEY_ID,
  key: createHash('sha256').update('tapis DEMO secret key: published, protects nothing').digest(),
};

export function buildKeyring(options: { current?: string; retired?: string[]; demo?: boolean }): Keyring {
  const keys = new Map<string, SecretKey>();
  const add = (text: string, name: string): SecretKey => {
    const bytes = decodeSecretKey(text);
    if (!bytes) throw new Error(`${name}: ${SECRET_KEY_HELP}`);
    const key = { kid: keyId(bytes), key: bytes };
    keys.set(key.kid, key);
    return key;
  };
  for (const text of options.retired ?? []) add(text, 'TAPIS_SECRET_KEYS_RETIRED');
  // The demo key always opens what it sealed: it is published, so this costs nothing, and a
  // data folder started with --demo and then served without it keeps working (start-up
  // warns, and `tapis secrets rotate` moves the values to a real key). It seals only in demo
  // mode without a key.
  keys.set(demoKey.kid, demoKey);
  if (options.current) {
    const current = add(options.current, 'TAPIS_SECRET_KEY');
    return { current, keys, source: 'configured' };
  }
  if (options.demo) return { current: demoKey, keys, source: 'demo' };
  return { current: null, keys, source: 'none' };
}

export function keyringFromConfig(config: {
  TAPIS_SECRET_KEY?: string | undefined;
  TAPIS_SECRET_KEYS_RETIRED?: string[] | undefined;
  TAPIS_DEMO: boolean;
}): Keyring {
  return buildKeyring({
    ...(config.TAPIS_SECRET_KEY ? { current: config.TAPIS_SECRET_KEY } : {}),
    retired: config.TAPIS_SECRET_KEYS_RETIRED ?? [],
    demo: config.TAPIS_DEMO,
  });
}
