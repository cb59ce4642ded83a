import { randomFillSync } from 'node:crypto';
import { v7 as uuidv7 } from 'uuid';
/**
 * Time-ordered ids (UUIDv7): they sort by creation, which keeps indexes compact. Within one
 * millisecond a counter keeps them in order (RFC 9562 §6.2, method 1), seeded at random each
 * new millisecond, as the uuid package does for itself.
 *
 * The random bytes come from a pool refilled 4 KiB at a time: asking the system for 16
 * bytes per id took about 7 % of the CPU a notice costs (intake mints several ids each).
 */
const POOL_BYTES = 4096;
let pool = new Uint8Array(0);
let taken = POOL_BYTES;
const clock = { msecs: Number.NEGATIVE_INFINITY, seq: 0 };
function random16() {
    if (taken + 16 > pool.length) {
        pool = randomFillSync(new Uint8Array(POOL_BYTES));
        taken = 0;
    }
    const bytes = pool.subarray(taken, taken + 16);
    taken += 16;
    return bytes;
}
export function newId() {
    const random = random16();
    const now = Date.now();
    if (now > clock.msecs) {
        clock.msecs = now;
        clock.seq =
            ((random[6] & 0x7f) << 24) |
                (random[7] << 16) |
                (random[8] << 8) |
                random[9];
    }
    else {
        clock.seq = (clock.seq + 1) | 0;
        if (clock.seq === 0)
            clock.msecs++;
    }
    return uuidv7({ random, msecs: clock.msecs, seq: clock.seq });
}
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export function isUuid(value) {
    return UUID.test(value);
}
