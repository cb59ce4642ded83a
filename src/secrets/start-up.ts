import type { Logger } from 'pino';
import { workerActor } from '../identity/actor.ts';
import type { Db } from '../store/db.ts';
import { DEMO_KEY_ID, type Keyring } from './keyring.ts';
import { resealSecrets, surveySecrets } from './stored.ts';

export class SecretsStartupError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SecretsStartupError';
  }
}

/**
 * What start-up does with the stored secrets (docs/decisions/0016-secrets-at-rest.md):
 *
 * - a value sealed with a key this process does not hold: refuse to start, naming the key,
 *   rather than serve and fail every webhook delivery and receipt;
 * - a key set and values still stored as given: seal them now (after TAPIS_SECRET_KEY is
 *   first set, or after an upgrade);
 * - no key: serve, with a warning that secrets are stored unencrypted;
 * - values under a retired key: serve, and say to run `tapis secrets rotate`.
 */
export async function prepareStoredSecrets(
  db: Db,
  keyring: Keyring,
  log: Logger,
  now: () => Date,
): Promise<{ sealed: number }> {
  const survey = await surveySecrets(db, keyring);
  if (survey.missingKeys.length > 0) {
    const count = survey.missingKeys.reduce((n, kid) => n + (survey.byKey[kid] ?? 0), 0);
    const advice = keyring.current
      ? 'set TAPIS_SECRET_KEY to the key that sealed them, or list that key in TAPIS_SECRET_KEYS_RETIRED'
      : 'TAPIS_SECRET_KEY is not set: set it to the key that sealed them';
    throw new SecretsStartupError(
      `${count} stored secret(s) are sealed with key(s) ${survey.missingKeys.join(', ')}, which this process does not hold; ${advice}`,
    );
  }
  if (keyring.source === 'demo')
    log.warn(
      'TAPIS_SECRET_KEY is not set: demo mode seals secrets with the demo key, which is published and protects nothing',
    );
  const underDemoKey = survey.byKey[DEMO_KEY_ID] ?? 0;
  if (underDemoKey > 0 && keyring.source !== 'demo')
    log.warn(
      { secrets: underDemoKey },
      'stored secrets are sealed with the published demo key: set TAPIS_SECRET_KEY and run `tapis secrets rotate`',
    );
  if (!keyring.current) {
    log.warn(
      { plaintext_secrets: survey.plaintext },
      'TAPIS_SECRET_KEY is not set: webhook secrets and the receipt key are stored unencrypted',
    );
    return { sealed: 0 };
  }
  let sealed = 0;
  if (survey.plaintext > 0) {
    const report = await resealSecrets(db, keyring, { scope: 'plaintext', actor: workerActor, now });
    sealed = report.resealed;
    log.info({ sealed, kid: report.kid }, 'stored secrets sealed under the current key');
  }
  // Under a retired key (the demo key was warned about above).
  const underRetired = survey.underOtherKeys - (keyring.current.kid === DEMO_KEY_ID ? 0 : underDemoKey);
  if (underRetired > 0)
    log.warn(
      { secrets: underRetired, kid: keyring.current.kid },
      'stored secrets are still sealed with a retired key: run `tapis secrets rotate`',
    );
  return { sealed };
}
