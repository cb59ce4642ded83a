import { Command, CommanderError } from 'commander';
import { registerCommands } from "./commands/index.js";
const program = new Command('tapis')
    .description('tapis: notice-and-action desk and content screening engine')
    .showHelpAfterError()
    .exitOverride();
registerCommands(program);
try {
    await program.parseAsync(process.argv);
}
catch (error) {
    if (error instanceof CommanderError) {
        process.exitCode = error.exitCode;
    }
    else {
        process.stderr.write(`tapis: ${error instanceof Error ? error.message : String(error)}\n`);
        process.exitCode = 1;
    }
}
