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
  }
  if (me && can(me, 'cases:work')) nav.push({ to: '/desk', label: t('nav.queue') });
  if (me && can(me, 'appeals:decide')) nav.push({ to: '/desk/appeals', label: t('nav.appeals') });
  if (me && can(me, 'reports:read')) nav.push({ to: '/admin/workload', label: t('nav.workload') });
  if (me && can(me, 'cases:lead')) {
    nav.push(
      { to: '/admin/flaggers', label: t('nav.flaggers') },
      { to: '/admin/actions', label: t('nav.actions') },
    );
  }
  if (me && !isFlagger(me)) nav.push({ to: '/admin/policy', label: t('nav.policy') });
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
