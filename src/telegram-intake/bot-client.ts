import { BotApi, type BotApiResult } from '../enforcement/connectors/telegram-bot-api.ts';

/**
 * The intake bot's side of the Bot API. It reuses the enforcement connector's client
 * (src/enforcement/connectors/telegram-bot-api.ts: JSON calls, answers parsed, the token
 * redacted from every detail) and adds what the intake needs beyond it: a document upload
 * (multipart/form-data, core.telegram.org/bots/api#sending-files) for the signed receipt,
 * and file downloads (#getfile: `https://api.telegram.org/file/bot<token>/<file_path>`).
 */

/** "For the moment, bots can download files of up to 20MB in size" (#getfile). */
export const DOWNLOAD_LIMIT_BYTES = 20 * 1024 * 1024;

export interface IntakeBotApi {
  call<T>(method: string, params: Record<string, unknown>): Promise<BotApiResult<T>>;
  sendDocument(
    params: Record<string, unknown>,
    document: { filename: string; content: string; contentType: string },
  ): Promise<BotApiResult<{ message_id: number }>>;
  download(filePath: string): Promise<Uint8Array>;
  redact(text: string): string;
}

export function intakeBotApi(options: { token: string; baseUrl: string; timeoutMs?: number }): IntakeBotApi {
  const base = options.baseUrl.replace(/\/+$/, '');
  const api = new BotApi({ token: options.token, baseUrl: base, timeoutMs: options.timeoutMs ?? 15_000 });
  const timeoutMs = options.timeoutMs ?? 15_000;
  return {
    call: (method, params) => api.call(method, params),
    redact: (text) => api.redact(text),
    async sendDocument(params, document) {
      // The other parameters travel in the query string: multipart would turn a caption's
      // line breaks into CRLF (the form encoding's rule), which Telegram would show.
      const query = new URLSearchParams();
      for (const [key, value] of Object.entries(params))
        query.set(key, typeof value === 'string' ? value : JSON.stringify(value));
      const form = new FormData();
      form.set('document', new Blob([document.content], { type: document.contentType }), document.filename);
      try {
        const response = await fetch(`${base}/bot${options.token}/sendDocument?${query}`, {
          method: 'POST',
          body: form,
          signal: AbortSignal.timeout(timeoutMs),
          redirect: 'error',
        });
        const body = (await response.json().catch(() => null)) as Record<string, unknown> | null;
        if (body?.ok === true) return { ok: true, result: body.result as { message_id: number } };
        const parameters = (body?.parameters ?? {}) as { retry_after?: number };
        return {
          ok: false,
          error: {
            error_code: typeof body?.error_code === 'number' ? body.error_code : response.status,
            description: api.redact(typeof body?.description === 'string' ? body.description : ''),
            ...(typeof parameters.retry_after === 'number' ? { retry_after: parameters.retry_after } : {}),
          },
        };
      } catch (error) {
        return { ok: false, unreachable: api.redact(error instanceof Error ? error.message : String(error)) };
      }
    },
    async download(filePath) {
      const response = await fetch(`${base}/file/bot${options.token}/${filePath}`, {
        signal: AbortSignal.timeout(timeoutMs * 4),
        redirect: 'error',
      });
      if (!response.ok) throw new Error(`file download answered ${response.status}`);
      return new Uint8Array(await response.arrayBuffer());
    },
  };
}
