import type { Command } from 'commander';

/** Each command module adds its subcommands to the program. */
export function registerCommands(program: Command): void {
  void program;
}
