import type { Command } from 'commander';
import type { Keyring } from '../../secrets/keyring.ts';
import type { Store } from '../../store/db.ts';
import { printJson, withStore } from '../context.ts';

/**
 * tapis secrets new-key | status | rotate | rotate-receipt-key
 *
 * Secrets at rest (docs/decisions/0016-secrets-at-rest.md): webhook secrets and the receipt
 * key's private half are sealed with TAPIS_SECRET_KEY. To change that key: set the new one
 * as TAPIS_SECRET_KEY and the old one in TAPIS_SECRET_KEYS_RETIRED, restart, run
 * `tapis secrets rotate`, then drop the old key.
 */
export function register(program: Command): void {
  const secrets = program.command('secrets').description('secrets at rest and the receipt signing key');

  secrets
    .command('new-key')
    .description('print a new random key for TAPIS_SECRET_KEY (32 bytes, base64)')
    .action(async () => {
      const { randomBytes } = await import('node:crypto');
      process.stdout.write(`${randomBytes(32).toString('base64')}\n`);
    });

  secrets
    .command('status')
    .description('how many stored secrets are sealed, under which key, and how many are not')
    .option('--json', 'print the survey as JSON')
    .action(async (o: { json?: boolean }) => {
      const { surveySecrets } = await import('../../secrets/stored.ts');
      const { survey, current } = await withKeyring(async (store, keyring) => ({
        survey: await surveySecrets(store.db, keyring),
        current: keyring.current?.kid ?? null,
      }));
      if (o.json) return printJson({ current_key: current, ...survey });
      const lines = [
        `current key: ${current ?? 'none (TAPIS_SECRET_KEY is not set)'}`,
        `stored as given (not sealed): ${survey.plaintext}`,
        ...Object.entries(survey.byKey).map(
          ([kid, n]) =>
            `sealed with ${kid}: ${n}${kid === current ? ' (current)' : survey.missingKeys.includes(kid) ? ' (key not held!)' : ' (retired: run tapis secrets rotate)'}`,
        ),
      ];
      process.stdout.write(`${lines.join('\n')}\n`);
      if (survey.missingKeys.length > 0) process.exitCode = 1;
    });

  secrets
    .command('rotate')
    .description(
      're-seal every stored secret under the current TAPIS_SECRET_KEY (old keys in TAPIS_SECRET_KEYS_RETIRED)',
    )
    .option('--json', 'print the outcome as JSON')
    .action(async (o: { json?: boolean }) => {
      const [{ default: cliProgress }, { resealSecrets }, { cliActor }] = await Promise.all([
        import('cli-progress'),
        import('../../secrets/stored.ts'),
        import('../../identity/actor.ts'),
      ]);
      const bar =
        process.stderr.isTTY && !o.json
          ? new cliProgress.SingleBar(
              { clearOnComplete: true, format: 're-sealing [{bar}] {value}/{total} secrets' },
              cliProgress.Presets.shades_classic,
            )
          : null;
      let started = false;
      const report = await withKeyring((store, keyring) =>
        resealSecrets(store.db, keyring, {
          scope: 'all',
          actor: cliActor,
          now: () => new Date(),
          onProgress: (done, total) => {
            if (!bar) return;
            if (!started) bar.start(total, 0);
            started = true;
            bar.update(done);
          },
        }),
      );
      bar?.stop();
      if (o.json) return printJson(report);
      process.stdout.write(
        `${report.resealed} secret(s) sealed under key ${report.kid}${report.skipped ? `; ${report.skipped} changed meanwhile: run it again` : ''}\n`,
      );
    });

  secrets
    .command('rotate-receipt-key')
    .description(
      'retire the Ed25519 key that signs receipts and start a new one; old receipts still verify with the retired public key',
    )
    .option('--reason <text>', 'why, for the audit log')
    .option('--json', 'print the outcome as JSON')
    .action(async (o: { reason?: string; json?: boolean }) => {
      const [{ rotateSigningKey }, { cliActor }] = await Promise.all([
        import('../../notices/signing-keys.ts'),
        import('../../identity/actor.ts'),
      ]);
      const rotation = await withKeyring((store) =>
        rotateSigningKey(store.db, cliActor, new Date(), o.reason),
      );
      if (o.json) return printJson(rotation);
      process.stdout.write(
        `receipts are now signed with ${rotation.kid}; retired: ${rotation.retired.join(', ') || 'none'} (running servers switch within 10 s)\n`,
      );
    });
}

/** The configured database, with this process's keyring bound to it. */
async function withKeyring<T>(run: (store: Store, keyring: Keyring) => Promise<T>): Promise<T> {
  const [{ loadConfig }, { keyringFromConfig }, { bindKeyring }] = await Promise.all([
    import('../../config/config.ts'),
    import('../../secrets/keyring.ts'),
    import('../../secrets/bound.ts'),
  ]);
  const keyring = keyringFromConfig(loadConfig());
  return withStore((store) => {
    bindKeyring(store.db, keyring);
    return run(store, keyring);
  });
}
