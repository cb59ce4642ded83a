/**
 * Every `tapis` command, registered here with one line each.
 *
 * The pattern (keep it: `tapis --help` must start at once, and every command pays for what
 * this file loads):
 *
 * - A command module exports `register(program: Command): void`, which declares its
 *   commands, options and help text, and nothing more.
 * - At the top, a command module imports only commander, node: built-ins, types
 *   (`import type`), and ../context.ts (which itself loads nothing at the top). Importing it
 *   must cost next to nothing.
 * - Everything an action needs (the capability's code, the database, sharp, zod, pino, …) is
 *   loaded inside the action with `await import(...)`, so that only the command that runs
 *   pays for it.
 * - A constant needed for help text is written out, with a test that keeps it equal to the
 *   real one (see match.ts, identity.ts).
 *
 * To add a command: write src/cli/commands/NAME.ts this way, and add
 * `import * as NAME from './NAME.ts';` and `NAME.register(program);` below.
 */
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
import * as secrets from './secrets.ts';
import * as service from './service.ts';
import * as statements from './statements.ts';
import * as stream from './stream.ts';

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
  stream.register(program);
  statements.register(program);
  report.register(program);
  secrets.register(program);
}
