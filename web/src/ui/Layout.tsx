import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { type Language, languages, setLanguage } from '../i18n/index.ts';
import { Link, navigate, usePath } from '../router.tsx';
import { can, isFlagger, type Me, useSessionActions } from '../session.tsx';

export function Layout({ me, children }: { me: Me | null; children: ReactNode }) {
  const { t } = useTranslation();
  const path = usePath();
  const { logout } = useSessionActions();
  const nav: { to: string; label: string }[] = [];
  if (me && isFlagger(me)) {
    nav.push({ to: '/portal', label: t('nav.myNotices') }, { to: '/portal/new', label: t('nav.newNotice') });
    if (can(me, 'notices:submit')) nav.push({ to: '/portal/bulk', label: t('nav.bulk') });
    if (can(me, 'webhooks:manage')) nav.push({ to: '/portal/webhooks', label: t('nav.webhooks') });
    if (can(me, 'hearings:answer')) nav.push({ to: '/portal/hearings', label: t('nav.hearings') });
    if (can(me, 'data_requests:submit'))
      nav.push({ to: '/portal/data-requests', label: t('nav.dataRequests') });
    if (can(me, 'keys:write')) nav.push({ to: '/portal/keys', label: t('nav.keys') });
    if (can(me, 'users:write')) nav.push({ to: '/portal/users', label: t('nav.users') });
  }
  if (me && can(me, 'cases:work')) nav.push({ to: '/desk', label: t('nav.queue') });
  if (me && can(me, 'appeals:decide')) nav.push({ to: '/desk/appeals', label: t('nav.appeals') });
  if (me && !isFlagger(me) && can(me, 'cases:work'))
    nav.push({ to: '/desk/objections', label: t('nav.objections') });
  if (me && can(me, 'reports:read')) nav.push({ to: '/admin/workload', label: t('nav.workload') });
  if (me && !isFlagger(me) && can(me, 'data_requests:decide'))
    nav.push({ to: '/admin/data-requests', label: t('nav.dataRequests') });
  if (me && can(me, 'cases:lead')) {
    nav.push(
      { to: '/admin/flaggers', label: t('nav.flaggers') },
      { to: '/admin/actions', label: t('nav.actions') },
    );
  }
  if (me && !isFlagger(me)) nav.push({ to: '/admin/policy', label: t('nav.policy') });
  if (me && !isFlagger(me)) nav.push({ to: '/admin/jurisdictions', label: t('nav.jurisdictions') });
  if (me && !isFlagger(me) && can(me, 'banks:read')) nav.push({ to: '/admin/banks', label: t('nav.banks') });
  if (me && can(me, 'reports:read')) nav.push({ to: '/admin/transparency', label: t('nav.transparency') });
  if (me && !isFlagger(me) && can(me, 'users:read')) nav.push({ to: '/admin/users', label: t('nav.users') });
  if (me && !isFlagger(me) && can(me, 'keys:read')) nav.push({ to: '/admin/keys', label: t('nav.keys') });
  if (me && can(me, 'audit:read')) nav.push({ to: '/admin/audit', label: t('nav.audit') });

  return (
    <>
      <header className="top">
        <a className="brand" href="/">
          tapis
        </a>
        {nav.length ? (
          <nav aria-label={t('nav.label')}>
            {nav.map((n) => (
              <Link key={n.to} to={n.to} aria-current={path === n.to ? 'page' : undefined}>
                {n.label}
              </Link>
            ))}
          </nav>
        ) : null}
        <div className="who">
          <LanguageSwitch />
          {me ? (
            <>
              <span data-testid="whoami" title={me.roles.join(', ')}>
                {me.display_name} · {me.org.slug}
              </span>
              <button
                type="button"
                onClick={async () => {
                  await logout();
                  navigate('/login');
                }}
              >
                {t('nav.logout')}
              </button>
            </>
          ) : null}
        </div>
      </header>
      <main id="main">{children}</main>
    </>
  );
}

function LanguageSwitch() {
  const { t, i18n } = useTranslation();
  return (
    <label className="lang">
      <span className="sr-only">{t('nav.language')}</span>
      <select
        aria-label={t('nav.language')}
        value={i18n.language}
        onChange={(e) => setLanguage(e.target.value as Language)}
      >
        {languages.map((l) => (
          <option key={l} value={l}>
            {t(`lang.${l}`)}
          </option>
        ))}
      </select>
    </label>
  );
}
