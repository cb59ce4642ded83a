import { useTranslation } from 'react-i18next';
import { saveFile } from '../api.ts';
import { Link } from '../router.tsx';
import { DateTime } from '../ui/time.tsx';

export interface Receipt {
  notice_id: string;
  received_at: string;
  deadline: string;
  target_deadline: string;
  digest: string;
  receipt: string;
  targets: { index: number; key: string; status: string }[];
  evidence?: { id: string; filename: string }[];
}

/**
 * The signed receipt as the notifier keeps it. The downloaded file is the API's own answer
 * (JSON holding the compact JWS), which `tapis receipt verify FILE` checks offline.
 */
export function ReceiptCard({ receipt, follow = false }: { receipt: Receipt; follow?: boolean }) {
  const { t } = useTranslation();
  const download = () =>
    saveFile(
      `tapis-receipt-${receipt.notice_id}.json`,
      new Blob([`${JSON.stringify(receipt, null, 2)}\n`], { type: 'application/json' }),
    );
  return (
    <section className="card" aria-labelledby="receipt-title" data-testid="receipt">
      <h1 id="receipt-title">{t('receipt.title')}</h1>
      <dl className="facts">
        <dt>{t('receipt.notice')}</dt>
        <dd>
          <code>{receipt.notice_id}</code>
        </dd>
        <dt>{t('receipt.received')}</dt>
        <dd>
          <DateTime value={receipt.received_at} />
        </dd>
        <dt>{t('receipt.deadline')}</dt>
        <dd>
          <DateTime value={receipt.deadline} />
        </dd>
        <dt>{t('receipt.target')}</dt>
        <dd>
          <DateTime value={receipt.target_deadline} />
        </dd>
        <dt>{t('receipt.digest')}</dt>
        <dd>
          <code>{receipt.digest}</code>
        </dd>
        <dt>{t('receipt.targets')}</dt>
        <dd>
          <ul>
            {receipt.targets.map((x) => (
              <li key={x.index}>
                <code>{x.key}</code> — {t(`targetStatus.${x.status}`)}
              </li>
            ))}
          </ul>
        </dd>
        {receipt.evidence?.length ? (
          <>
            <dt>{t('receipt.evidence')}</dt>
            <dd>{receipt.evidence.map((e) => e.filename).join(', ')}</dd>
          </>
        ) : null}
      </dl>
      <details>
        <summary>{t('receipt.jws')}</summary>
        <pre className="jws">{receipt.receipt}</pre>
      </details>
      <p className="actions">
        <button type="button" className="primary" onClick={download}>
          {t('receipt.download')}
        </button>
        {follow ? <Link to={`/portal/notices/${receipt.notice_id}`}>{t('receipt.follow')}</Link> : null}
      </p>
      <p className="muted">{t('receipt.verifyHint')}</p>
    </section>
  );
}
