import { appendAudit } from '../audit/log.ts';
import { newId } from '../core/ids.ts';
import type { SystemActor } from '../identity/actor.ts';
import { hashPassword } from '../identity/passwords.ts';
import type { Role } from '../identity/permissions.ts';
import type { Db } from '../store/db.ts';
import type { OrganisationsTable } from '../store/schema/index.ts';
import { transact } from '../store/transact.ts';

/**
 * Demo data: the organisations and people of the 2017 SOP, so that a newcomer can log in
 * and try every role. Seeded once per database (a marker in `meta` remembers it), so that
 * what an admin later changes is not put back.
 */
export const DEMO_PASSWORD = 'tapis-demo-2026';

interface DemoUser {
  email: string;
  display_name: string;
  roles: Role[];
  languages: string[];
  jurisdictions: string[];
}

interface DemoOrg {
  slug: string;
  name: string;
  kind: OrganisationsTable['kind'];
  flagger_status: OrganisationsTable['flagger_status'];
  designated_by?: string;
  contact_email: string;
  users: DemoUser[];
}

export const demoOrganisations: DemoOrg[] = [
  {
    slug: 'platform',
    name: 'Demo messaging platform',
    kind: 'platform',
    flagger_status: null,
    contact_email: 'trust-safety@platform.example',
    users: [
      {
        email: 'admin@platform.example',
        display_name: 'Ayu Admin',
        roles: ['admin'],
        languages: ['en', 'id'],
        jurisdictions: ['ID'],
      },
      {
        email: 'lead@platform.example',
        display_name: 'Bima Lead',
        roles: ['lead'],
        languages: ['en', 'id'],
        jurisdictions: ['ID', 'IE'],
      },
      {
        email: 'reviewer@platform.example',
        display_name: 'Sam Reviewer',
        roles: ['reviewer'],
        languages: ['en'],
        // English cases come from Indonesia and from Ireland (an EU country).
        jurisdictions: ['ID', 'IE'],
      },
      {
        email: 'peninjau@platform.example',
        display_name: 'Sari Peninjau',
        roles: ['reviewer'],
        languages: ['id', 'en'],
        jurisdictions: ['ID'],
      },
      {
        // A second reviewer who reads Indonesian: DSA Art. 20(4) has an appeal decided by
        // someone other than the decision's author, so the demo needs two.
        email: 'penelaah@platform.example',
        display_name: 'Dewi Penelaah',
        roles: ['reviewer'],
        languages: ['id', 'en'],
        jurisdictions: ['ID', 'IE'],
      },
      {
        email: 'auditor@platform.example',
        display_name: 'Nadia Auditor',
        roles: ['auditor'],
        languages: ['en', 'id'],
        jurisdictions: ['ID'],
      },
    ],
  },
  {
    slug: 'komdigi',
    name: 'Kementerian Komunikasi dan Digital — Direktorat Pengendalian Konten',
    kind: 'government',
    flagger_status: 'trusted',
    designated_by: 'Demo: designation under MR5/2020 (synthetic)',
    contact_email: 'aduan@komdigi.example',
    users: [
      {
        email: 'analis@komdigi.example',
        display_name: 'Rina Analis',
        roles: ['flagger'],
        languages: ['id'],
        jurisdictions: ['ID'],
      },
      {
        email: 'admin@komdigi.example',
        display_name: 'Hendra Admin Komdigi',
        roles: ['flagger_admin', 'flagger'],
        languages: ['id'],
        jurisdictions: ['ID'],
      },
    ],
  },
  {
    slug: 'ngo',
    name: 'Demo civil-society monitor',
    kind: 'ngo',
    flagger_status: 'regular',
    contact_email: 'reports@ngo.example',
    users: [
      {
        email: 'analyst@ngo.example',
        display_name: 'Tari Analyst',
        roles: ['flagger'],
        languages: ['id', 'en'],
        jurisdictions: ['ID'],
      },
    ],
  },
];

/** SOP point 3: the platform's local representative in Indonesia (demo values). */
export const demoJurisdiction = {
  code: 'ID',
  name: 'Indonesia',
  legal_representative: {
    name: 'PT Demo Platform Indonesia (perwakilan hukum)',
    email: 'legal.id@platform.example',
    address: 'Jl. Contoh No. 1, Jakarta Pusat 10110',
  },
  contact_point: {
    name: 'Tim Kepatuhan Konten',
    email: 'kontak.id@platform.example',
    phone: '+62 21 0000 0000',
  },
  languages: ['id', 'en'],
  time_zone: 'Asia/Jakarta',
  escalation_roster: [{ name: 'Bima Lead', email: 'lead@platform.example' }],
};

/**
 * An EU country whose cases are in English: the platform's EU legal representative (DSA
 * Art. 13, demo values). Seeded with the live situation (src/runtime/demo-situation.ts).
 */
