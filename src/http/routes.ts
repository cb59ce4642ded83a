import { appealRoutes } from '../appeals/routes.ts';
import { auditRoutes } from '../audit/routes.ts';
import { priorCaseRoutes } from '../cases/prior-routes.ts';
import { caseRoutes } from '../cases/routes.ts';
import { dataRequestRoutes } from '../data-requests/routes.ts';
import { decisionRoutes } from '../decisions/routes.ts';
import { demoPlatformRoutes } from '../demo-platform/routes.ts';
import { disputeRoutes } from '../disputes/routes.ts';
import { enforcementRoutes } from '../enforcement/routes.ts';
import { authorityReportRoutes } from '../flaggers/authority-report-routes.ts';
import { flaggerRoutes } from '../flaggers/routes.ts';
import { identityRoutes } from '../identity/routes.ts';
import { bulkRoutes } from '../notices/bulk-routes.ts';
import { feedRoutes } from '../notices/feed-routes.ts';
import { publicNotifierRoutes } from '../notices/public-notifier-routes.ts';
import { publicNoticeRoutes } from '../notices/public-routes.ts';
import { noticeRoutes } from '../notices/routes.ts';
import { targetRoutes } from '../notices/target-routes.ts';
import { threadRoutes } from '../notices/thread-routes.ts';
import { objectionRoutes } from '../objections/routes.ts';
import { escalationRoutes } from '../orders/escalation-routes.ts';
import { issuerRegistryRoutes } from '../orders/registry-routes.ts';
import { policyRoutes } from '../policy/routes.ts';
import { preservationRoutes } from '../preservation/routes.ts';
import { incidentRoutes } from '../scanning/incidents/routes.ts';
import { scanningRoutes } from '../scanning/routes.ts';
import { matchRoutes } from '../screening/banks/match-routes.ts';
import { bankRoutes } from '../screening/banks/routes.ts';
import { secretRoutes } from '../secrets/routes.ts';
import { contentRoutes } from '../stream/routes.ts';
import { telegramIntakeRoutes } from '../telegram-intake/routes.ts';
import { transparencyRoutes } from '../transparency/routes.ts';
import { welfareRoutes } from '../welfare/routes.ts';
import { consoleRoutes } from './console.ts';
import { healthRoutes } from './health.ts';
import type { RouteModule } from './route-module.ts';

/** Every capability's routes. A new capability adds its module here. */
export const routeModules: RouteModule[] = [
  healthRoutes,
  identityRoutes,
  auditRoutes,
  noticeRoutes,
  bulkRoutes,
  threadRoutes,
  feedRoutes,
  policyRoutes,
  caseRoutes,
  decisionRoutes,
  appealRoutes,
  flaggerRoutes,
  preservationRoutes,
  welfareRoutes,
  bankRoutes,
  matchRoutes,
  demoPlatformRoutes,
  targetRoutes,
  enforcementRoutes,
  publicNoticeRoutes,
  telegramIntakeRoutes,
  contentRoutes,
  scanningRoutes,
  incidentRoutes,
  transparencyRoutes,
  priorCaseRoutes,
  secretRoutes,
  authorityReportRoutes,
  publicNotifierRoutes,
  disputeRoutes,
  objectionRoutes,
  issuerRegistryRoutes,
  escalationRoutes,
  dataRequestRoutes,
  // Last: its catch-all route serves the console for every path no other module has.
  consoleRoutes,
];
