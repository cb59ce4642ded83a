import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { post } from '../api.ts';
import { type Receipt, ReceiptCard } from '../portal/ReceiptCard.tsx';
import { TargetsField, targetLines } from '../portal/TargetsField.tsx';
import { useTaxonomy } from '../portal/taxonomy.ts';
import { ProblemMessage } from '../ui/problem.tsx';

/**
 * The public notice form (DSA Art. 16): anyone, no account. Name and e-mail, or anonymous
 * where the category allows it. The confirmation is the signed receipt, to keep.
 */
export function PublicNotice() {
  const { t, i18n } = useTranslation();
  const taxonomy = useTaxonomy();
  const [targets, setTargets] = useState('');
  const [targetsOk, setTargetsOk] = useState(false);
  const [category, setCategory] = useState('');
  const [explanation, setExplanation] = useState('');
  const [name, setName] = useState('');
  const [email, setEmail] = useState('');
  const [anonymous, setAnonymous] = useState(false);
  const [goodFaith, setGoodFaith] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [receipt, setReceipt] = useState<Receipt | null>(null);
  const mayBeAnonymous = taxonomy.data?.find((c) => c.code === category)?.anonymous_notices ?? false;

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    try {
      setReceipt(
        await post<Receipt>('/v1/public/notices', {
          targets: targetLines(targets),
          category,
          explanation,
          good_faith: goodFaith,
          ...(anonymous && mayBeAnonymous ? { anonymous: true } : { notifier: { name, email } }),
        }),
      );
    } catch (err) {
      setError(err);
    }
  };

  if (receipt) return <ReceiptCard receipt={receipt} />;
  const named = !(anonymous && mayBeAnonymous);
  return (
    <form className="card" onSubmit={submit} aria-labelledby="public-title">
      <h1 id="public-title">{t('public.title')}</h1>
      <p className="muted">{t('public.intro')}</p>
      <TargetsField value={targets} onChange={setTargets} onParsed={setTargetsOk} />
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
        {t('notice.explanation')}
        <textarea
          required
          rows={5}
          minLength={20}
          value={explanation}
          onChange={(e) => setExplanation(e.target.value)}
        />
      </label>
      {mayBeAnonymous ? (
        <label className="check">
          <input type="checkbox" checked={anonymous} onChange={(e) => setAnonymous(e.target.checked)} />
          {t('public.anonymous')}
        </label>
      ) : category ? (
        <p className="muted">{t('public.notAnonymous')}</p>
      ) : null}
      {named ? (
        <div className="row">
          <label>
            {t('public.name')}
            <input required value={name} autoComplete="name" onChange={(e) => setName(e.target.value)} />
          </label>
          <label>
            {t('login.email')}
            <input
              required
              type="email"
              autoComplete="email"
              value={email}
              onChange={(e) => setEmail(e.target.value)}
            />
          </label>
        </div>
      ) : null}
      <label className="check">
        <input type="checkbox" checked={goodFaith} onChange={(e) => setGoodFaith(e.target.checked)} />
        {t('notice.goodFaith')}
      </label>
      <ProblemMessage error={error} />
      <button type="submit" className="primary" disabled={!targetsOk || !goodFaith}>
        {t('notice.submit')}
      </button>
    </form>
  );
}
