import { useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, fetchBlob, get, post, saveFile } from '../api.ts';
import { can, type Me } from '../session.tsx';
import { ProblemMessage } from '../ui/problem.tsx';
import { QueryState } from '../ui/states.tsx';

interface Bank {
  id: string;
  name: string;
  description: string | null;
  enabled: boolean;
  policy: 'review' | 'auto_action';
  auto_action: { outcome: string } | null;
  updated_at: string;
  entries: Record<string, number>;
  accuracy: { automated_actions: number; appeals_upheld: number; accuracy: number | null };
}
interface ImportResult {
  added: number;
  duplicate: number;
  invalid: number;
  rows: { row: number; status: string; reason?: string }[];
}

/**
 * Hash banks: their policy, entry counts and accuracy; a CSV import that answers row by row
 * (what was added, what was a duplicate, what was refused and why); the export as the CSV
 * hash-sharing programmes exchange.
 */
export function Banks({ me }: { me: Me }) {
  const { t } = useTranslation();
  const client = useQueryClient();
  const banks = useQuery({
    queryKey: ['banks'],
    queryFn: async () => (await get<{ items: Bank[] }>('/v1/banks')).items,
  });
  const writable = can(me, 'banks:write');
  const [error, setError] = useState<unknown>(null);
  const [name, setName] = useState('');
  const [policy, setPolicy] = useState<'review' | 'auto_action'>('review');

  const create = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    try {
      await post('/v1/banks', {
        name,
        policy,
        ...(policy === 'auto_action' ? { auto_action: { outcome: 'remove' } } : {}),
      });
      setName('');
      await client.invalidateQueries({ queryKey: ['banks'] });
    } catch (err) {
      setError(err);
    }
  };
  const exportBank = async (bank: Bank) => {
    setError(null);
    try {
      saveFile(`${bank.name}.csv`, await fetchBlob(`/v1/banks/${bank.id}/export`));
    } catch (err) {
      setError(err);
    }
  };

  return (
    <section aria-labelledby="banks-title">
      <h1 id="banks-title">{t('banks.title')}</h1>
      <ProblemMessage error={error} />
      <QueryState query={banks} empty={t('banks.none')} isEmpty={banks.data?.length === 0}>
        <table className="grid">
          <thead>
            <tr>
              <th scope="col">{t('banks.name')}</th>
              <th scope="col">{t('banks.policy')}</th>
              <th scope="col">{t('banks.entries')}</th>
              <th scope="col">{t('banks.accuracy')}</th>
              <th scope="col" />
            </tr>
          </thead>
          <tbody>
            {banks.data?.map((b) => (
              <tr key={b.id} data-testid="bank" className={b.enabled ? '' : 'muted'}>
                <td>
                  <code>{b.name}</code>
                  {b.description ? <div className="muted free-text">{b.description}</div> : null}
                  {b.enabled ? null : <div>{t('banks.disabled')}</div>}
                </td>
                <td>
                  {t(`banks.policies.${b.policy}`)}
                  {b.auto_action
                    ? ` (${t(`outcome.${b.auto_action.outcome}`, { defaultValue: b.auto_action.outcome })})`
                    : ''}
                </td>
                <td data-testid="bank-entries">
                  {Object.entries(b.entries)
                    .map(([type, n]) => `${type}: ${n}`)
                    .join(', ') || '0'}
                </td>
                <td>
                  {b.accuracy.accuracy === null
                    ? '—'
                    : `${Math.round(b.accuracy.accuracy * 100)}% (${b.accuracy.automated_actions})`}
                </td>
                <td className="actions">
                  <button type="button" onClick={() => void exportBank(b)}>
                    {t('banks.export')} {b.name}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </QueryState>
      {writable && banks.data?.length ? <BankImport banks={banks.data} /> : null}
      {writable ? (
        <form className="card" onSubmit={create}>
          <h2>{t('banks.new')}</h2>
          <div className="two">
            <label>
              {t('banks.name')}
              <input
                required
                pattern="[a-z0-9][a-z0-9_.\-]{0,99}"
                value={name}
                onChange={(e) => setName(e.target.value)}
              />
            </label>
            <label>
              {t('banks.policy')}
              <select value={policy} onChange={(e) => setPolicy(e.target.value as typeof policy)}>
                <option value="review">{t('banks.policies.review')}</option>
                <option value="auto_action">{t('banks.policies.auto_action')}</option>
              </select>
            </label>
          </div>
          <button type="submit">{t('banks.create')}</button>
        </form>
      ) : null}
    </section>
  );
}

function BankImport({ banks }: { banks: Bank[] }) {
  const { t } = useTranslation();
  const client = useQueryClient();
  const file = useRef<HTMLInputElement>(null);
  const [bankId, setBankId] = useState(banks[0]!.id);
  const [result, setResult] = useState<ImportResult | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [sending, setSending] = useState(false);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const chosen = file.current?.files?.[0];
    if (!chosen) return;
    setError(null);
    setResult(null);
    setSending(true);
    try {
      setResult(
        await api<ImportResult>('POST', `/v1/banks/${bankId}/import`, chosen, {
          'content-type': 'text/csv; charset=utf-8',
        }),
      );
      await client.invalidateQueries({ queryKey: ['banks'] });
    } catch (err) {
      setError(err);
    } finally {
      setSending(false);
    }
  };
  return (
    <form className="card" onSubmit={submit} aria-labelledby="import-title">
      <h2 id="import-title">{t('banks.import')}</h2>
      <p className="muted">{t('banks.importHelp')}</p>
      <div className="two">
        <label>
          {t('banks.bank')}
          <select value={bankId} onChange={(e) => setBankId(e.target.value)}>
            {banks.map((b) => (
              <option key={b.id} value={b.id}>
                {b.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('banks.file')}
          <input type="file" accept=".csv,text/csv" ref={file} required />
        </label>
      </div>
      <ProblemMessage error={error} />
      <button type="submit" className="primary" disabled={sending}>
        {sending ? t('common.sending') : t('banks.importButton')}
      </button>
      {result ? (
        <div role="status" data-testid="import-result">
          <p>{t('banks.imported', { ...result })}</p>
          {result.rows.length ? (
            <table className="grid">
              <thead>
                <tr>
                  <th scope="col">{t('bulk.row')}</th>
                  <th scope="col">{t('bulk.result')}</th>
                  <th scope="col">{t('bulk.detail')}</th>
                </tr>
              </thead>
              <tbody>
                {result.rows.map((r) => (
                  <tr key={r.row} data-testid="import-row" className={r.status === 'invalid' ? 'warn' : ''}>
                    <td>{r.row}</td>
                    <td>{t(`banks.rowStatus.${r.status}`, { defaultValue: r.status })}</td>
                    <td className="free-text">{r.reason ?? ''}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          ) : null}
        </div>
      ) : null}
    </form>
  );
}
