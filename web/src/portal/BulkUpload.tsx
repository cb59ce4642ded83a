import { useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, get, query } from '../api.ts';
import { Link } from '../router.tsx';
import { ProblemMessage } from '../ui/problem.tsx';
import { QueryState } from '../ui/states.tsx';
import { DateTime } from '../ui/time.tsx';

interface BulkJob {
  job_id: string;
  format: 'csv' | 'jsonl';
  status: 'queued' | 'running' | 'done' | 'failed';
  total: number;
  processed: number;
  created: number;
  duplicate: number;
  invalid: number;
  created_at: string;
  finished_at: string | null;
  error: string | null;
}
interface BulkRow {
  row: number;
  outcome: 'created' | 'duplicate' | 'invalid';
  notice_id?: string;
  reason?: string;
  errors?: { pointer: string; detail: string }[];
}

const COLUMNS = 'targets,category,jurisdiction,legal_basis,explanation,reference,good_faith';
const EXAMPLE = `${COLUMNS}\nhttps://t.me/contoh_kanal/1,terrorism,ID,UU No. 5 Tahun 2018,Propaganda kelompok teror,B-1/2026,ya\n`;

/** A random key for the upload: the same file sent again from this screen is the same job. */
function idempotencyKey(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return `console-${[...bytes].map((b) => b.toString(16).padStart(2, '0')).join('')}`;
}

const typeOf = (file: File) =>
  /\.(jsonl|ndjson)$/i.test(file.name) || file.type === 'application/x-ndjson'
    ? 'application/x-ndjson'
    : 'text/csv';

/**
 * Bulk intake for a flagger: a CSV (or JSONL) file becomes a background job; its progress
 * is followed here, and every row that was not created says why.
 */
