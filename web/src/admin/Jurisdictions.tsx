import { useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { get, put } from '../api.ts';
import { useCategoryLabel } from '../portal/taxonomy.ts';
import { can, type Me } from '../session.tsx';
import { ProblemMessage } from '../ui/problem.tsx';
import { QueryState } from '../ui/states.tsx';

interface Contact {
  name: string;
  email?: string;
  phone?: string;
  address?: string;
}
interface JurisdictionRecord {
  code: string;
  name: string;
  legal_representative: Contact;
  contact_point: Contact;
  languages: string[];
  time_zone: string;
  policy_version: number;
  deadlines: {
    applies_to: { jurisdiction: string; category: string; source_type: string };
    legal_deadline_hours: number | null;
    internal_target_hours: number | null;
    note: string | null;
  }[];
}

/**
 * Jurisdictions: the platform's legal representative and single point of contact in each
 * country, its languages and time zone, and the SOP deadlines in force there. Admins edit
 * the record (a new country too); the deadlines come from the SOP policy.
 */
export function Jurisdictions({ me }: { me: Me }) {
  const { t } = useTranslation();
  const list = useQuery({
    queryKey: ['jurisdictions'],
    queryFn: async () =>
      (
        await get<{ items: { code: string; name: string; languages: string[]; time_zone: string }[] }>(
          '/v1/jurisdictions',
        )
      ).items,
  });
  const [code, setCode] = useState<string | null>(null);
  const [creating, setCreating] = useState(false);
  const editable = can(me, 'policy:write');
  return (
    <section aria-labelledby="jur-title">
      <h1 id="jur-title">{t('jur.title')}</h1>
      <QueryState query={list} empty={t('jur.none')} isEmpty={list.data?.length === 0}>
        <table className="grid">
          <thead>
            <tr>
              <th scope="col">{t('jur.code')}</th>
              <th scope="col">{t('jur.name')}</th>
              <th scope="col">{t('jur.languages')}</th>
              <th scope="col">{t('jur.timeZone')}</th>
              <th scope="col" />
            </tr>
          </thead>
          <tbody>
            {list.data?.map((j) => (
              <tr key={j.code} data-testid="jurisdiction">
                <td>{j.code}</td>
                <td>{j.name}</td>
                <td>{j.languages.join(', ')}</td>
                <td>{j.time_zone}</td>
                <td>
                  <button
                    type="button"
                    aria-expanded={code === j.code}
                    onClick={() => {
                      setCreating(false);
                      setCode(code === j.code ? null : j.code);
                    }}
                  >
                    {t('flaggers.details')} {j.code}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </QueryState>
      {editable ? (
        <p>
          <button
            type="button"
            onClick={() => {
              setCode(null);
              setCreating(true);
            }}
          >
            {t('jur.add')}
          </button>
        </p>
      ) : null}
      {code ? <JurisdictionPanel code={code} editable={editable} /> : null}
      {creating ? (
        <JurisdictionForm
          initial={null}
          onSaved={(c) => {
            setCreating(false);
            setCode(c);
          }}
        />
      ) : null}
    </section>
  );
}

function JurisdictionPanel({ code, editable }: { code: string; editable: boolean }) {
  const { t } = useTranslation();
  const label = useCategoryLabel();
  const record = useQuery({
    queryKey: ['jurisdiction', code],
    queryFn: () => get<JurisdictionRecord>(`/v1/jurisdictions/${code}`),
  });
  const [editing, setEditing] = useState(false);
  const r = record.data;
  return (
    <section className="card" aria-label={code} data-testid="jurisdiction-record">
      <QueryState query={record} empty="" isEmpty={false}>
        {r ? (
          <>
            <h2>
              {r.name} ({r.code})
            </h2>
            <dl className="facts">
              <div className="fact">
                <dt>{t('jur.representative')}</dt>
                <dd className="free-text">{contactLine(r.legal_representative)}</dd>
              </div>
              <div className="fact">
                <dt>{t('jur.contact')}</dt>
                <dd className="free-text">{contactLine(r.contact_point)}</dd>
              </div>
              <div className="fact">
                <dt>{t('jur.timeZone')}</dt>
                <dd>{r.time_zone}</dd>
              </div>
              <div className="fact">
                <dt>{t('jur.languages')}</dt>
                <dd>{r.languages.join(', ')}</dd>
              </div>
            </dl>
            <h3>{t('jur.deadlines', { version: r.policy_version })}</h3>
            {r.deadlines.length === 0 ? (
              <p className="muted">{t('jur.noDeadlines')}</p>
            ) : (
              <table className="grid">
                <thead>
                  <tr>
                    <th scope="col">{t('notice.category')}</th>
                    <th scope="col">{t('queue.source')}</th>
                    <th scope="col">{t('jur.legal')}</th>
                    <th scope="col">{t('jur.internal')}</th>
                  </tr>
                </thead>
                <tbody>
                  {r.deadlines.map((d) => (
                    <tr
                      key={`${d.applies_to.jurisdiction}:${d.applies_to.category}:${d.applies_to.source_type}`}
                    >
                      <td>
                        {d.applies_to.category === '*' ? t('common.all') : label(d.applies_to.category)}
                      </td>
                      <td>
                        {d.applies_to.source_type === '*'
                          ? t('common.all')
                          : t(`source.${d.applies_to.source_type}`, {
                              defaultValue: d.applies_to.source_type,
                            })}
                      </td>
                      <td>
                        {d.legal_deadline_hours === null
                          ? '—'
                          : t('jur.hours', { n: d.legal_deadline_hours })}
                      </td>
                      <td>
                        {d.internal_target_hours === null
                          ? '—'
                          : t('jur.hours', { n: d.internal_target_hours })}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
            {editable ? (
              editing ? (
                <JurisdictionForm initial={r} onSaved={() => setEditing(false)} />
              ) : (
                <button type="button" onClick={() => setEditing(true)}>
                  {t('jur.edit')}
                </button>
              )
            ) : null}
          </>
        ) : null}
      </QueryState>
    </section>
  );
}

const contactLine = (c: Contact) => [c.name, c.email, c.phone, c.address].filter(Boolean).join(' · ');

/** Only the fields the person filled: an empty e-mail is no e-mail, not an invalid one. */
const contactOf = (c: Contact): Contact =>
  Object.fromEntries(
    Object.entries(c).filter(([, v]) => typeof v === 'string' && v.trim() !== ''),
  ) as unknown as Contact;

function JurisdictionForm({
  initial,
  onSaved,
}: {
  initial: JurisdictionRecord | null;
  onSaved: (code: string) => void;
}) {
  const { t } = useTranslation();
  const client = useQueryClient();
  const [code, setCode] = useState(initial?.code ?? '');
  const [name, setName] = useState(initial?.name ?? '');
  const [rep, setRep] = useState<Contact>(initial?.legal_representative ?? { name: '' });
  const [contact, setContact] = useState<Contact>(initial?.contact_point ?? { name: '' });
  const [languages, setLanguages] = useState(initial?.languages.join(', ') ?? '');
  const [timeZone, setTimeZone] = useState(initial?.time_zone ?? '');
  const [error, setError] = useState<unknown>(null);
  const [saved, setSaved] = useState(false);

  const save = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    try {
      const c = code.trim().toUpperCase();
      await put(`/v1/jurisdictions/${encodeURIComponent(c)}`, {
        name,
        legal_representative: contactOf(rep),
        contact_point: contactOf(contact),
        languages: languages
          .split(/[\s,]+/)
          .map((x) => x.trim())
          .filter(Boolean),
        time_zone: timeZone,
      });
      setSaved(true);
      await client.invalidateQueries({ queryKey: ['jurisdictions'] });
      await client.invalidateQueries({ queryKey: ['jurisdiction', c] });
      onSaved(c);
    } catch (err) {
      setError(err);
    }
  };
  const contactFields = (prefix: string, value: Contact, set: (c: Contact) => void) => (
    <fieldset>
      <legend>{t(`jur.${prefix}`)}</legend>
      {(['name', 'email', 'phone', 'address'] as const).map((f) => (
        <label key={f}>
          {t(`jur.field.${f}`)}
          <input
            required={f === 'name'}
            type={f === 'email' ? 'email' : 'text'}
            value={value[f] ?? ''}
            onChange={(e) => set({ ...value, [f]: e.target.value })}
          />
        </label>
      ))}
    </fieldset>
  );
  return (
    <form className="card" onSubmit={save} data-testid="jurisdiction-form">
      <div className="two">
        <label>
          {t('jur.code')}
          <input
            required
            maxLength={2}
            readOnly={initial !== null}
            value={code}
            onChange={(e) => setCode(e.target.value)}
          />
        </label>
        <label>
          {t('jur.name')}
          <input required value={name} onChange={(e) => setName(e.target.value)} />
        </label>
      </div>
      {contactFields('representative', rep, setRep)}
      {contactFields('contact', contact, setContact)}
      <div className="two">
        <label>
          {t('jur.languages')}
          <input required value={languages} onChange={(e) => setLanguages(e.target.value)} />
        </label>
        <label>
          {t('jur.timeZone')}
          <input
            required
            value={timeZone}
            placeholder="Asia/Jakarta"
            onChange={(e) => setTimeZone(e.target.value)}
          />
        </label>
      </div>
      <p className="muted">{t('jur.rosterKept')}</p>
      <ProblemMessage error={error} />
      {saved ? <p role="status">{t('jur.saved')}</p> : null}
      <button type="submit" className="primary">
        {t('jur.save')}
      </button>
    </form>
  );
}
