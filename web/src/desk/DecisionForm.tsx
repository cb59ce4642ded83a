import { useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { get, post, query } from '../api.ts';
import { Link } from '../router.tsx';
import { ProblemMessage } from '../ui/problem.tsx';
import type { CaseFile } from './case-data.ts';

const OUTCOMES = [
  'remove',
  'restrict_in_jurisdiction',
  'suspend',
  'label',
  'no_action',
  'reject_unsubstantiated',
  'request_clarification',
] as const;

interface Template {
  id: string;
  outcome: string;
  grounds: {
    illegal?: { legal_ground: string; explanation: string };
    incompatible?: { ground: string; explanation: string };
  };
  explanation?: string;
}

interface PlannedAction {
  type: string;
  connector: string;
  revertible: boolean;
  note?: string;
}

interface Preview {
  actions: PlannedAction[];
  irreversible: PlannedAction[];
  four_eyes: { rule: string } | null;
  warnings: string[];
}

interface Decided {
  decision_id: string | null;
  status: string;
  case_status: string;
  statement_url: string | null;
}

/** The statement's page in the console, from the API's link to its JSON. */
export const statementPage = (url: string) => `/statements/${url.split('/').pop()}`;

/**
 * The decision: a template per category in the console's language to start from; legal and
 * terms-of-service grounds kept apart (DSA Art. 17(3)(d) and (e)); territories for a
 * restriction; the preview says which actions cannot be undone, which must be acknowledged,
 * and whether a second reviewer must approve (four eyes).
 */
export function DecisionForm({ caseFile, held }: { caseFile: CaseFile; held: boolean }) {
  const { t, i18n } = useTranslation();
  const client = useQueryClient();
  const templates = useQuery({
    queryKey: ['templates', caseFile.category, i18n.language],
    queryFn: async () =>
      (
        await get<{ items: Template[] }>(
          `/v1/decision-templates${query({ category: caseFile.category, language: i18n.language })}`,
        )
      ).items,
  });
  const [outcome, setOutcome] = useState<string>('remove');
  const [templateId, setTemplateId] = useState('');
  const [legalGround, setLegalGround] = useState('');
  const [legalExplanation, setLegalExplanation] = useState('');
  const [tosGround, setTosGround] = useState('');
  const [tosExplanation, setTosExplanation] = useState('');
  const [territories, setTerritories] = useState(caseFile.jurisdiction);
  const [suspendTarget, setSuspendTarget] = useState<'channel' | 'account'>('channel');
  const [permanent, setPermanent] = useState(false);
  const [days, setDays] = useState(30);
  const [label, setLabel] = useState('');
  const [facts, setFacts] = useState('');
  const [question, setQuestion] = useState('');
  const [acknowledge, setAcknowledge] = useState(false);
  const [preview, setPreview] = useState<Preview | null>(null);
  const [decided, setDecided] = useState<Decided | null>(null);
  const [error, setError] = useState<unknown>(null);

  const applyTemplate = (id: string) => {
    setTemplateId(id);
    const tpl = templates.data?.find((x) => x.id === id);
    if (!tpl) return;
    setOutcome(tpl.outcome);
    setLegalGround(tpl.grounds.illegal?.legal_ground ?? '');
    setLegalExplanation(tpl.grounds.illegal?.explanation ?? '');
    setTosGround(tpl.grounds.incompatible?.ground ?? '');
    setTosExplanation(tpl.grounds.incompatible?.explanation ?? '');
    if (tpl.explanation) setFacts(tpl.explanation);
    setPreview(null);
  };

  const body = () => {
    const b: Record<string, unknown> = { outcome, language: i18n.language };
    if (templateId) b.template_id = templateId;
    if (outcome === 'request_clarification') return { ...b, question };
    const grounds: Record<string, unknown> = {};
    if (legalGround.trim() && legalExplanation.trim())
      grounds.illegal = { legal_ground: legalGround, explanation: legalExplanation };
    if (tosGround.trim() && tosExplanation.trim())
      grounds.incompatible = { ground: tosGround, explanation: tosExplanation };
    if (Object.keys(grounds).length) b.grounds = grounds;
    if (facts.trim()) b.facts = facts;
    if (outcome === 'restrict_in_jurisdiction')
      b.territories = territories
        .split(/[\s,]+/)
        .filter(Boolean)
        .map((x) => x.toUpperCase());
    if (outcome === 'suspend')
      b.suspension = permanent
        ? { target: suspendTarget, permanent: true }
        : { target: suspendTarget, duration_days: days };
    if (outcome === 'label') b.label = label;
    if (acknowledge) b.acknowledge_irreversible = true;
    return b;
  };

  const doPreview = async () => {
    setError(null);
    try {
      setPreview(await post<Preview>(`/v1/cases/${caseFile.id}/decisions/preview`, body()));
    } catch (err) {
      setError(err);
    }
  };

  const decide = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    try {
      setDecided(await post<Decided>(`/v1/cases/${caseFile.id}/decisions`, body()));
      await client.invalidateQueries({ queryKey: ['case', caseFile.id] });
      await client.invalidateQueries({ queryKey: ['queue'] });
    } catch (err) {
      setError(err);
    }
  };

  if (decided) {
    return (
      <section className="card" aria-live="polite" data-testid="decided">
        <h2>{t('decision.done')}</h2>
        <p>
          {t(`decisionStatus.${decided.status}`, { defaultValue: decided.status })} ·{' '}
          {t(`caseStatus.${decided.case_status}`, { defaultValue: decided.case_status })}
        </p>
        {decided.statement_url ? (
          <p>
            {t('decision.statement')}:{' '}
            <Link to={statementPage(decided.statement_url)}>{statementPage(decided.statement_url)}</Link>
          </p>
        ) : null}
      </section>
    );
  }

  const needsAck = Boolean(preview?.irreversible.length);
  return (
    <form className="card decision" onSubmit={decide} aria-labelledby="decision-title">
      <h2 id="decision-title">{t('decision.title')}</h2>
      {!held ? <p className="muted">{t('decision.claimFirst')}</p> : null}
      <label>
        {t('decision.template')}
        <select value={templateId} onChange={(e) => applyTemplate(e.target.value)} data-testid="template">
          <option value="">{t('decision.noTemplate')}</option>
          {templates.data?.map((x) => (
            <option key={x.id} value={x.id}>
              {t(`outcome.${x.outcome}`, { defaultValue: x.outcome })} · {x.id}
            </option>
          ))}
        </select>
      </label>
      <label>
        {t('decision.outcome')}
        <select
          id="decision-outcome"
          aria-keyshortcuts="d"
          value={outcome}
          onChange={(e) => {
            setOutcome(e.target.value);
            setPreview(null);
          }}
        >
          {OUTCOMES.map((o) => (
            <option key={o} value={o}>
              {t(`outcome.${o}`)}
            </option>
          ))}
        </select>
      </label>
      {outcome === 'request_clarification' ? (
        <label>
          {t('decision.question')}
          <textarea rows={4} value={question} onChange={(e) => setQuestion(e.target.value)} />
        </label>
      ) : (
        <>
          <fieldset>
            <legend>{t('decision.legalGrounds')}</legend>
            <label>
              {t('decision.legalGround')}
              <input value={legalGround} onChange={(e) => setLegalGround(e.target.value)} />
            </label>
            <label>
              {t('decision.why')}
              <textarea
                rows={3}
                value={legalExplanation}
                onChange={(e) => setLegalExplanation(e.target.value)}
              />
            </label>
          </fieldset>
          <fieldset>
            <legend>{t('decision.tosGrounds')}</legend>
            <label>
              {t('decision.tosGround')}
              <input value={tosGround} onChange={(e) => setTosGround(e.target.value)} />
            </label>
            <label>
              {t('decision.why')}
              <textarea rows={3} value={tosExplanation} onChange={(e) => setTosExplanation(e.target.value)} />
            </label>
          </fieldset>
          {outcome === 'restrict_in_jurisdiction' ? (
            <label>
              {t('decision.territories')}
              <input value={territories} onChange={(e) => setTerritories(e.target.value)} />
            </label>
          ) : null}
          {outcome === 'suspend' ? (
            <fieldset>
              <legend>{t('decision.suspension')}</legend>
              <label>
                {t('decision.suspendWhat')}
                <select
                  value={suspendTarget}
                  onChange={(e) => setSuspendTarget(e.target.value as 'channel' | 'account')}
                >
                  <option value="channel">{t('decision.channel')}</option>
                  <option value="account">{t('decision.account')}</option>
                </select>
              </label>
              <label className="check">
                <input type="checkbox" checked={permanent} onChange={(e) => setPermanent(e.target.checked)} />
                {t('decision.permanent')}
              </label>
              {!permanent ? (
                <label>
                  {t('decision.days')}
                  <input
                    type="number"
                    min={1}
                    max={3650}
                    value={days}
                    onChange={(e) => setDays(Number(e.target.value))}
                  />
                </label>
              ) : null}
            </fieldset>
          ) : null}
          {outcome === 'label' ? (
            <label>
              {t('decision.label')}
              <input value={label} onChange={(e) => setLabel(e.target.value)} />
            </label>
          ) : null}
          <label>
            {t('decision.facts')}
            <textarea rows={2} value={facts} onChange={(e) => setFacts(e.target.value)} />
          </label>
        </>
      )}
      <p className="actions">
        <button type="button" onClick={() => void doPreview()} disabled={!held}>
          {t('decision.preview')}
        </button>
      </p>
      {preview ? (
        <div className="preview" data-testid="preview">
          <h3>{t('decision.willDo')}</h3>
          <ul>
            {preview.actions.map((a) => (
              <li key={`${a.type}:${a.connector}`}>
                {a.type} · {a.connector}{' '}
                {a.revertible ? '' : <strong className="error-text">{t('decision.irreversible')}</strong>}
              </li>
            ))}
          </ul>
          {preview.four_eyes ? (
            <p className="warn">{t('decision.fourEyes', { rule: preview.four_eyes.rule })}</p>
          ) : null}
          {preview.warnings.map((w) => (
            <p key={w} className="warn">
              {w}
            </p>
          ))}
          {needsAck ? (
            <label className="check warn">
              <input
                type="checkbox"
                checked={acknowledge}
                onChange={(e) => setAcknowledge(e.target.checked)}
              />
              {t('decision.acknowledge')}
            </label>
          ) : null}
        </div>
      ) : null}
      <ProblemMessage error={error} />
      <button type="submit" className="primary" disabled={!held || !preview || (needsAck && !acknowledge)}>
        {t('decision.decide')}
      </button>
      <PendingApprovals caseFile={caseFile} />
    </form>
  );
}

