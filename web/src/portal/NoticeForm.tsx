import { type FormEvent, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api.ts';
import { ProblemMessage } from '../ui/problem.tsx';
import { useJurisdictions } from '../ui/time.tsx';
import { type Receipt, ReceiptCard } from './ReceiptCard.tsx';
import { TargetsField, targetLines } from './TargetsField.tsx';
import { useTaxonomy } from './taxonomy.ts';

/** Submit a notice (DSA Art. 16 fields), with evidence; the answer is the signed receipt. */
export function NoticeForm() {
  const { t, i18n } = useTranslation();
  const taxonomy = useTaxonomy();
  const jurisdictions = useJurisdictions();
  const [targets, setTargets] = useState('');
  const [targetsOk, setTargetsOk] = useState(false);
  const [category, setCategory] = useState('');
  const [jurisdiction, setJurisdiction] = useState('ID');
  const [legalBasis, setLegalBasis] = useState('');
  const [explanation, setExplanation] = useState('');
  const [reference, setReference] = useState('');
  const [goodFaith, setGoodFaith] = useState(false);
  const files = useRef<HTMLInputElement>(null);
  // One key per filled-in form: a retried submission returns the same receipt.
  const idempotencyKey = useRef(crypto.randomUUID());
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [receipt, setReceipt] = useState<Receipt | null>(null);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    const notice: Record<string, unknown> = {
      targets: targetLines(targets),
      category,
      jurisdiction,
      explanation,
      good_faith: goodFaith,
    };
    if (legalBasis.trim()) notice.legal_basis = legalBasis;
    if (reference.trim()) notice.reference = reference;
    const form = new FormData();
    form.set('notice', JSON.stringify(notice));
    for (const file of files.current?.files ?? []) form.append('evidence', file, file.name);
    try {
      setReceipt(
        await api<Receipt>('POST', '/v1/notices', form, { 'idempotency-key': idempotencyKey.current }),
      );
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  if (receipt) return <ReceiptCard receipt={receipt} follow />;

  return (
    <form className="card" onSubmit={submit} aria-labelledby="notice-title">
      <h1 id="notice-title">{t('notice.new')}</h1>
      <TargetsField value={targets} onChange={setTargets} onParsed={setTargetsOk} />
      <div className="row">
        <label>
          {t('notice.category')}
          <select required value={category} onChange={(e) => setCategory(e.target.value)}>
            <option value="">{t('common.choose')}</option>
            {taxonomy.data?.map((c) => (
              <option key={c.code} value={c.code}>
                {c.labels[i18n.language] ?? c.code}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('notice.jurisdiction')}
          <select value={jurisdiction} onChange={(e) => setJurisdiction(e.target.value)}>
            {(jurisdictions.data ?? [{ code: 'ID', name: 'Indonesia' }]).map((j) => (
              <option key={j.code} value={j.code}>
                {j.code} · {j.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('notice.reference')}
          <input value={reference} maxLength={200} onChange={(e) => setReference(e.target.value)} />
        </label>
      </div>
      <label>
        {t('notice.legalBasis')}
        <textarea rows={2} value={legalBasis} onChange={(e) => setLegalBasis(e.target.value)} />
      </label>
      <label>
        {t('notice.explanation')}
        <textarea
          required
          rows={5}
          minLength={20}
          value={explanation}
          onChange={(e) => setExplanation(e.target.value)}
        />
      </label>
      <label>
        {t('notice.evidence')}
        <input ref={files} type="file" multiple name="evidence" />
      </label>
      <label className="check">
        <input type="checkbox" checked={goodFaith} onChange={(e) => setGoodFaith(e.target.checked)} />
        {t('notice.goodFaith')}
      </label>
      <ProblemMessage error={error} />
      <button type="submit" className="primary" disabled={busy || !targetsOk || !goodFaith}>
        {t('notice.submit')}
      </button>
    </form>
  );
}
