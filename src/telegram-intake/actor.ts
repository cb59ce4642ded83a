import type { Actor } from '../identity/actor.ts';
import { findUserActor } from '../identity/user-actor.ts';
import type { Db } from '../store/db.ts';

/**
 * The tapis user behind a linked Telegram account, as the intake and the threads expect a
 * caller: the same shape a console session gives (src/identity/user-actor.ts). Null when
 * the user is disabled: a disabled analyst's linked phone files nothing.
 */
export function linkedActor(db: Db, userId: string): Promise<Actor | null> {
  return findUserActor(db, { id: userId });
}
