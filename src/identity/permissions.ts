/**
 * Who may do what, in one table. A route declares the permission it needs
 * (src/http/access.ts enforces it); a user's roles grant permissions; an API key carries
 * scopes, which are permissions too, limited by its organisation's kind.
 *
 * Which rows of a table a caller sees (a flagger sees only its own organisation's
 * notices) is decided in the use cases, not here.
 */
export const orgKinds = ['platform', 'government', 'law_enforcement', 'court', 'ngo', 'public'] as const;
export type OrgKind = (typeof orgKinds)[number];

export const platformRoles = ['admin', 'lead', 'reviewer', 'auditor'] as const;
export const flaggerRoles = ['flagger_admin', 'flagger'] as const;
export const roles = [...platformRoles, ...flaggerRoles] as const;
export type Role = (typeof roles)[number];

export const permissions = {
  'orgs:read': 'List and read organisations',
  'orgs:write': 'Create organisations and change them',
  'users:read': 'List users (a flagger_admin: of its own organisation)',
  'users:write': 'Create and disable users (a flagger_admin: of its own organisation)',
  'keys:read': 'List API keys (a flagger_admin: of its own organisation)',
  'keys:write': 'Create and revoke API keys (a flagger_admin: of its own organisation)',
  'audit:read': 'Read and verify the audit log',
  'notices:submit': 'Submit notices and evidence',
  'notices:read': 'Read notices (a flagger: its own organisation’s only)',
  'threads:write': 'Write in a notice’s thread',
  'events:read': 'Poll the event feed (a flagger: its own organisation’s only)',
  'webhooks:manage': 'Register webhooks, read their delivery log and redeliver',
  'policy:write': 'Change the SOP policy, the taxonomy and jurisdiction records',
  'cases:read': 'Read cases and their events',
  'cases:work': 'Claim cases, decide, comment',
  'cases:lead': 'Reassign cases, approve four-eyes decisions, manage flagger status',
  'appeals:decide': 'Decide appeals',
  'banks:read': 'List hash banks and their entries',
  'banks:write': 'Create, change and fill hash banks',
  'screening:match': 'Hash files and match them against the banks',
  'content:reveal': 'Reveal preserved media and text',
  'reports:read': 'Read internal reports and reviewer workload',
  'content:submit': 'Send content events (posts created, edited, deleted) to be scanned',
  'statements:export': 'Export statements of reasons in the Transparency Database’s shape',
  'secrets:rotate': 'Rotate the key that signs receipts',
  'hearings:answer': 'Read and answer the hearings of one’s own organisation (DSA Art. 22(7))',
  'data_requests:submit':
    'Ask for data about a subject, as a law-enforcement or government organisation (MR5/2020)',
  'data_requests:decide': 'Approve or refuse law-enforcement data requests and deliver what is disclosed',
} as const;
export type Permission = keyof typeof permissions;
export const allPermissions = Object.keys(permissions) as Permission[];

const reviewer: Permission[] = [
  'orgs:read',
  'notices:read',
  'threads:write',
  'events:read',
  'cases:read',
  'cases:work',
  'appeals:decide',
  'banks:read',
  'screening:match',
  'content:reveal',
];

export const rolePermissions: Record<Role, readonly Permission[]> = {
  admin: allPermissions,
  lead: [...reviewer, 'users:read', 'cases:lead', 'banks:write', 'reports:read', 'data_requests:decide'],
  reviewer,
  auditor: [
    'orgs:read',
    'users:read',
    'audit:read',
    'notices:read',
    'cases:read',
    'events:read',
    'banks:read',
    'reports:read',
    'statements:export',
  ],
  flagger_admin: [
    'notices:submit',
    'notices:read',
    'threads:write',
    'events:read',
    'webhooks:manage',
    'users:read',
    'users:write',
    'keys:read',
    'keys:write',
    'hearings:answer',
    'data_requests:submit',
  ],
  flagger: ['notices:submit', 'notices:read', 'threads:write', 'events:read', 'data_requests:submit'],
};

/**
 * Roles a user of an organisation of this kind may hold. The platform's roles see across
 * organisations (every notifier's notices, users, cases and the audit log), so they exist
 * only in the platform's organisation; a flagger organisation's users hold flagger roles.
 * The database refuses the combination too (migration 0710).
 */
export function rolesForOrgKind(kind: OrgKind): readonly Role[] {
  return kind === 'platform' ? platformRoles : flaggerRoles;
}

/** Scopes an API key of an organisation of this kind may carry; the default for new keys. */
export function keyScopesForOrgKind(kind: OrgKind): readonly Permission[] {
  if (kind === 'platform') {
    return [
      'notices:read',
      'events:read',
      'cases:read',
      'banks:read',
      'banks:write',
      'screening:match',
      'content:submit',
    ];
  }
  return ['notices:submit', 'notices:read', 'threads:write', 'events:read', 'webhooks:manage'];
}

export function permissionsOfRoles(userRoles: readonly Role[]): Set<Permission> {
  return new Set(userRoles.flatMap((role) => rolePermissions[role]));
}

export function isRole(value: string): value is Role {
  return (roles as readonly string[]).includes(value);
}
