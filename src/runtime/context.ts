import type { Logger } from 'pino';
import type { Config } from '../config/config.ts';
import type { Clock } from '../core/clock.ts';
import type { Db, Store } from '../store/db.ts';

/** What a running tapis holds: its store, settings, clock and logger. Passed to routes and workers. */
export interface AppContext {
  store: Store;
  db: Db;
  config: Config;
  clock: Clock;
  log: Logger;
}
