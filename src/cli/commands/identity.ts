import type { Command } from 'commander';
import type { OrgKind, Permission, Role } from '../../identity/permissions.ts';
import { list, printJson, withStore } from '../context.ts';

/** For the help text only (the action checks against orgKinds); a test keeps the two equal. */
export const ORG_KINDS_HELP = 'platform, government, law_enforcement, court, ngo, public';

/** tapis org create | user create | key create | key revoke */
export function register(program: Command): void {
  const org = program.command('org').description('organisations');
  org
    .command('create')
    .description('create an organisation')
    .requiredOption('--slug <slug>', 'short name used in URLs, e.g. komdigi')
    .requiredOption('--name <name>', 'full name')
    .requiredOption('--kind <kind>', `one of ${ORG_KINDS_HELP}`)
    .option('--status <status>', 'flagger status: trusted, regular or suspended (flagger organisations)')
    .option(
      '--designated-by <authority>',
      'who designated a trusted flagger (required with --status trusted)',
    )
    .option('--email <email>', 'contact e-mail')
    .action(
      async (o: {
        slug: string;
        name: string;
        kind: string;
        status?: string;
        designatedBy?: string;
        email?: string;
      }) => {
        const [{ cliActor }, { createOrganisation }, { orgKinds }] = await Promise.all([
          import('../../identity/actor.ts'),
          import('../../identity/organisations.ts'),
          import('../../identity/permissions.ts'),
        ]);
        if (!orgKinds.includes(o.kind as OrgKind))
          throw new Error(`--kind must be one of ${orgKinds.join(', ')}`);
        if (o.status && !['trusted', 'regular', 'suspended'].includes(o.status))
          throw new Error('--status must be trusted, regular or suspended');
        const created = await withStore(
          (store) =>
            createOrganisation(
              store.db,
              cliActor,
              {
                slug: o.slug,
                name: o.name,
                kind: o.kind as OrgKind,
                flagger_status: o.status as never,
                designated_by: o.designatedBy,
                contact_email: o.email,
              },
              new Date(),
            ),
          { create: true },
        );
        printJson(created);
      },
    );

  program
    .command('user')
    .description('users')
    .command('create')
    .description('create a user; prints a generated password once unless --password is given')
    .requiredOption('--org <slug>', 'organisation')
    .requiredOption('--email <email>', 'login e-mail')
    .requiredOption('--name <name>', 'display name')
    .requiredOption(
      '--roles <roles>',
      'comma-separated: admin, lead, reviewer, auditor, flagger_admin, flagger',
      list,
    )
    .option('--languages <codes>', 'comma-separated ISO 639 codes, e.g. id,en', list)
    .option('--jurisdictions <codes>', 'comma-separated ISO 3166 codes, e.g. ID', list)
    .option('--password <password>', 'initial password (prefer the generated one)')
    .action(
      async (o: {
        org: string;
        email: string;
        name: string;
        roles: string[];
        languages?: string[];
        jurisdictions?: string[];
        password?: string;
      }) => {
        const [{ cliActor }, { isRole }, { createUser }] = await Promise.all([
          import('../../identity/actor.ts'),
          import('../../identity/permissions.ts'),
          import('../../identity/users.ts'),
        ]);
        const wrong = o.roles.filter((r) => !isRole(r));
        if (wrong.length) throw new Error(`unknown role(s): ${wrong.join(', ')}`);
        const created = await withStore((store) =>
          createUser(
            store.db,
            cliActor,
            {
              org: o.org,
              email: o.email,
              display_name: o.name,
              roles: o.roles as Role[],
              languages: o.languages,
              jurisdictions: o.jurisdictions,
              password: o.password,
            },
            new Date(),
          ),
        );
        printJson(created);
      },
    );

  const key = program.command('key').description('API keys');
  key
    .command('create')
    .description('create an API key for an organisation and print it once')
    .requiredOption('--org <slug>', 'organisation')
    .option('--name <name>', 'what the key is for', 'cli')
    .option(
      '--scopes <scopes>',
      'comma-separated permissions (default: all that the organisation may hold)',
      list,
    )
    .option('--expires <date>', 'expiry, e.g. 2027-12-31 or 2027-12-31T00:00:00Z')
    .option('--json', 'print the key and its record as JSON')
    .action(async (o: { org: string; name: string; scopes?: string[]; expires?: string; json?: boolean }) => {
      const [{ cliActor }, { createApiKey }] = await Promise.all([
        import('../../identity/actor.ts'),
        import('../../identity/api-keys.ts'),
      ]);
      const expires = o.expires ? new Date(o.expires) : null;
      if (expires && Number.isNaN(expires.getTime()))
        throw new Error(`--expires: '${o.expires}' is not a date`);
      const created = await withStore((store) =>
        createApiKey(
          store.db,
          cliActor,
          { org: o.org, name: o.name, scopes: o.scopes as Permission[] | undefined, expires_at: expires },
          new Date(),
        ),
      );
      if (o.json) printJson({ key: created.key, api_key: created.view });
      else {
        process.stdout.write(`${created.key}\n`);
        process.stderr.write(
          `key ${created.view.prefix} for ${o.org} (scopes: ${created.view.scopes.join(', ')}). It is shown this once: store it now.\n`,
        );
      }
    });
  key
    .command('revoke')
    .description('revoke an API key by id or prefix')
    .argument('<key>', 'the key id, its prefix, or the key itself')
    .action(async (idOrPrefix: string) => {
      const [{ cliActor }, { revokeApiKey }] = await Promise.all([
        import('../../identity/actor.ts'),
        import('../../identity/api-keys.ts'),
      ]);
      const revoked = await withStore((store) => revokeApiKey(store.db, cliActor, idOrPrefix, new Date()));
      process.stdout.write(`revoked ${revoked.prefix} (${revoked.name}) of ${revoked.org}\n`);
    });
}
