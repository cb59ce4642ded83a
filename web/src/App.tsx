import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { AuditLog } from './admin/AuditLog.tsx';
import { Banks } from './admin/Banks.tsx';
import { FailedActions } from './admin/FailedActions.tsx';
import { Flaggers } from './admin/Flaggers.tsx';
import { Jurisdictions } from './admin/Jurisdictions.tsx';
import { PolicyEditor } from './admin/PolicyEditor.tsx';
import { Workload } from './admin/Workload.tsx';
import { AppealDesk } from './desk/AppealDesk.tsx';
import { CaseView } from './desk/CaseView.tsx';
import { ObjectionDesk } from './desk/ObjectionDesk.tsx';
import { Queue } from './desk/Queue.tsx';
import { OrgAdmin } from './org/OrgAdmin.tsx';
import { BulkUpload } from './portal/BulkUpload.tsx';
import { DataRequests } from './portal/DataRequests.tsx';
import { MyHearings } from './portal/MyHearings.tsx';
import { MyNotices } from './portal/MyNotices.tsx';
import { NoticeForm } from './portal/NoticeForm.tsx';
import { NoticeView } from './portal/NoticeView.tsx';
import { Webhooks } from './portal/Webhooks.tsx';
import { PublicNotice } from './public/PublicNotice.tsx';
import { Statement } from './public/Statement.tsx';
import { TransparencyReport } from './reports/TransparencyReport.tsx';
import { match, navigate, usePath } from './router.tsx';
import { can, isFlagger, type Me, useMe } from './session.tsx';
import { Layout } from './ui/Layout.tsx';
import { Login } from './ui/Login.tsx';

export function App() {
  const path = usePath();
  const me = useMe();
  const { t } = useTranslation();

  // Public pages need no login: the statement's token is the affected user's credential.
  const statement = match('/statements/:token', path);
  if (statement)
    return (
      <Layout me={null}>
        <Statement token={statement.token!} />
      </Layout>
    );

  if (path === '/report')
    return (
      <Layout me={me.data ?? null}>
        <PublicNotice />
      </Layout>
    );

  if (me.isPending) return <p className="loading">{t('common.loading')}</p>;
  if (!me.data)
    return (
      <Layout me={null}>
        <Login />
      </Layout>
    );
  return <Layout me={me.data}>{screen(path, me.data)}</Layout>;
}

function screen(path: string, me: Me): ReactNode {
  const notice = match('/portal/notices/:id', path);
  const kase = match('/desk/cases/:id', path);
  if (path === '/' || path === '/login') {
    setTimeout(() => navigate(home(me), { replace: true }), 0);
    return null;
  }
  if (path === '/portal') return <MyNotices />;
  if (path === '/portal/new') return <NoticeForm />;
  if (notice) return <NoticeView id={notice.id!} me={me} />;
  if (path === '/portal/bulk') return <BulkUpload />;
  if (path === '/portal/webhooks') return <Webhooks />;
  if (path === '/portal/hearings') return <MyHearings />;
  if (path === '/portal/data-requests' || path === '/admin/data-requests') return <DataRequests me={me} />;
  if (path === '/portal/keys' || path === '/admin/keys') return <OrgAdmin me={me} show="keys" />;
  if (path === '/portal/users' || path === '/admin/users') return <OrgAdmin me={me} show="users" />;
  if (path === '/desk') return <Queue me={me} />;
  if (kase) return <CaseView id={kase.id!} me={me} />;
  if (path === '/desk/appeals') return <AppealDesk />;
  if (path === '/desk/objections') return <ObjectionDesk />;
  if (path === '/admin/policy') return <PolicyEditor me={me} />;
  if (path === '/admin/flaggers') return <Flaggers me={me} />;
  if (path === '/admin/jurisdictions') return <Jurisdictions me={me} />;
  if (path === '/admin/banks') return <Banks me={me} />;
  if (path === '/admin/transparency') return <TransparencyReport />;
  if (path === '/admin/workload') return <Workload />;
  if (path === '/admin/audit') return <AuditLog />;
  if (path === '/admin/actions') return <FailedActions />;
  return <NotFound />;
}

export function home(me: Me): string {
  if (isFlagger(me)) return '/portal';
  if (can(me, 'cases:work')) return '/desk';
  if (can(me, 'audit:read')) return '/admin/audit';
  return '/admin/workload';
}

function NotFound() {
  const { t } = useTranslation();
  return <h1>{t('common.notFound')}</h1>;
}
