import { newId } from '../core/ids.ts';
import type { Actor } from '../identity/actor.ts';
import type { Db } from '../store/db.ts';

/** The organisation that notices from the public form belong to (kind `public`, never trusted). */
export const PUBLIC_ORG_SLUG = 'public';

/**
 * DSA Art. 16: anyone may notify, without an account. Such notices are filed under one
 * organisation of kind `public`, made on first use, so that the intake, the clock and the
 * case routing treat them as every other regular notice.
 */
export async function publicNotifier(db: Db): Promise<Actor> {
  return (await existingPublicNotifier(db)) ?? (await createPublicNotifier(db));
}

async function createPublicNotifier(db: Db): Promise<Actor> {
  await db
    .insertInto('organisations')
    .values({
      id: newId(),
      slug: PUBLIC_ORG_SLUG,
      name: 'Members of the public (notice form)',
      kind: 'public',
      flagger_status: 'regular',
    })
    .onConflict((oc) => oc.column('slug').doNothing())
    .execute();
  return (await existingPublicNotifier(db))!;
}

/** The public form's notifier, or null before its organisation has been made. */
export async function existingPublicNotifier(db: Db): Promise<Actor | null> {
  const org = await db
    .selectFrom('organisations')
    .select(['id', 'slug'])
    .where('slug', '=', PUBLIC_ORG_SLUG)
    .executeTakeFirst();
  if (!org) return null;
  return {
    type: 'key',
    id: 'public-notice-form',
    displayName: 'public notice form',
    orgId: org.id,
    orgSlug: org.slug,
    orgKind: 'public',
    roles: [],
    permissions: new Set(['notices:submit']),
    languages: [],
    jurisdictions: [],
  };
}
