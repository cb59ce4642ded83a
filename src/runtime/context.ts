import type { Logger } from 'pino';
import { ReadAuditBuffer } from '../audit/read-audit.ts';
import type { Config } from '../config/config.ts';
import type { Clock } from '../core/clock.ts';
import { type Connectors, connectorsFromConfig } from '../enforcement/registry.ts';
import { IntakeQueue } from '../notices/intake-queue.ts';
import { BankMatcher } from '../screening/banks/bank-matcher.ts';
import { bindKeyring } from '../secrets/bound.ts';
import { type Keyring, keyringFromConfig } from '../secrets/keyring.ts';
import type { Db, Store } from '../store/db.ts';

/** What a running tapis holds: its store, settings, clock, logger and shared services. */
export interface AppContext {
  store: Store;
  db: Db;
  config: Config;
  clock: Clock;
  log: Logger;
  /** Group commit of notices (src/notices/intake-queue.ts). */
  intake: IntakeQueue;
  /** The enforcement connectors this instance is configured with. */
  connectors: Connectors;
  /** The hash banks in memory (src/screening/banks/bank-matcher.ts). */
  banks: BankMatcher;
  /** The keys that seal secrets at rest (src/secrets/), also bound to `db`. */
  keyring: Keyring;
  /** Reads by officials, buffered into the audit log (src/audit/read-audit.ts). */
  reads: ReadAuditBuffer;
}

export function createAppContext(store: Store, config: Config, clock: Clock, log: Logger): AppContext {
  const keyring = keyringFromConfig(config);
  bindKeyring(store.db, keyring);
  return {
    store,
    db: store.db,
    config,
    clock,
    log,
    intake: new IntakeQueue({ store, clock, log: log.child({ component: 'intake' }) }),
    connectors: connectorsFromConfig(config, clock, store.db),
    banks: new BankMatcher(store.db, log.child({ component: 'banks' })),
    keyring,
    reads: new ReadAuditBuffer(store.db, log.child({ component: 'read-audit' })),
  };
}