/** Four eyes: a decision waiting for a second reviewer, who is never its author. */
function PendingApprovals({ caseFile }: { caseFile: CaseFile }) {
  const { t } = useTranslation();
  const client = useQueryClient();
  const [error, setError] = useState<unknown>(null);
  const pending = caseFile.decisions.filter((d) => d.status === 'pending_approval');
  if (!pending.length) return null;
  const act = async (id: string, what: 'approve' | 'refuse') => {
    setError(null);
    try {
      if (what === 'approve') await post(`/v1/decisions/${id}/approve`);
      else await post(`/v1/decisions/${id}/refuse`, { reason: t('decision.refusedReason') });
      await client.invalidateQueries({ queryKey: ['case', caseFile.id] });
    } catch (err) {
      setError(err);
    }
  };
  return (
    <div className="pending">
      <h3>{t('decision.pending')}</h3>
      {pending.map((d) => (
        <p key={d.id}>
          {t(`outcome.${d.outcome}`, { defaultValue: d.outcome })}{' '}
          <button type="button" onClick={() => void act(d.id, 'approve')}>
            {t('decision.approve')}
          </button>{' '}
          <button type="button" onClick={() => void act(d.id, 'refuse')}>
            {t('decision.refuse')}
          </button>
        </p>
      ))}
      <ProblemMessage error={error} />
    </div>
  );
}