export function BulkUpload() {
  const { t } = useTranslation();
  const client = useQueryClient();
  const input = useRef<HTMLInputElement>(null);
  const keys = useRef(new Map<File, string>());
  const [error, setError] = useState<unknown>(null);
  const [sending, setSending] = useState(false);
  const [jobId, setJobId] = useState<string | null>(null);
  const jobs = useQuery({
    queryKey: ['bulk-jobs'],
    queryFn: async () => (await get<{ items: BulkJob[] }>('/v1/notices/bulk?limit=20')).items,
  });

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const file = input.current?.files?.[0];
    if (!file) return;
    setError(null);
    setSending(true);
    try {
      const key = keys.current.get(file) ?? idempotencyKey();
      keys.current.set(file, key);
      const accepted = await api<{ job_id: string }>('POST', '/v1/notices/bulk', file, {
        'content-type': `${typeOf(file)}; charset=utf-8`,
        'idempotency-key': key,
      });
      setJobId(accepted.job_id);
      await client.invalidateQueries({ queryKey: ['bulk-jobs'] });
    } catch (err) {
      setError(err);
    } finally {
      setSending(false);
    }
  };

  const template = useMemo(() => URL.createObjectURL(new Blob([EXAMPLE], { type: 'text/csv' })), []);
  useEffect(() => () => URL.revokeObjectURL(template), [template]);
  return (
    <section aria-labelledby="bulk-title">
      <h1 id="bulk-title">{t('bulk.title')}</h1>
      <form className="card" onSubmit={submit}>
        <p className="muted">{t('bulk.help', { columns: COLUMNS })}</p>
        <p>
          <a href={template} download="tapis-bulk-contoh.csv">
            {t('bulk.template')}
          </a>
        </p>
        <label>
          {t('bulk.file')}
          <input
            type="file"
            accept=".csv,.jsonl,.ndjson,text/csv,application/x-ndjson"
            ref={input}
            required
          />
        </label>
        <ProblemMessage error={error} />
        <button type="submit" className="primary" disabled={sending}>
          {sending ? t('common.sending') : t('bulk.upload')}
        </button>
      </form>
      {jobId ? <BulkJobView id={jobId} /> : null}
      <h2>{t('bulk.jobs')}</h2>
      <QueryState query={jobs} empty={t('bulk.none')} isEmpty={jobs.data?.length === 0}>
        <table className="grid">
          <thead>
            <tr>
              <th scope="col">{t('bulk.created_at')}</th>
              <th scope="col">{t('bulk.status')}</th>
              <th scope="col">{t('bulk.progress')}</th>
              <th scope="col" />
            </tr>
          </thead>
          <tbody>
            {jobs.data?.map((j) => (
              <tr key={j.job_id}>
                <td>
                  <DateTime value={j.created_at} />
                </td>
                <td>{t(`bulk.state.${j.status}`)}</td>
                <td>{t('bulk.counts', { ...j })}</td>
                <td>
                  <button type="button" onClick={() => setJobId(j.job_id)}>
                    {t('bulk.open')}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </QueryState>
    </section>
  );
}

function BulkJobView({ id }: { id: string }) {
  const { t } = useTranslation();
  const client = useQueryClient();
  const [only, setOnly] = useState<'' | 'invalid' | 'duplicate' | 'created'>('invalid');
  const job = useQuery({
    queryKey: ['bulk-job', id, only],
    queryFn: () =>
      get<BulkJob & { rows: BulkRow[]; next_after_row: number | null }>(
        `/v1/notices/bulk/${id}${query({ outcome: only, limit: 500 })}`,
      ),
    // Followed while it runs; a finished job does not change.
    refetchInterval: (q) => {
      const s = q.state.data?.status;
      if (s === 'done' || s === 'failed') {
        void client.invalidateQueries({ queryKey: ['bulk-jobs'] });
        return false;
      }
      return 1000;
    },
  });
  const j = job.data;
  return (
    <section className="card" aria-labelledby="job-title" data-testid="bulk-job">
      <h2 id="job-title">{t('bulk.job')}</h2>
      <QueryState query={job} empty="" isEmpty={false}>
        {j ? (
          <>
            <p>
              <strong data-testid="bulk-status">{t(`bulk.state.${j.status}`)}</strong> ·{' '}
              <span data-testid="bulk-counts">{t('bulk.counts', { ...j })}</span>
            </p>
            <progress max={j.total || 1} value={j.processed} aria-label={t('bulk.progress')} />
            {j.error ? <p className="error free-text">{j.error}</p> : null}
            <label>
              {t('bulk.show')}
              <select value={only} onChange={(e) => setOnly(e.target.value as typeof only)}>
                <option value="invalid">{t('bulk.outcome.invalid')}</option>
                <option value="duplicate">{t('bulk.outcome.duplicate')}</option>
                <option value="created">{t('bulk.outcome.created')}</option>
                <option value="">{t('common.all')}</option>
              </select>
            </label>
            {j.rows.length === 0 ? (
              <p className="muted">{t('bulk.noRows')}</p>
            ) : (
              <table className="grid" data-testid="bulk-rows">
                <thead>
                  <tr>
                    <th scope="col">{t('bulk.row')}</th>
                    <th scope="col">{t('bulk.result')}</th>
                    <th scope="col">{t('bulk.detail')}</th>
                  </tr>
                </thead>
                <tbody>
                  {j.rows.map((r) => (
                    <tr key={r.row} className={r.outcome === 'invalid' ? 'warn' : ''} data-testid="bulk-row">
                      <td>{r.row}</td>
                      <td>{t(`bulk.outcome.${r.outcome}`)}</td>
                      <td className="free-text">
                        {r.notice_id ? (
                          <Link to={`/portal/notices/${r.notice_id}`}>{r.notice_id}</Link>
                        ) : null}
                        {r.reason ? <div>{r.reason}</div> : null}
                        {r.errors?.length ? (
                          <ul>
                            {r.errors.map((e) => (
                              <li key={`${e.pointer}:${e.detail}`}>
                                <code>{e.pointer}</code> {e.detail}
                              </li>
                            ))}
                          </ul>
                        ) : null}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </>
        ) : null}
      </QueryState>
    </section>
  );
}
