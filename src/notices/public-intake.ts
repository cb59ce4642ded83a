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
  const org = await db
    .selectFrom('organisations')
    .select(['id', 'slug'])
    .where('slug', '=', PUBLIC_ORG_SLUG)
    .executeTakeFirstOrThrow();
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
