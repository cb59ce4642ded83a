import type { Db } from '../store/db.ts';
import { buildKeyring, type Keyring } from './keyring.ts';

/**
 * The keyring of the process that opened a database, found from the database handle. The
 * receipt key is read by every intake path (API, bulk, public form, Telegram bot, demo),
 * and they all hold `ctx.db`; binding the keyring to it spares threading it through each.
 * Bound by createAppContext and by the CLI commands that handle secrets.
 */
const bound = new WeakMap<Db, Keyring>();
const none = buildKeyring({});

export function bindKeyring(db: Db, keyring: Keyring): void {
  bound.set(db, keyring);
}

/** Unbound, a database gets no key: values are kept as given, and sealed ones do not open. */
export function keyringOf(db: Db): Keyring {
  return bound.get(db) ?? none;
}