export const demoEuJurisdiction = {
  code: 'IE',
  name: 'Ireland',
  legal_representative: {
    name: 'Demo Platform Ireland Ltd (legal representative)',
    email: 'legal.eu@platform.example',
    address: '1 Example Street, Dublin 2',
  },
  contact_point: {
    name: 'EU single point of contact (DSA Art. 11)',
    email: 'dsa-contact@platform.example',
    phone: '+353 1 000 0000',
  },
  languages: ['en'],
  time_zone: 'Europe/Dublin',
  escalation_roster: [{ name: 'Bima Lead', email: 'lead@platform.example' }],
};

export function demoLogins(): { email: string; role: string; org: string }[] {
  return demoOrganisations.flatMap((org) =>
    org.users.map((u) => ({ email: u.email, role: u.roles.join('+'), org: org.slug })),
  );
}

/** Seeds the demo data unless this database already had it. Returns whether it seeded. */
export async function seedDemo(db: Db, now: Date): Promise<boolean> {
  // Seeded already (every start but the first): answer before paying for the password hash
  // (scrypt, about a second of a start-up); the transaction below checks again under a lock.
  if (await db.selectFrom('meta').select('key').where('key', '=', 'demo_seeded_at').executeTakeFirst())
    return false;
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  return transact(db, async (trx) => {
    const marker = await trx
      .selectFrom('meta')
      .select('key')
      .where('key', '=', 'demo_seeded_at')
      .forUpdate()
      .executeTakeFirst();
    if (marker) return false;
    const actor = { type: 'system' as const, id: 'seed-demo' };
    for (const org of demoOrganisations) {
      const existing = await trx
        .selectFrom('organisations')
        .select('id')
        .where('slug', '=', org.slug)
        .executeTakeFirst();
      const orgId = existing?.id ?? newId();
      if (!existing) {
        const { users: _, ...fields } = org;
        await trx
          .insertInto('organisations')
          .values({ id: orgId, ...fields, created_at: now })
          .execute();
        await appendAudit(
          trx,
          actor,
          { action: 'organisation.created', objectType: 'organisation', objectId: orgId, change: fields },
          now,
        );
      }
      for (const user of org.users) {
        const taken = await trx
          .selectFrom('users')
          .select('id')
          .where('email', '=', user.email)
          .executeTakeFirst();
        if (taken) continue;
        const id = newId();
        await trx
          .insertInto('users')
          .values({ id, org_id: orgId, password_hash: passwordHash, created_at: now, ...user })
          .execute();
        await appendAudit(
          trx,
          actor,
          { action: 'user.created', objectType: 'user', objectId: id, change: { org_id: orgId, ...user } },
          now,
        );
      }
    }
    await saveDemoJurisdiction(trx, demoJurisdiction, now);
    await seedDemoIssuers(trx, actor, now);
    await trx
      .insertInto('meta')
      .values({ key: 'demo_seeded_at', value: JSON.stringify(now.toISOString()) })
      .execute();
    return true;
  });
}

/** A jurisdiction's record, unless the database has one for that country already. */
export async function saveDemoJurisdiction(trx: Db, jurisdiction: typeof demoJurisdiction, now: Date) {
  const saved = await trx
    .insertInto('jurisdictions')
    .values({
      ...jurisdiction,
      legal_representative: JSON.stringify(jurisdiction.legal_representative),
      contact_point: JSON.stringify(jurisdiction.contact_point),
      escalation_roster: JSON.stringify(jurisdiction.escalation_roster),
      updated_at: now,
    })
    .onConflict((oc) => oc.column('code').doNothing())
    .returning('code')
    .executeTakeFirst();
  await appendAudit(
    trx,
    { type: 'system', id: 'seed-demo' },
    {
      action: 'jurisdiction.saved',
      objectType: 'jurisdiction',
      objectId: jurisdiction.code,
      change: jurisdiction,
    },
    now,
  );
  return Boolean(saved);
}

/**
 * The ministry issues orders as Komdigi, in Indonesia, under MR5 (src/orders/issuer-registry.ts):
 * without a registration its orders would be refused.
 */
async function seedDemoIssuers(trx: Db, actor: SystemActor, now: Date): Promise<void> {
  const komdigi = await trx
    .selectFrom('organisations')
    .select('id')
    .where('slug', '=', 'komdigi')
    .executeTakeFirstOrThrow();
  const row = {
    id: newId(),
    org_id: komdigi.id,
    authority: 'Komdigi',
    jurisdictions: ['ID'],
    order_kinds: ['mr5_order'],
    note: 'Demo: the ministry’s orders under MR5/2020 (synthetic)',
    registered_by: actor.id,
    registered_at: now,
  };
  await trx.insertInto('issuer_registrations').values(row).execute();
  await appendAudit(
    trx,
    actor,
    { action: 'issuer_registration.created', objectType: 'organisation', objectId: komdigi.id, change: row },
    now,
  );
}
