import { useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { fetchBlob, get, post, saveFile } from '../api.ts';
import { isFlagger, type Me } from '../session.tsx';
import { ProblemMessage } from '../ui/problem.tsx';
import { DateTime } from '../ui/time.tsx';
import type { NoticeDetail } from './NoticeView.tsx';

interface ThreadMessage {
  id: string;
  side: string;
  kind: string;
  author_name: string;
  body: string;
  created_at: string;
  read_at: string | null;
  attachments: { id: string; filename: string; size: number }[];
}

const REFUSALS = new Set(['no_action', 'reject_unsubstantiated']);

/**
 * The notice's thread, both ways. What the notifier can write depends on the notice: an
 * answer while a clarification is open, an objection to a decision, an appeal of a refusal.
 */
export function Thread({ notice, me }: { notice: NoticeDetail; me: Me }) {
  const { t } = useTranslation();
  const client = useQueryClient();
  const thread = useQuery({
    queryKey: ['thread', notice.id],
    queryFn: async () => (await get<{ items: ThreadMessage[] }>(`/v1/notices/${notice.id}/thread`)).items,
    refetchInterval: 10_000,
  });
  const notifier = isFlagger(me);
  const kinds: { value: string; label: string }[] = [{ value: 'message', label: t('thread.message') }];
  if (notifier && notice.status === 'awaiting_clarification')
    kinds.unshift({ value: 'clarification', label: t('thread.answer') });
  if (notifier && notice.targets.some((x) => x.outcome))
    kinds.push({ value: 'objection', label: t('thread.objection') });
  if (notifier && notice.targets.some((x) => x.outcome && REFUSALS.has(x.outcome)))
    kinds.push({ value: 'appeal', label: t('thread.appeal') });
  if (!notifier) kinds.push({ value: 'clarification_request', label: t('thread.askClarification') });
  const [kind, setKind] = useState(kinds[0]!.value);
  const [body, setBody] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [sending, setSending] = useState(false);
  const files = useRef<HTMLInputElement>(null);
  // An appeal carries its grounds only; every other kind of message can carry files.
  const canAttach = kind !== 'appeal';

  /** Files go up as the notice's evidence first; the message then names them. */
  const upload = async (base: string): Promise<string[] | undefined> => {
    const chosen = [...(files.current?.files ?? [])];
    if (!canAttach || chosen.length === 0) return undefined;
    const form = new FormData();
    for (const file of chosen) form.append('evidence', file, file.name);
    const stored = await post<{ items: { id: string }[] }>(`${base}/evidence`, form);
    return stored.items.map((x) => x.id);
  };

  const send = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    setSending(true);
    const base = `/v1/notices/${notice.id}`;
    try {
      const attachments = await upload(base);
      const extra = attachments ? { attachments } : {};
      if (kind === 'message') await post(`${base}/messages`, { body, ...extra });
      else if (kind === 'clarification') await post(`${base}/clarification`, { answer: body, ...extra });
      else if (kind === 'objection') await post(`${base}/objections`, { grounds: body, ...extra });
      else if (kind === 'appeal') await post(`${base}/appeals`, { grounds: body });
      else if (kind === 'clarification_request')
        await post(`${base}/clarification-requests`, { question: body, ...extra });
      setBody('');
      if (files.current) files.current.value = '';
      await client.invalidateQueries({ queryKey: ['thread', notice.id] });
      await client.invalidateQueries({ queryKey: ['notice', notice.id] });
    } catch (err) {
      setError(err);
    } finally {
      setSending(false);
    }
  };
  const download = async (id: string, filename: string) => {
    try {
      saveFile(filename, await fetchBlob(`/v1/notices/${notice.id}/evidence/${id}`));
    } catch (err) {
      setError(err);
    }
  };

  return (
    <section aria-labelledby="thread-title">
      <h2 id="thread-title">{t('thread.title')}</h2>
      <ProblemMessage error={thread.error} />
      <ol className="thread" data-testid="thread">
        {thread.data?.map((m) => (
          <li key={m.id} className={`msg side-${m.side} kind-${m.kind}`}>
            <div className="meta">
              <strong>{m.author_name}</strong> · {t(`thread.kind.${m.kind}`, { defaultValue: m.kind })} ·{' '}
              <DateTime value={m.created_at} />
              {m.read_at ? <span className="muted"> · {t('thread.read')}</span> : null}
            </div>
            <p className="free-text">{m.body}</p>
            {m.attachments.length ? (
              <ul className="attachments">
                {m.attachments.map((a) => (
                  <li key={a.id} data-testid="attachment">
                    <button type="button" className="link" onClick={() => void download(a.id, a.filename)}>
                      {a.filename}
                    </button>{' '}
                    <span className="muted">({Math.ceil(a.size / 1024)} KiB)</span>
                  </li>
                ))}
              </ul>
            ) : null}
          </li>
        ))}
        {thread.data?.length === 0 ? <li className="muted">{t('thread.empty')}</li> : null}
        {thread.isPending ? <li className="loading">{t('common.loading')}</li> : null}
      </ol>
      <form onSubmit={send} className="thread-form">
        <label>
          {t('thread.kindLabel')}
          <select value={kind} onChange={(e) => setKind(e.target.value)}>
            {kinds.map((k) => (
              <option key={k.value} value={k.value}>
                {k.label}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('thread.body')}
          <textarea rows={3} required value={body} onChange={(e) => setBody(e.target.value)} />
        </label>
        {canAttach ? (
          <label>
            {t('thread.attachments')}
            <input type="file" multiple ref={files} />
          </label>
        ) : null}
        <ProblemMessage error={error} />
        <button type="submit" disabled={sending}>
          {sending ? t('common.sending') : t('thread.send')}
        </button>
      </form>
    </section>
  );
}
