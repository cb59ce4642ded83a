import type { TdbStatement } from './tdb-mapping.ts';

/**
 * A client for the DSA Transparency Database's API: POST /api/v1/statements with up to 100
 * statements and the platform's Bearer token. It says what the database answered, in
 * tapis's terms; what to do about it is src/transparency/submission.ts's business.
 */
export type TdbAnswer =
  /** 201: every statement stored; the database's uuid for each, in order. */
  | { kind: 'accepted'; uuids: (string | null)[] }
  /** 422 with per-statement errors: the database stored none of the batch. */
  | { kind: 'refused'; refusals: Record<number, string> }
  /** 422 naming puids the database already holds: they were submitted before. */
  | { kind: 'duplicates'; puids: string[] }
  /** Anything else (a 5xx, a timeout, 401/403, 429): try again later. */
  | { kind: 'retry'; detail: string; afterMs?: number | undefined };

export interface TdbClient {
  submit(statements: TdbStatement[]): Promise<TdbAnswer>;
}

export function tdbClient(options: {
  url: string;
  token: string;
  fetch?: typeof fetch;
  timeoutMs?: number;
}): TdbClient {
  const endpoint = `${options.url.replace(/\/+$/, '')}/api/v1/statements`;
  const doFetch = options.fetch ?? fetch;
  return {
    async submit(statements) {
      let response: Response;
      try {
        response = await doFetch(endpoint, {
          method: 'POST',
          headers: {
            authorization: `Bearer ${options.token}`,
            'content-type': 'application/json',
            accept: 'application/json',
          },
          body: JSON.stringify({ statements }),
          signal: AbortSignal.timeout(options.timeoutMs ?? 30_000),
        });
      } catch (error) {
        return {
          kind: 'retry',
          detail: `the Transparency Database did not answer: ${(error as Error).message}`,
        };
      }
      const body = (await response.json().catch(() => null)) as Record<string, unknown> | null;
      if (response.status === 201 || response.status === 200) {
        const stored = Array.isArray(body?.statements) ? (body.statements as { uuid?: string }[]) : [];
        return { kind: 'accepted', uuids: statements.map((_, i) => stored[i]?.uuid ?? null) };
      }
      if (response.status === 422 && body && typeof body.errors === 'object' && body.errors) {
        const errors = body.errors as Record<string, unknown>;
        if (Array.isArray(errors.existing_puids))
          return { kind: 'duplicates', puids: errors.existing_puids.map(String) };
        const refusals: Record<number, string> = {};
        for (const [key, value] of Object.entries(errors)) {
          const index = /^statement_(\d+)$/.exec(key)?.[1];
          if (index !== undefined) refusals[Number(index)] = JSON.stringify(value).slice(0, 2000);
        }
        if (Object.keys(refusals).length > 0) return { kind: 'refused', refusals };
      }
      const retryAfter = Number(response.headers.get('retry-after'));
      return {
        kind: 'retry',
        detail: `the Transparency Database answered ${response.status}`,
        afterMs: Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter * 1000 : undefined,
      };
    },
  };
}
