import http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A local stand-in for the Telegram Bot API (core.telegram.org/bots/api), for connector
 * tests. It answers `POST /bot<token>/<method>` as the documentation describes, for the
 * methods the connector uses, with the errors real bots meet (wording as collected at
 * github.com/TelegramBotAPI/errors). It keeps the state those methods change, records every
 * call, and can be told to fail: flood control, 5xx, 403, dropped connections, lost answers,
 * slowness, or going down altogether and coming back on the same port.
 *
 * It also plays the side the intake bot (src/telegram-intake/) talks to: a queue of updates
 * served by getUpdates with Telegram's offset rule (an update is confirmed, and dropped, once
 * an offset above its id is asked for), long polls that wait for a pushed update, the
 * messages and documents the bot sends (multipart uploads included), files to download
 * (getFile, /file/bot<token>/<path>, the 20 MB limit) and the webhook setting.
 */

/** A node:http server on 127.0.0.1 that can stop listening and come back on the same port. */
export class LocalHttpServer {
  private readonly server: http.Server;
  private port = 0;

  constructor(handler: http.RequestListener) {
    this.server = http.createServer(handler);
  }

  async listen(): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(this.port, '127.0.0.1', () => {
        this.server.off('error', reject);
        this.port = (this.server.address() as AddressInfo).port;
        resolve();
      });
    });
  }

  get origin(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get listening(): boolean {
    return this.server.listening;
  }

  /** Stops listening and cuts open connections: callers now see "connection refused". */
  async close(): Promise<void> {
    if (!this.server.listening) return;
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.server.closeAllConnections();
    await closed;
  }
}

