import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { post } from '../api.ts';
import type { Preserved } from './case-data.ts';

interface Match {
  query: { type: string; value: string };
  signal_type: string;
  distance: number;
  bank: { name: string; policy: string };
  provenance: { source: string; added_by: string; case_id: string | null; note: string | null };
}

/** The case's preserved content matched against every enabled bank (POST /v1/match), by its hashes. */
export function ScreeningMatches({ preserved }: { preserved: Preserved[] }) {
  const { t } = useTranslation();
  const signals = preserved.flatMap((p) => {
    const out: { type: string; value: string }[] = [];
    if (p.sha256) out.push({ type: 'sha256', value: p.sha256 });
    if (p.md5) out.push({ type: 'md5', value: p.md5 });
    if (typeof p.hashes.pdq === 'string') out.push({ type: 'pdq', value: p.hashes.pdq });
    return out;
  });
  const matches = useQuery({
    queryKey: ['matches', signals],
    queryFn: async () => (await post<{ matches: Match[] }>('/v1/match', { signals })).matches,
    enabled: signals.length > 0,
  });
  return (
    <section aria-labelledby="matches-title">
      <h2 id="matches-title">{t('case.matches')}</h2>
      {signals.length === 0 || matches.data?.length === 0 ? (
        <p className="muted">{t('case.noMatches')}</p>
      ) : null}
      {matches.data?.length ? (
        <table className="grid">
          <thead>
            <tr>
              <th scope="col">{t('case.bank')}</th>
              <th scope="col">{t('case.signal')}</th>
              <th scope="col">{t('case.distance')}</th>
              <th scope="col">{t('case.provenance')}</th>
            </tr>
          </thead>
          <tbody>
            {matches.data.map((m) => (
              <tr key={`${m.bank.name}:${m.query.value}:${m.signal_type}`}>
                <td>
                  {m.bank.name} <span className="muted">({m.bank.policy})</span>
                </td>
                <td>{m.signal_type}</td>
                <td>{m.distance}</td>
                <td className="free-text">
                  {m.provenance.source} · {m.provenance.added_by}
                  {m.provenance.note ? ` · ${m.provenance.note}` : ''}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </section>
  );
}
