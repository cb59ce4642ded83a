import { readFileSync } from 'node:fs';
import { canonicalDigest } from "../../core/canonical-json.js";
import { noticeInput } from "../../notices/notice-input.js";
import { verifyReceipt } from "../../notices/receipts.js";
import { publicJwks } from "../../notices/signing-keys.js";
import { printJson, withStore } from "../context.js";
/** tapis receipt verify */
export function register(program) {
    program
        .command('receipt')
        .description('signed receipts')
        .command('verify')
        .description('check a receipt offline against the published keys; exits non-zero when it does not verify')
        .argument('<file>', 'the receipt (a compact JWS), or the JSON answer of POST /v1/notices that holds it')
        .option('--jwks <file>', 'the keys, as saved from /.well-known/jwks.json (default: this instance’s database)')
        .option('--notice <file>', 'the notice as sent (JSON): its digest must match the receipt’s')
        .option('--json', 'print the outcome as JSON')
        .action(async (file, o) => {
        const receipt = readReceipt(file);
        const jwks = o.jwks
            ? JSON.parse(readFileSync(o.jwks, 'utf8'))
            : await withStore((store) => publicJwks(store.db));
        const check = await verifyReceipt(receipt, jwks);
        let digestMatches = null;
        if (check.valid && o.notice) {
            const parsed = noticeInput.safeParse(JSON.parse(readFileSync(o.notice, 'utf8')));
            if (!parsed.success)
                throw new Error(`--notice: the file is not a valid notice (${parsed.error.issues[0]?.message})`);
            digestMatches = canonicalDigest(parsed.data) === check.claims.digest;
        }
        if (o.json)
            printJson({ ...check, digest_matches: digestMatches });
        if (!check.valid) {
            process.stderr.write(`receipt does NOT verify: ${check.reason}\n`);
            process.exitCode = 1;
            return;
        }
        if (digestMatches === false) {
            process.stderr.write('the receipt is genuine, but the notice file is not what was received (the digests differ)\n');
            process.exitCode = 1;
            return;
        }
        if (!o.json) {
            const c = check.claims;
            process.stdout.write(`receipt verifies (key ${check.kid})\n  notice    ${c.notice_id} from ${c.org}\n  received  ${c.received_at}\n  deadline  ${c.deadline} (internal target ${c.target_deadline})\n  digest    ${c.digest}${digestMatches ? ' (matches the notice file)' : ''}\n`);
        }
    });
}
function readReceipt(file) {
    const text = readFileSync(file, 'utf8').trim();
    if (text.startsWith('{')) {
        const answer = JSON.parse(text);
        if (typeof answer.receipt !== 'string')
            throw new Error(`${file} is JSON without a "receipt" member`);
        return answer.receipt;
    }
    return text;
}
