import { AbilityBuilder, createMongoAbility, type MongoAbility, type RawRuleOf } from '@casl/ability';
import type { Role } from '@retract/contracts';

/**
 * What a caller can do, shared by the API guard and the console navigation.
 * Every rule that touches tenant data carries `tenantId` in its conditions, so an
 * ability built for one tenant never matches another tenant's record.
 */
export const ACTIONS = [
  'manage',
  'read',
  'create',
  'update',
  'delete',
  'recall',
  'forceRecall',
  'simulate',
  'readContent',
  'verify',
  'export',
  'place',
  'release',
] as const;
export type Action = (typeof ACTIONS)[number];

export const SUBJECTS = [
  'all',
  'Me',
  'Policy',
  'User',
  'Person',
  'Conversation',
  'Message',
  'AuditEntry',
  'Checkpoint',
  'LegalHold',
  'RoleGrant',
  'ErasureRequest',
  'Webhook',
  'Insights',
  'AuditRetention',
  'ServiceAccount',
  'RecallDecision',
  'ExternalRecall',
  'DirectoryPerson',
  'SsoSettings',
  'ScimDirectory',
] as const;
export type SubjectName = (typeof SUBJECTS)[number];

/** A record checked against conditions: its subject name plus the fields rules look at. */
export type SubjectRecord = { __caslSubjectType__?: SubjectName; tenantId: string } & Record<string, unknown>;

export type AppAbility = MongoAbility<[Action, SubjectName | SubjectRecord]>;
export type AppRule = RawRuleOf<AppAbility>;

export interface Principal {
  userId: string;
  tenantId: string;
  roles: readonly Role[];
}

export function rulesFor(principal: Principal): AppRule[] {
  const { can, cannot, rules } = new AbilityBuilder<AppAbility>(createMongoAbility);
  const tenant = { tenantId: principal.tenantId };

  can('read', 'Me', tenant);
  can('read', 'Policy', tenant);
  // Anyone may recall their own messages (only employees send any); forcing is a separate ability.
  can('recall', 'Message', { ...tenant, senderId: principal.userId });

  if (principal.roles.includes('EMPLOYEE')) {
    can('read', 'Conversation', { ...tenant, memberIds: { $in: [principal.userId] } });
    can('create', 'Conversation', tenant);
    can('create', 'Message', tenant);
    can('read', 'Message', { ...tenant, memberIds: { $in: [principal.userId] } });
    can('update', 'Message', { ...tenant, senderId: principal.userId });
    can('delete', 'Message', { ...tenant, memberIds: { $in: [principal.userId] } });
  }

  if (principal.roles.includes('ADMIN')) {
    can('update', 'Policy', tenant);
    can('simulate', 'Policy', tenant);
    can(['read', 'create', 'update'], 'User', tenant);
    can('read', 'Person', tenant);
    // An administrator sees the COMPLIANCE grants they asked for waiting; only compliance decides them.
    can('read', 'RoleGrant', tenant);
    can(['read', 'create', 'delete'], 'Webhook', tenant);
    can(['read', 'create', 'delete'], 'ServiceAccount', tenant);
    can(['read', 'update'], 'SsoSettings', tenant);
    can('read', 'Insights', tenant);
    can('forceRecall', 'Message', tenant);
    can('read', 'AuditEntry', tenant); // metadata only; content needs readContent
  }

  if (principal.roles.includes('COMPLIANCE')) {
    can(['read', 'readContent', 'verify', 'export'], 'AuditEntry', tenant);
    // The people directory: whom a hold, an erasure or a case is about, without managing users.
    can('read', 'Person', tenant);
    can(['read', 'create'], 'Checkpoint', tenant);
    can(['read', 'place', 'release'], 'LegalHold', tenant);
    can(['read', 'update'], 'RoleGrant', tenant);
    can('create', 'ErasureRequest', tenant);
    // Retention decides when evidence is shredded: compliance owns it, not administrators.
    can('update', 'AuditRetention', tenant);
    can('read', 'Insights', tenant);
    can('forceRecall', 'Message', tenant);
  }

  // Separation of duties: reading recalled content needs COMPLIANCE, whatever else is held.
  if (!principal.roles.includes('COMPLIANCE')) cannot('readContent', 'AuditEntry');

  return rules;
}

export function abilityFor(principal: Principal): AppAbility {
  return createMongoAbility<AppAbility>(rulesFor(principal));
}

/** A chat system calling through a service account (docs/integration.md): its organisation and scopes, no user. */
export interface ServicePrincipal {
  serviceAccountId: string;
  tenantId: string;
  scopes: readonly string[];
}

/** What each scope allows; a service account can do nothing else (not even read the policy or the audit log). */
const SCOPE_RULES: Record<string, readonly [Action, SubjectName]> = {
  'recall:decide': ['create', 'RecallDecision'],
  'recall:record': ['create', 'ExternalRecall'],
  'directory:write': ['update', 'DirectoryPerson'],
  scim: ['manage', 'ScimDirectory'],
};

/** Whether only a service account's scope reaches the subject (a person's roles never do): a person's token there is the wrong credential. */
export const isServiceAccountSubject = (subject: SubjectName): boolean => Object.values(SCOPE_RULES).some(([, name]) => name === subject);

/** The service-account scope that reaches the subject, if only one does. */
export const scopeForSubject = (subject: SubjectName): string | undefined => Object.entries(SCOPE_RULES).find(([, [, name]]) => name === subject)?.[0];

export function serviceRulesFor(principal: ServicePrincipal): AppRule[] {
  const { can, rules } = new AbilityBuilder<AppAbility>(createMongoAbility);
  for (const scope of principal.scopes) {
    const rule = SCOPE_RULES[scope];
    if (rule) can(rule[0], rule[1], { tenantId: principal.tenantId });
  }
  return rules;
}

export function serviceAbilityFor(principal: ServicePrincipal): AppAbility {
  return createMongoAbility<AppAbility>(serviceRulesFor(principal));
}

/** Tags a plain record with its subject name so conditions are matched against it. */
export function asSubject<T extends { tenantId: string }>(name: SubjectName, record: T): SubjectRecord {
  return { ...record, __caslSubjectType__: name };
}
