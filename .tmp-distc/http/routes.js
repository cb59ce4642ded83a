import { appealRoutes } from "../appeals/routes.js";
import { auditRoutes } from "../audit/routes.js";
import { caseRoutes } from "../cases/routes.js";
import { decisionRoutes } from "../decisions/routes.js";
import { flaggerRoutes } from "../flaggers/routes.js";
import { identityRoutes } from "../identity/routes.js";
import { bulkRoutes } from "../notices/bulk-routes.js";
import { feedRoutes } from "../notices/feed-routes.js";
import { noticeRoutes } from "../notices/routes.js";
import { threadRoutes } from "../notices/thread-routes.js";
import { policyRoutes } from "../policy/routes.js";
import { preservationRoutes } from "../preservation/routes.js";
import { matchRoutes } from "../screening/banks/match-routes.js";
import { bankRoutes } from "../screening/banks/routes.js";
import { welfareRoutes } from "../welfare/routes.js";
import { healthRoutes } from "./health.js";
/** Every capability's routes. A new capability adds its module here. */
export const routeModules = [
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
];
