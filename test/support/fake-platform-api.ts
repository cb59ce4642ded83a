import type http from 'node:http';
import { parseJson } from '../../src/enforcement/connectors/transport.ts';
import { type WebhookAnswer, webhookRequestSchema } from '../../src/enforcement/connectors/webhook.ts';
import {
  signatureHeader,
  verifyWebhookSignature,
} from '../../src/enforcement/connectors/webhook-signature.ts';
import { LocalHttpServer, readBody } from './fake-bot-api.ts';

/**
 * A local stand-in for a platform's own moderation API, the receiving end of the webhook
 * connector. It does what the connector's contract asks of a platform: verify the signature
 * over the raw body (401 otherwise), carry out each `idempotency-key` once and recognise a
 * repeat, and keep the state of what it hid, restricted or restored. It can be told to
 * answer 5xx or 429, to lose its answer after acting, to be slow, or to be down.
 */
export type PlatformFailure =
  /** Answer with this status (default 500) without acting. */
  | { kind: 'http_error'; status?: number }
  | { kind: 'rate_limited'; retryAfter: string }
  /** Act and commit, then answer 500: the caller cannot tell it worked. */
  | { kind: 'lost_answer' }
  | { kind: 'drop' }
  | { kind: 'slow'; ms: number };

export interface PlatformRequest {
  operation?: string;
  action_id?: string;
  status: number;
}

/** A change the platform actually made: tests count these to prove exactly-once effects. */
export interface PlatformEffect {
  action_id: string;
  operation: 'apply' | 'revert';
  type: string;
  key: string;
}

export class FakePlatformApi {
  readonly requests: PlatformRequest[] = [];
  readonly effects: PlatformEffect[] = [];
  /** Per action id: whether its effect is in force now. */
  private readonly actions = new Map<string, { type: string; key: string; state: 'applied' | 'reverted' }>();
  private readonly done = new Map<string, WebhookAnswer>();
  private readonly failures: { failure: PlatformFailure; remaining: number }[] = [];
  private readonly server = new LocalHttpServer((req, res) => void this.handle(req, res));

  private constructor(
    private readonly secret: string,
    private readonly now: () => Date,
    /** How to answer a repeated idempotency key: 409, or 200 with already_done. */
    private readonly repeatAnswer: 409 | 'already_done',
  ) {}

  static async start(options: {
    secret: string;
    now?: () => Date;
    repeatAnswer?: 409 | 'already_done';
  }): Promise<FakePlatformApi> {
    const fake = new FakePlatformApi(
      options.secret,
      options.now ?? (() => new Date()),
      options.repeatAnswer ?? 'already_done',
    );
    await fake.server.listen();
    return fake;
  }

  get url(): string {
    return `${this.server.origin}/moderation/actions`;
  }

  failNext(count: number, failure: PlatformFailure): void {
    this.failures.push({ failure, remaining: count });
  }

  /** What the platform shows now for a subject key: every action in force on it. */
  inForce(key: string): string[] {
    return [...this.actions.values()]
      .filter((a) => a.key === key && a.state === 'applied')
      .map((a) => a.type);
  }

  effectsOf(actionId: string): PlatformEffect[] {
    return this.effects.filter((effect) => effect.action_id === actionId);
  }

  async goDown(): Promise<void> {
    await this.server.close();
  }

  async comeBack(): Promise<void> {
    if (!this.server.listening) await this.server.listen();
  }

  async stop(): Promise<void> {
    await this.server.close();
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const raw = await readBody(req);
    const record: PlatformRequest = { status: 0 };
    this.requests.push(record);
    const reply = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      record.status = status;
      res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(body));
    };

    const check = verifyWebhookSignature(
      this.secret,
      req.headers[signatureHeader] as string | undefined,
      raw,
      this.now().getTime() / 1000,
    );
    if (!check.ok) return reply(401, { detail: `signature ${check.reason}` });
    const parsed = webhookRequestSchema.safeParse(parseJson(raw.toString('utf8')));
    if (!parsed.success) return reply(400, { detail: 'not an enforcement request' });
    const { operation, action } = parsed.data;
    Object.assign(record, { operation, action_id: action.action_id });
    const key = req.headers['idempotency-key'];
    if (key !== `${action.action_id}:${operation}`)
      return reply(400, { detail: 'idempotency-key must be <id>:<operation>' });

    const failure = this.takeFailure();
    if (failure?.kind === 'drop') return void req.socket.destroy();
    if (failure?.kind === 'slow') await new Promise((resolve) => setTimeout(resolve, failure.ms));
    if (failure?.kind === 'http_error')
      return reply(failure.status ?? 500, { detail: `injected ${failure.status ?? 500}` });
    if (failure?.kind === 'rate_limited')
      return reply(429, { detail: 'slow down' }, { 'retry-after': failure.retryAfter });

    if (operation === 'status') {
      const known = this.actions.get(action.action_id);
      return reply(200, { status: known?.state ?? 'not_applied' });
    }
    const repeat = this.done.get(key);
    if (repeat) {
      return this.repeatAnswer === 409
        ? reply(409, { detail: 'already done' })
        : reply(200, { ...repeat, status: 'already_done' });
    }
    const answer = this.act(operation, action.action_id, action.type, action.subject.key);
    this.done.set(key, answer);
    if (failure?.kind === 'lost_answer') return reply(500, { detail: 'internal error after commit' });
    reply(answer.status === 'applied' ? 201 : 200, answer);
  }

  private act(operation: 'apply' | 'revert', actionId: string, type: string, key: string): WebhookAnswer {
    const known = this.actions.get(actionId);
    if (operation === 'apply') {
      this.actions.set(actionId, { type, key, state: 'applied' });
      this.effects.push({ action_id: actionId, operation, type, key });
      return { status: 'applied', external_ref: `platform-${actionId}` };
    }
    if (known?.state !== 'applied') return { status: 'not_applied' };
    known.state = 'reverted';
    this.effects.push({ action_id: actionId, operation, type, key });
    return { status: 'reverted', external_ref: `platform-${actionId}` };
  }

  private takeFailure(): PlatformFailure | undefined {
    const entry = this.failures.find((f) => f.remaining > 0);
    if (!entry) return undefined;
    entry.remaining -= 1;
    if (entry.remaining === 0) this.failures.splice(this.failures.indexOf(entry), 1);
    return entry.failure;
  }
}
