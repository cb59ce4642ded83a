import { randomUUID } from 'node:crypto';
import { validateTdbBatch } from '../../src/transparency/tdb-validation.ts';
import { LocalHttpServer, readBody } from './fake-bot-api.ts';

/**
 * A local stand-in for the DSA Transparency Database's API: POST /api/v1/statements with a
 * Bearer token, 1 to 100 statements, each checked with the same validation rules as the
 * real one (src/transparency/tdb-validation.ts) and puids unique per platform; all or
 * nothing, as the database stores a batch. It can be told to fail the next requests, or to
 * refuse given puids on grounds of its own.
 */
export class FakeTdbApi {
  readonly stored = new Map<string, { uuid: string; statement: Record<string, unknown> }>();
  readonly requests: { status: number; puids: string[] }[] = [];
  readonly refusePuids = new Set<string>();
  private failures: number[] = [];
  private readonly http: LocalHttpServer;

  private constructor(readonly token: string) {
    this.http = new LocalHttpServer(async (req, res) => {
      const answer = (status: number, body: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
      };
      const raw = (await readBody(req)).toString('utf8');
      let statements: Record<string, unknown>[] = [];
      try {
        statements = (JSON.parse(raw) as { statements: Record<string, unknown>[] }).statements ?? [];
      } catch {
        statements = [];
      }
      const puids = Array.isArray(statements) ? statements.map((s) => String(s?.puid)) : [];
      const reply = (status: number, body: unknown) => {
        this.requests.push({ status, puids });
        answer(status, body);
      };
      if (req.method !== 'POST' || req.url !== '/api/v1/statements')
        return reply(404, { message: 'Not Found' });
      if (req.headers.authorization !== `Bearer ${this.token}`)
        return reply(401, { message: 'Unauthenticated.' });
      const failure = this.failures.shift();
      if (failure) return reply(failure, { message: 'Server Error' });
      const batch = validateTdbBatch(statements, new Set(this.stored.keys()));
      const errors: Record<string, unknown> = {};
      for (const [key, refusals] of Object.entries(batch.statements))
        errors[key] = Object.fromEntries(refusals.map((r) => [r.field, [r.message]]));
      statements.forEach((s, i) => {
        if (this.refusePuids.has(String(s.puid)))
          errors[`statement_${i}`] = { decision_facts: ['refused by the double'] };
      });
      if (batch.error) return reply(422, { message: batch.error, errors: { statements: [batch.error] } });
      if (Object.keys(errors).length > 0) return reply(422, { errors });
      if (batch.duplicatePuids.length > 0)
        return reply(422, {
          message: 'The platform identifier(s) are not all unique within this call.',
          errors: {
            puid: ['The platform identifier(s) are not all unique within this call.'],
            existing_puids: batch.duplicatePuids,
          },
        });
      const out = statements.map((statement) => {
        const uuid = randomUUID();
        this.stored.set(String(statement.puid), { uuid, statement });
        return { ...statement, uuid };
      });
      reply(201, { statements: out });
    });
  }

  static async start(token: string): Promise<FakeTdbApi> {
    const api = new FakeTdbApi(token);
    await api.http.listen();
    return api;
  }

  get url(): string {
    return this.http.origin;
  }

  /** The next requests answer these statuses without storing anything. */
  failNext(...statuses: number[]): void {
    this.failures.push(...statuses);
  }

  stop(): Promise<void> {
    return this.http.close();
  }
}
