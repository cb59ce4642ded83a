import { readFileSync } from 'node:fs';
import { type Command, Option } from 'commander';
import type { JWK } from 'jose';
import { printJson } from '../context.ts';

interface VerifyOptions {
  jwks?: string;
  server?: string;
  notice?: string;
  json?: boolean;
}

/** tapis receipt verify */
export function register(program: Command): void {
  program
    .command('receipt')
    .description('signed receipts')
    .command('verify')
    .description('check a receipt offline against the published keys; exits non-zero when it does not verify')
    .argument('<file>', 'the receipt (a compact JWS), or the JSON answer of POST /v1/notices that holds it')
    .option('--jwks <file>', 'the keys, as saved from /.well-known/jwks.json')
    .addOption(
      new Option(
        '--server <url>',
        'without --jwks: the tapis server whose /.well-known/jwks.json holds the keys',
      ).env('TAPIS_URL'),
    )
    .option('--notice <file>', 'the notice as sent (JSON): its digest must match the receipt’s')
    .option('--json', 'print the outcome as JSON')
    .action(async (file: string, o: VerifyOptions) => {
      const receipt = readReceipt(file);
      const jwks = await readJwks(o);
      const [{ verifyReceipt }, { canonicalDigest }, { noticeInput }] = await Promise.all([
        import('../../notices/receipts.ts'),
        import('../../core/canonical-json.ts'),
        import('../../notices/notice-input.ts'),
      ]);
      const check = await verifyReceipt(receipt, jwks);
      let digestMatches: boolean | null = null;
      if (check.valid && o.notice) {
        const parsed = noticeInput.safeParse(JSON.parse(readFileSync(o.notice, 'utf8')));
        if (!parsed.success)
          throw new Error(`--notice: the file is not a valid notice (${parsed.error.issues[0]?.message})`);
        digestMatches = canonicalDigest(parsed.data) === check.claims.digest;
      }
      if (o.json) printJson({ ...check, digest_matches: digestMatches });
      if (!check.valid) {
        process.stderr.write(`receipt does NOT verify: ${check.reason}\n`);
        process.exitCode = 1;
        return;
      }
      if (digestMatches === false) {
        process.stderr.write(
          'the receipt is genuine, but the notice file is not what was received (the digests differ)\n',
        );
        process.exitCode = 1;
        return;
      }
      if (!o.json) {
        const c = check.claims;
        process.stdout.write(
          `receipt verifies (key ${check.kid})\n  notice    ${c.notice_id} from ${c.org}\n  received  ${c.received_at}\n  deadline  ${c.deadline} (internal target ${c.target_deadline})\n  digest    ${c.digest}${digestMatches ? ' (matches the notice file)' : ''}\n`,
        );
      }
    });
}

/**
 * The published keys: from the file given, or fetched from the server (the check stays
 * offline in the sense that matters: the receipt's signature is verified here, against keys
 * anyone can fetch and keep). Never from a local database: a command run in the wrong
 * folder would create an empty one and report that no key verifies.
 */
async function readJwks(o: VerifyOptions): Promise<{ keys: JWK[] }> {
  if (o.jwks) return parseJwks(readFileSync(o.jwks, 'utf8'), `--jwks ${o.jwks}`);
  if (!o.server)
    throw new Error(
      'say where the keys are: --jwks FILE (saved from /.well-known/jwks.json), or --server URL (or TAPIS_URL) to fetch them',
    );
  const url = new URL('.well-known/jwks.json', o.server.endsWith('/') ? o.server : `${o.server}/`);
  let response: Response;
  try {
    response = await fetch(url, { headers: { accept: 'application/json' } });
  } catch (error) {
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    throw new Error(
      `cannot fetch the keys from ${url}: ${cause?.code ?? cause?.message ?? (error as Error).message}`,
    );
  }
  if (!response.ok)
    throw new Error(`cannot fetch the keys from ${url}: ${response.status} ${response.statusText}`);
  return parseJwks(await response.text(), url.href);
}

function parseJwks(text: string, source: string): { keys: JWK[] } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new Error(`${source} is not JSON`);
  }
  const keys = (parsed as { keys?: unknown } | null)?.keys;
  if (!Array.isArray(keys)) throw new Error(`${source} is not a JWKS: no "keys" array`);
  return { keys: keys as JWK[] };
}

function readReceipt(file: string): string {
  const text = readFileSync(file, 'utf8').trim();
  if (text.startsWith('{')) {
    const answer = JSON.parse(text) as { receipt?: unknown };
    if (typeof answer.receipt !== 'string') throw new Error(`${file} is JSON without a "receipt" member`);
    return answer.receipt;
  }
  return text;
}
