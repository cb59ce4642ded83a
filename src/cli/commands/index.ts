import type { Command } from 'commander';
import * as audit from './audit.ts';
import * as banks from './banks.ts';
import * as hash from './hash.ts';
import * as identity from './identity.ts';
import * as match from './match.ts';
import * as notices from './notices.ts';
import * as purge from './purge.ts';
import * as receipt from './receipt.ts';
import * as report from './report.ts';
import * as service from './service.ts';
import * as statements from './statements.ts';

/** Each command module adds its subcommands to the program. */
export function registerCommands(program: Command): void {
  service.register(program);
  identity.register(program);
  audit.register(program);
  receipt.register(program);
  hash.register(program);
  match.register(program);
  banks.register(program);
  notices.register(program);
  purge.register(program);
  statements.register(program);
  report.register(program);
}
