import { connectorsFromConfig } from "../enforcement/registry.js";
import { IntakeQueue } from "../notices/intake-queue.js";
import { BankMatcher } from "../screening/banks/bank-matcher.js";
export function createAppContext(store, config, clock, log) {
    return {
        store,
        db: store.db,
        config,
        clock,
        log,
        intake: new IntakeQueue({ store, clock, log: log.child({ component: 'intake' }) }),
        connectors: connectorsFromConfig(config, clock),
        banks: new BankMatcher(store.db, log.child({ component: 'banks' })),
    };
}