export async function readBody(req: http.IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

export type ChatType = 'group' | 'supergroup' | 'channel';
export type Permissions = Record<string, boolean>;

const permissionFields = [
  'can_send_messages',
  'can_send_audios',
  'can_send_documents',
  'can_send_photos',
  'can_send_videos',
  'can_send_video_notes',
  'can_send_voice_notes',
  'can_send_polls',
  'can_send_other_messages',
  'can_add_web_page_previews',
  'can_react_to_messages',
  'can_change_info',
  'can_invite_users',
  'can_edit_tag',
  'can_pin_messages',
  'can_manage_topics',
];

export interface FakeMember {
  role: 'creator' | 'administrator' | 'member';
  inChat: boolean;
  restriction?: { permissions: Permissions; until_date: number };
  ban?: { until_date: number };
}

export interface FakeChat {
  id: number;
  username?: string;
  type: ChatType;
  bot: {
    status: 'administrator' | 'member' | 'left' | 'kicked';
    can_delete_messages: boolean;
    can_restrict_members: boolean;
  };
  messages: Set<number>;
  members: Map<number, FakeMember>;
  /** Set when a group was upgraded: its calls answer with migrate_to_chat_id. */
  migratedTo?: number;
  /** A channel's discussion group, and the reverse (getChat's linked_chat_id). */
  linkedChatId?: number;
  /** has_protected_content: its messages cannot be forwarded. */
  protectedContent?: boolean;
}

export type BotApiFailure =
  | { kind: 'flood'; retryAfter: number }
  | { kind: 'server_error'; status?: number }
  | { kind: 'forbidden'; description?: string }
  /** Close the connection before acting. */
  | { kind: 'drop' }
  /** Act, then close the connection: the caller never hears that it worked. */
  | { kind: 'lost_answer' }
  | { kind: 'slow'; ms: number };

export interface RecordedCall {
  method: string;
  params: Record<string, unknown>;
  answer: 'ok' | 'error' | 'injected';
  error_code?: number;
}

type Answer =
  | { ok: true; result: unknown }
  | { ok: false; error_code: number; description: string; parameters?: Record<string, number> };

const day = 24 * 60 * 60;

/** What the bot sent to a chat: a message or a document. */
export interface SentMessage {
  method: 'sendMessage' | 'sendDocument';
  chat_id: number;
  message_id: number;
  text?: string;
  caption?: string;
  reply_markup?: { inline_keyboard?: { text: string; callback_data: string }[][] };
  document?: { filename: string; content: string };
}

/** "bots can download files of up to 20MB in size" (#getfile). */
const DOWNLOAD_LIMIT = 20 * 1024 * 1024;

export class FakeBotApi {
  readonly calls: RecordedCall[] = [];
  private readonly chats = new Map<number, FakeChat>();
  private readonly failures: { failure: BotApiFailure; remaining: number; methods?: string[] }[] = [];
  private readonly server = new LocalHttpServer((req, res) => void this.handle(req, res));
  /** Updates not yet confirmed by an offset above them. */
  private readonly updates: Record<string, unknown>[] = [];
  private nextUpdateId = 1000;
  private readonly pollers = new Set<() => void>();
  private readonly files = new Map<string, { path: string; data: Buffer; size: number }>();
  readonly sent: SentMessage[] = [];
  private nextMessageId = 1;
  webhook: { url: string; secret_token?: string } | null = null;

  private constructor(
    readonly token: string,
    private readonly now: () => Date,
  ) {}

  static async start(options: { token: string; now?: () => Date }): Promise<FakeBotApi> {
    const fake = new FakeBotApi(options.token, options.now ?? (() => new Date()));
    await fake.server.listen();
    return fake;
  }

  /** The base URL to configure the connector with (it appends /bot<token>/<method>). */
  get baseUrl(): string {
    return this.server.origin;
  }

  addChat(chat: {
    id: number;
    username?: string;
    type?: ChatType;
    bot?: Partial<FakeChat['bot']>;
    messages?: number[];
    protectedContent?: boolean;
  }): FakeChat {
    const created: FakeChat = {
      id: chat.id,
      type: chat.type ?? 'supergroup',
      bot: { status: 'administrator', can_delete_messages: true, can_restrict_members: true, ...chat.bot },
      messages: new Set(chat.messages ?? []),
      members: new Map(),
      ...(chat.username ? { username: chat.username } : {}),
      ...(chat.protectedContent ? { protectedContent: true } : {}),
    };
    this.chats.set(chat.id, created);
    return created;
  }

  chat(id: number): FakeChat {
    const chat = this.chats.get(id);
    if (!chat) throw new Error(`no chat ${id}`);
    return chat;
  }

  addMember(chatId: number, userId: number, role: FakeMember['role'] = 'member'): FakeMember {
    const member: FakeMember = { role, inChat: true };
    this.chat(chatId).members.set(userId, member);
    return member;
  }

  /** The member as getChatMember would show it. */
  memberStatus(chatId: number, userId: number): Record<string, unknown> {
    return this.describeMember(this.chat(chatId), userId);
  }

  /** The next `count` calls (to `methods`, if given) fail so. */
  failNext(count: number, failure: BotApiFailure, methods?: string[]): void {
    this.failures.push({
      failure,
      remaining: count,
      ...(methods ? { methods: methods.map((m) => m.toLowerCase()) } : {}),
    });
  }

  /** Calls that reached the server and succeeded, for the given method. */
  succeeded(method: string): RecordedCall[] {
    return this.calls.filter(
      (call) => call.answer === 'ok' && call.method.toLowerCase() === method.toLowerCase(),
    );
  }

  /** Queues an update for getUpdates; returns it with its update_id. */
  pushUpdate(update: Record<string, unknown>): Record<string, unknown> {
    const withId = { update_id: this.nextUpdateId++, ...update };
    this.updates.push(withId);
    for (const wake of this.pollers) wake();
    return withId;
  }

  /** Updates still unconfirmed: what a poller restarted from scratch would get again. */
  get pendingUpdates(): readonly Record<string, unknown>[] {
    return this.updates;
  }

  /** A file the bot can fetch with getFile; `size` may claim more than the bytes (for the limit). */
  addFile(fileId: string, data: Buffer, size = data.length): void {
    this.files.set(fileId, { path: `documents/${fileId}`, data, size });
  }

  /** What the bot sent to a chat, in order. */
  sentTo(chatId: number): SentMessage[] {
    return this.sent.filter((m) => m.chat_id === chatId);
  }

  async goDown(): Promise<void> {
    await this.server.close();
  }

  async comeBack(): Promise<void> {
    if (!this.server.listening) await this.server.listen();
  }

  async stop(): Promise<void> {
    for (const wake of this.pollers) wake();
    await this.server.close();
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const download = /^\/file\/bot([^/]+)\/(.+)$/.exec(url.pathname);
    if (download) return this.download(res, download[1]!, download[2]!);
    const match = /^\/bot([^/]+)\/([A-Za-z]+)$/.exec(url.pathname);
    const body = await readBody(req);
    if (!match) return send(res, { ok: false, error_code: 404, description: 'Not Found' });
    if (match[1] !== this.token)
      return send(res, { ok: false, error_code: 401, description: 'Unauthorized' });
    const method = match[2]!;
    const params = req.headers['content-type']?.includes('multipart/form-data')
      ? {
          ...parseParams(url, undefined, Buffer.alloc(0)),
          ...(await parseMultipart(req.headers['content-type'], body)),
        }
      : parseParams(url, req.headers['content-type'], body);
    const call: RecordedCall = { method, params, answer: 'injected' };
    this.calls.push(call);

    const failure = this.takeFailure(method);
    if (failure?.kind === 'drop') return void req.socket.destroy();
    if (failure?.kind === 'slow') await new Promise((resolve) => setTimeout(resolve, failure.ms));
    if (failure && failure.kind !== 'lost_answer' && failure.kind !== 'slow')
      return send(res, injected(failure));

    // "All methods in the Bot API are case-insensitive" (#making-requests).
    const answer =
      (await this.answerIntake(method.toLowerCase(), params)) ?? this.answer(method.toLowerCase(), params);
    call.answer = answer.ok ? 'ok' : 'error';
    if (!answer.ok) call.error_code = answer.error_code;
    if (failure?.kind === 'lost_answer') return void req.socket.destroy();
    send(res, answer);
  }

  /** The methods the intake bot calls; undefined for the others. */
  private async answerIntake(method: string, params: Record<string, unknown>): Promise<Answer | undefined> {
    switch (method) {
      case 'getupdates': {
        const offset = Number(params.offset ?? 0);
        // "An update is considered confirmed as soon as getUpdates is called with an offset
        // higher than its update_id."
        while (this.updates.length > 0 && Number(this.updates[0]!.update_id) < offset) this.updates.shift();
        const timeout = Math.min(Number(params.timeout ?? 0), 5);
        if (this.updates.length === 0 && timeout > 0) {
          await new Promise<void>((resolve) => {
            const wake = () => {
              this.pollers.delete(wake);
              clearTimeout(timer);
              resolve();
            };
            const timer = setTimeout(wake, timeout * 1000);
            this.pollers.add(wake);
          });
        }
        return { ok: true, result: this.updates.slice(0, Number(params.limit ?? 100)) };
      }
      case 'sendmessage':
      case 'senddocument': {
        const chatId = Number(params.chat_id);
        if (!Number.isSafeInteger(chatId)) return badRequest('chat not found');
        if (method === 'sendmessage' && (typeof params.text !== 'string' || params.text.length === 0))
          return badRequest('message text is empty');
        const message: SentMessage = {
          method: method === 'sendmessage' ? 'sendMessage' : 'sendDocument',
          chat_id: chatId,
          message_id: this.nextMessageId++,
          ...(typeof params.text === 'string' ? { text: params.text } : {}),
          ...(typeof params.caption === 'string' ? { caption: params.caption } : {}),
          ...(params.reply_markup
            ? { reply_markup: params.reply_markup as SentMessage['reply_markup'] }
            : {}),
          ...(params.document ? { document: params.document as SentMessage['document'] } : {}),
        };
        if (method === 'senddocument' && !message.document)
          return badRequest('there is no document in the request');
        this.sent.push(message);
        return {
          ok: true,
          result: { message_id: message.message_id, chat: { id: chatId, type: 'private' }, date: 0 },
        };
      }
      case 'answercallbackquery':
        return { ok: true, result: true };
      case 'getfile': {
        const file = this.files.get(String(params.file_id));
        if (!file) return badRequest('invalid file_id');
        if (file.size > DOWNLOAD_LIMIT) return badRequest('file is too big');
        return { ok: true, result: { file_id: params.file_id, file_size: file.size, file_path: file.path } };
      }
      case 'setwebhook':
        this.webhook = {
          url: String(params.url),
          ...(params.secret_token ? { secret_token: String(params.secret_token) } : {}),
        };
        return { ok: true, result: true };
      case 'deletewebhook':
        this.webhook = null;
        return { ok: true, result: true };
      default:
        return undefined;
    }
  }

  private download(res: http.ServerResponse, token: string, path: string): void {
    const file = [...this.files.values()].find((f) => f.path === path);
    if (token !== this.token || !file) return void res.writeHead(404).end();
    res.writeHead(200, { 'content-type': 'application/octet-stream' }).end(file.data);
  }

  private takeFailure(method: string): BotApiFailure | undefined {
    const entry = this.failures.find(
      (f) => f.remaining > 0 && (!f.methods || f.methods.includes(method.toLowerCase())),
    );
    if (!entry) return undefined;
    entry.remaining -= 1;
    if (entry.remaining === 0) this.failures.splice(this.failures.indexOf(entry), 1);
    return entry.failure;
  }

  private answer(method: string, params: Record<string, unknown>): Answer {
    if (method === 'getme')
      return { ok: true, result: { id: 1, is_bot: true, first_name: 'tapis', username: 'tapis_bot' } };
    const known = [
      'deletemessage',
      'restrictchatmember',
      'banchatmember',
      'unbanchatmember',
      'getchatmember',
      'getchat',
      'forwardmessage',
    ];
    if (!known.includes(method)) return { ok: false, error_code: 404, description: 'Not Found' };
    const found = this.findChat(params.chat_id);
    if ('ok' in found) return found;
    const chat = found;
    if (method === 'getchat') {
      const result = {
        id: chat.id,
        type: chat.type,
        username: chat.username,
        linked_chat_id: chat.linkedChatId,
      };
      return { ok: true, result };
    }
    if (method === 'deletemessage') return this.deleteMessage(chat, params);
    if (method === 'forwardmessage') return this.forwardMessage(chat, params);
    const userId = Number(params.user_id);
    if (!Number.isSafeInteger(userId) || userId <= 0) return badRequest('invalid user_id specified');
    if (method === 'getchatmember') return { ok: true, result: this.describeMember(chat, userId) };
    if (!this.canRestrict(chat)) return badRequest('not enough rights to restrict/unrestrict chat member');
    const member = chat.members.get(userId) ?? { role: 'member' as const, inChat: false };
    if (method !== 'unbanchatmember' && member.role !== 'member') {
      return badRequest(
        member.role === 'creator' ? "can't remove chat owner" : 'user is an administrator of the chat',
      );
    }
    chat.members.set(userId, member);
    if (method === 'restrictchatmember') return this.restrict(chat, member, params);
    if (method === 'banchatmember') {
      member.ban = { until_date: this.normaliseUntil(params.until_date) };
      member.inChat = false;
      delete member.restriction;
      return { ok: true, result: true };
    }
    // unbanChatMember: "So if the user is a member of the chat they will also be removed from
    // the chat. If you don't want this, use the parameter only_if_banned."
    if (member.ban) delete member.ban;
    else if (params.only_if_banned !== true && member.inChat) member.inChat = false;
    return { ok: true, result: true };
  }

  private findChat(chatId: unknown): FakeChat | Answer {
    let chat: FakeChat | undefined;
    if (typeof chatId === 'string' && chatId.startsWith('@')) {
      chat = [...this.chats.values()].find(
        (c) => c.username?.toLowerCase() === chatId.slice(1).toLowerCase(),
      );
    } else {
      chat = this.chats.get(Number(chatId));
    }
    if (!chat) return badRequest('chat not found');
    const kind = `${chat.type} chat`;
    if (chat.migratedTo !== undefined) {
      return {
        ok: false,
        error_code: 400,
        description: 'Bad Request: group chat was upgraded to a supergroup chat',
        parameters: { migrate_to_chat_id: chat.migratedTo },
      };
    }
    if (chat.bot.status === 'kicked')
      return { ok: false, error_code: 403, description: `Forbidden: bot was kicked from the ${kind}` };
    if (chat.bot.status === 'left')
      return { ok: false, error_code: 403, description: `Forbidden: bot is not a member of the ${kind}` };
    return chat;
  }

  /** forwardMessage: `chat` is the destination; the message comes from from_chat_id. */
  private forwardMessage(chat: FakeChat, params: Record<string, unknown>): Answer {
    const from = this.findChat(params.from_chat_id);
    if ('ok' in from) return from;
    const id = Number(params.message_id);
    if (!from.messages.has(id)) return badRequest('message to forward not found');
    if (from.protectedContent) return badRequest("message can't be forwarded");
    const copy = Math.max(0, ...chat.messages) + 1;
    chat.messages.add(copy);
    return {
      ok: true,
      result: {
        message_id: copy,
        date: Math.floor(this.now().getTime() / 1000),
        chat: { id: chat.id, type: chat.type },
        forward_origin: {
          type: 'chat',
          chat: { id: from.id, type: from.type, ...(from.username ? { username: from.username } : {}) },
          message_id: id,
        },
        text: `Synthetic message ${id} of ${from.username ?? from.id}`,
      },
    };
  }

  private deleteMessage(chat: FakeChat, params: Record<string, unknown>): Answer {
    const id = Number(params.message_id);
    if (!chat.messages.has(id)) return badRequest('message to delete not found');
    if (chat.bot.status !== 'administrator' || !chat.bot.can_delete_messages)
      return badRequest("message can't be deleted");
    chat.messages.delete(id);
    return { ok: true, result: true };
  }

  private restrict(chat: FakeChat, member: FakeMember, params: Record<string, unknown>): Answer {
    if (chat.type !== 'supergroup') return badRequest('method is available only for supergroups');
    if (typeof params.permissions !== 'object' || params.permissions === null)
      return badRequest('invalid permissions specified');
    const given = params.permissions as Permissions;
    // Omitted permissions are false, except those the docs default to another one.
    const permissions: Permissions = {};
    for (const field of permissionFields) permissions[field] = given[field] === true;
    if (given.can_react_to_messages === undefined)
      permissions.can_react_to_messages = permissions.can_send_messages!;
    if (given.can_edit_tag === undefined) permissions.can_edit_tag = permissions.can_pin_messages!;
    if (given.can_manage_topics === undefined) permissions.can_manage_topics = permissions.can_pin_messages!;
    // "Pass True for all permissions to lift restrictions from a user."
    if (permissionFields.every((field) => permissions[field])) delete member.restriction;
    else member.restriction = { permissions, until_date: this.normaliseUntil(params.until_date) };
    return { ok: true, result: true };
  }

  private canRestrict(chat: FakeChat): boolean {
    return chat.bot.status === 'administrator' && (chat.type === 'group' || chat.bot.can_restrict_members);
  }

  /** "more than 366 days or less than 30 seconds from the current time … forever" → 0. */
  private normaliseUntil(value: unknown): number {
    const until = typeof value === 'number' ? value : 0;
    const ahead = until - Math.floor(this.now().getTime() / 1000);
    return ahead < 30 || ahead > 366 * day ? 0 : until;
  }

  private describeMember(chat: FakeChat, userId: number): Record<string, unknown> {
    const user = { id: userId, is_bot: false, first_name: `user ${userId}` };
    const member = chat.members.get(userId);
    if (!member) return { status: 'left', user };
    const now = Math.floor(this.now().getTime() / 1000);
    // Timed bans and restrictions lapse on their own.
    if (member.ban && member.ban.until_date !== 0 && member.ban.until_date <= now) delete member.ban;
    if (member.restriction && member.restriction.until_date !== 0 && member.restriction.until_date <= now)
      delete member.restriction;
    if (member.ban) return { status: 'kicked', user, until_date: member.ban.until_date };
    if (member.role !== 'member') return { status: member.role, user };
    if (member.restriction) {
      return {
        status: 'restricted',
        user,
        is_member: member.inChat,
        ...member.restriction.permissions,
        until_date: member.restriction.until_date,
      };
    }
    return { status: member.inChat ? 'member' : 'left', user };
  }
}

function badRequest(what: string): Answer {
  return { ok: false, error_code: 400, description: `Bad Request: ${what}` };
}

function injected(failure: BotApiFailure): Answer {
  switch (failure.kind) {
    case 'flood':
      return {
        ok: false,
        error_code: 429,
        description: `Too Many Requests: retry after ${failure.retryAfter}`,
        parameters: { retry_after: failure.retryAfter },
      };
    case 'forbidden':
      return {
        ok: false,
        error_code: 403,
        description: failure.description ?? 'Forbidden: not enough rights to restrict/unrestrict chat member',
      };
    default:
      return {
        ok: false,
        error_code: 'status' in failure && failure.status ? failure.status : 500,
        description: 'Internal Server Error',
      };
  }
}

function send(res: http.ServerResponse, answer: Answer): void {
  const status = answer.ok ? 200 : answer.error_code;
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(answer));
}

