import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { type Caller, createTestApp } from '../support/app.ts';
import { createPrincipals, type PrincipalName, principalNames } from '../support/principals.ts';
import { recordChanges, takeChanges } from './change-log.ts';
import { type FuzzRequest, operationsOf, requestsFor } from './requests.ts';
import { seedWorld } from './world.ts';

/**
 * Fuzzing from the OpenAPI document (issue 15). For every operation the server documents,
 * requests built from its schemas — valid, nearly valid and hostile bodies, path and query
 * values, headers and content types — as every principal, against the real server on a
 * database of its own with live records. For each request:
 *
 * - never a 5xx, and the server keeps answering (no crash, no unhandled rejection);
 * - every 4xx is an application/problem+json document whose status is the response's;
 * - a refused request (4xx) changes nothing in the database (every table's fingerprint).
 *
 * CI runs a fixed seed and a few runs per operation; `npm run fuzz` runs more. Replay a
 * failure with the FUZZ_SEED (and FUZZ_ROUTE) printed with it.
 */
const seed = process.env.FUZZ_SEED
  ? Number(process.env.FUZZ_SEED)
  : process.env.FUZZ_RANDOM
    ? Math.floor(Math.random() * 2 ** 31)
    : 20261202;
const runs = Number(process.env.FUZZ_RUNS ?? 5);
const only = process.env.FUZZ_ROUTE;
if (process.env.FUZZ_RANDOM || process.env.FUZZ_RUNS)
  console.log(`fuzzing with FUZZ_SEED=${seed} FUZZ_RUNS=${runs}${only ? ` FUZZ_ROUTE='${only}'` : ''}`);

const app = await createTestApp({
  env: {
    // The fuzzer sends thousands of requests at a clock that does not move.
    TAPIS_RATE_LIMIT_ORG_PER_MINUTE: '10000000',
    TAPIS_RATE_LIMIT_KEY_PER_MINUTE: '10000000',
    TAPIS_ALLOW_PRIVATE_NETWORKS: 'true',
    TAPIS_DEMO: 'true',
  },
});
const callers: Record<PrincipalName, Caller> = await createPrincipals(app);
const world = await seedWorld(app);
const document = (await app.request({ method: 'GET', url: '/openapi.json' })).json();
const watched = await recordChanges(app.ctx.db);

const operations = operationsOf(document).filter((op) => !only || `${op.method} ${op.route}` === only);
const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown) => unhandled.push(reason);
process.on('unhandledRejection', onUnhandled);

afterAll(async () => {
  process.off('unhandledRejection', onUnhandled);
  await app.close();
});

/** Per operation, so that replaying one operation does not need the others' runs. */
function seedFor(key: string): number {
  let h = seed | 0;
  for (const c of key) h = (Math.imul(h, 31) + c.charCodeAt(0)) | 0;
  return h;
}

function describeRequest(principal: PrincipalName, request: FuzzRequest): string {
  const body =
    request.payload === undefined
      ? ''
      : ` body(${request.kind}, ${request.payload.length} bytes): ${String(request.payload).slice(0, 300)}`;
  return `${request.method} ${request.url.slice(0, 300)} as ${principal} headers ${JSON.stringify(request.headers).slice(0, 300)}${body}`;
}

async function send(principal: PrincipalName, request: FuzzRequest) {
  const response = await app.request({
    method: request.method as 'GET',
    url: request.url,
    headers: request.headers,
    as: callers[principal],
    ...(request.payload === undefined ? {} : { payload: request.payload }),
  });
  // A successful logout ends the session the next requests would use.
  if (
    request.url.startsWith('/v1/auth/logout') &&
    response.statusCode < 300 &&
    callers[principal] &&
    'cookie' in callers[principal]!
  ) {
    const email =
      principal === 'anonymous'
        ? null
        : `only-${principal}@${principal.startsWith('flagger') ? 'komdigi' : 'platform'}.example`;
    if (email) callers[principal] = await app.loginAs(email);
  }
  return response;
}

async function check(principal: PrincipalName, request: FuzzRequest): Promise<void> {
  const what = describeRequest(principal, request);
  const response = await send(principal, request);
  const status = response.statusCode;
  const changes = await takeChanges(app.ctx.db);
  expect(status, `${what}\n→ ${status} ${response.body.slice(0, 500)}`).toBeLessThan(500);
  if (status >= 400) {
    expect(String(response.headers['content-type']), `${what}\n→ ${status} not a problem document`).toMatch(
      /^application\/problem\+json/,
    );
    const problem = response.json();
    expect(problem.status, `${what}\n→ problem status`).toBe(status);
    expect(response.body, what).not.toMatch(/\bat .*\.(ts|js):\d+/);
    expect(changes, `${what}\n→ ${status} ${response.body.slice(0, 300)}\nbut it changed rows`).toEqual([]);
  }
}

describe('fuzzing from the OpenAPI document', () => {
  it('finds the live records and every documented operation', () => {
    expect(operations.length).toBeGreaterThan(only ? 0 : 100);
    expect(watched.length).toBeGreaterThan(30);
  });

  it('sees the rows a request changes (so that "changes nothing" can fail)', async () => {
    await takeChanges(app.ctx.db);
    const comment = await app.request({
      method: 'POST',
      url: `/v1/cases/${world.ids.caseSpare}/comments`,
      as: callers.lead,
      payload: { body: 'Synthetic comment from the fuzzer' },
    });
    expect(comment.statusCode, comment.body).toBe(201);
    expect(await takeChanges(app.ctx.db)).toEqual(expect.arrayContaining(['INSERT audit_log']));
    await app.ctx.db.updateTable('api_keys').set({ last_used_at: app.clock() }).execute();
    expect(await takeChanges(app.ctx.db)).toEqual([]);
    for (const name of [
      'notice',
      'caseOpen',
      'decisionPending',
      'action',
      'appeal',
      'bankEntry',
      'legalHold',
    ])
      expect(world.ids[name], name).toMatch(/^[0-9a-f-]{36}$/);
  });

  for (const op of operations) {
    const key = `${op.method} ${op.route}`;
    it(`${key}: no 5xx, 4xx are problem documents and change nothing`, async () => {
      const property = fc.asyncProperty(
        fc.constantFrom(...principalNames),
        requestsFor(op, world),
        async (principal, request) => {
          await check(principal, request);
        },
      );
      const opSeed = seedFor(key);
      const result = await fc.check(property, { seed: opSeed, numRuns: runs, endOnFailure: false });
      if (result.failed) {
        const replay = `FUZZ_SEED=${seed} FUZZ_ROUTE='${key}' FUZZ_RUNS=${runs} (operation seed ${opSeed}, path ${result.counterexamplePath})`;
        throw new Error(
          `fuzzing ${key} failed after ${result.numRuns} runs; replay with ${replay}\n${
            result.errorInstance instanceof Error
              ? result.errorInstance.message
              : String(result.errorInstance)
          }`,
        );
      }
      // The server still answers, and nothing was left to fail in the background.
      expect((await app.request({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
      expect(unhandled).toEqual([]);
    }, 120_000);
  }
});
