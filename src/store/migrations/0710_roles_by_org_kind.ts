import type { Kysely } from 'kysely';
import { runStatements } from './run-statements.ts';

/**
 * The roles that see across organisations (admin, lead, reviewer, auditor) exist only in
 * the platform's organisation (src/identity/permissions.ts, rolesForOrgKind); a flagger
 * organisation's auditor read every notifier's notices. The use case refuses the
 * combination; the database refuses it too, whoever writes. Rows written before this
 * migration are left as they are, and their cross-organisation roles grant nothing
 * (src/identity/authenticate.ts).
 */
const statements = [
  `create function users_roles_match_org_kind() returns trigger language plpgsql as $$
    begin
      if new.roles && array['admin','lead','reviewer','auditor']::text[]
         and (select kind from organisations where id = new.org_id) <> 'platform' then
        raise exception 'roles % need a platform organisation', new.roles
          using errcode = 'check_violation', constraint = 'users_roles_match_org_kind';
      end if;
      if new.roles && array['flagger_admin','flagger']::text[]
         and (select kind from organisations where id = new.org_id) = 'platform' then
        raise exception 'roles % need a flagger organisation', new.roles
          using errcode = 'check_violation', constraint = 'users_roles_match_org_kind';
      end if;
      return new;
    end $$`,
  `create trigger users_roles_match_org_kind before insert or update of roles, org_id on users
    for each row execute function users_roles_match_org_kind()`,
  `create function organisations_kind_keeps_roles() returns trigger language plpgsql as $$
    begin
      if new.kind <> old.kind and exists (
        select 1 from users where org_id = new.id and (
          (new.kind <> 'platform' and roles && array['admin','lead','reviewer','auditor']::text[])
          or (new.kind = 'platform' and roles && array['flagger_admin','flagger']::text[]))) then
        raise exception 'organisation % has users whose roles its new kind does not allow', new.slug
          using errcode = 'check_violation', constraint = 'users_roles_match_org_kind';
      end if;
      return new;
    end $$`,
  `create trigger organisations_kind_keeps_roles before update of kind on organisations
    for each row execute function organisations_kind_keeps_roles()`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  await runStatements(db, statements);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await runStatements(db, [
    `drop trigger organisations_kind_keeps_roles on organisations`,
    `drop function organisations_kind_keeps_roles()`,
    `drop trigger users_roles_match_org_kind on users`,
    `drop function users_roles_match_org_kind()`,
  ]);
}