/** multipart/form-data (file uploads): fields as parameters, a file as {filename, content}. */
async function parseMultipart(contentType: string, body: Buffer): Promise<Record<string, unknown>> {
  const form = await new Request('http://127.0.0.1/', {
    method: 'POST',
    headers: { 'content-type': contentType },
    body,
  }).formData();
  const params: Record<string, unknown> = {};
  for (const [key, value] of form.entries()) {
    if (typeof value === 'string') {
      try {
        params[key] = /^[[{]|^(true|false|-?\d+)$/.test(value) ? (JSON.parse(value) as unknown) : value;
      } catch {
        params[key] = value;
      }
    } else {
      params[key] = { filename: value.name, content: await value.text() };
    }
  }
  return params;
}

/** JSON, form-encoded or query-string parameters; form values that are JSON objects are decoded. */
function parseParams(url: URL, contentType: string | undefined, body: Buffer): Record<string, unknown> {
  const params: Record<string, unknown> = Object.fromEntries(url.searchParams);
  if (contentType?.includes('application/json') && body.length > 0)
    return { ...params, ...(JSON.parse(body.toString('utf8')) as Record<string, unknown>) };
  if (contentType?.includes('application/x-www-form-urlencoded')) {
    for (const [key, value] of new URLSearchParams(body.toString('utf8'))) params[key] = value;
  }
  for (const [key, value] of Object.entries(params)) {
    if (typeof value === 'string' && /^[[{]|^(true|false|-?\d+)$/.test(value)) {
      try {
        params[key] = JSON.parse(value) as unknown;
      } catch {
        // Not JSON after all: keep the text.
      }
    }
  }
  return params;
}
