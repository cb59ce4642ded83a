import { useQuery } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { post } from '../api.ts';

export interface ParsedTarget {
  index: number;
  raw: string;
  ok: boolean;
  subject: { key: string; url: string; kind: string } | null;
  label: string | null;
  reason: string | null;
}

export const targetLines = (text: string) =>
  text
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);

/**
 * Targets pasted one per line, checked as they are typed by the intake's own parser
 * (POST /v1/targets/parse): each line shows its canonical subject or why it is refused.
 */
export function TargetsField(props: {
  value: string;
  onChange: (v: string) => void;
  onParsed: (ok: boolean) => void;
}) {
  const { t } = useTranslation();
  const [debounced, setDebounced] = useState(props.value);
  useEffect(() => {
    const timer = setTimeout(() => setDebounced(props.value), 300);
    return () => clearTimeout(timer);
  }, [props.value]);
  const lines = targetLines(debounced).slice(0, 1000);
  const parsed = useQuery({
    queryKey: ['parse-targets', lines],
    queryFn: async () =>
      (await post<{ items: ParsedTarget[] }>('/v1/targets/parse', { targets: lines })).items,
    enabled: lines.length > 0,
    placeholderData: (previous) => previous,
  });
  const items = lines.length ? (parsed.data ?? []) : [];
  const allOk = lines.length > 0 && items.length === lines.length && items.every((i) => i.ok);
  const { onParsed } = props;
  useEffect(() => onParsed(allOk), [allOk, onParsed]);

  return (
    <div className="field">
      <label htmlFor="targets">{t('notice.targets')}</label>
      <textarea
        id="targets"
        rows={4}
        value={props.value}
        placeholder="https://t.me/channel/123"
        aria-describedby="targets-help targets-parsed"
        onChange={(e) => props.onChange(e.target.value)}
      />
      <small id="targets-help">{t('notice.targetsHelp')}</small>
      <ul id="targets-parsed" className="parsed" aria-live="polite" data-testid="parsed-targets">
        {items.map((item) => (
          <li key={item.index} className={item.ok ? 'ok' : 'bad'}>
            <span aria-hidden="true">{item.ok ? '✓' : '✗'}</span> <code>{item.raw}</code>{' '}
            {item.ok ? (
              <span>
                → <strong>{item.subject?.key}</strong> <span className="muted">({item.label})</span>
              </span>
            ) : (
              <span className="error-text">{item.reason}</span>
            )}
          </li>
        ))}
      </ul>
    </div>
  );
}
