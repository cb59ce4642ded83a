import * as audit from "./audit.js";
import * as banks from "./banks.js";
import * as hash from "./hash.js";
import * as identity from "./identity.js";
import * as match from "./match.js";
import * as notices from "./notices.js";
import * as purge from "./purge.js";
import * as receipt from "./receipt.js";
import * as service from "./service.js";
/** Each command module adds its subcommands to the program. */
export function registerCommands(program) {
    service.register(program);
    identity.register(program);
    audit.register(program);
    receipt.register(program);
    hash.register(program);
    match.register(program);
    banks.register(program);
    notices.register(program);
    purge.register(program);
}
