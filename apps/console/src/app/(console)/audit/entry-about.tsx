import type { AuditEntryView } from '@retract/contracts';
import { format } from '../../../i18n/format';
import { ruleLabel, shortId } from '../../../lib/labels';
import { diffPathLabel, diffValue } from '../policy/policy-model';
import type { AuditStrings } from './audit-browser';

type Details = Record<string, unknown>;

const text = (value: unknown): string => (typeof value === 'string' ? value : typeof value === 'number' ? String(value) : '');
const list = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);
/** How many items a list had: a page carries the first few of a long one (`abridged` has its length). */
const countOf = (item: AuditEntryView, key: string) => item.abridged[key] ?? list(item.details[key]).length;

/**
 * The About cell: one line that says what an entry is about, for every kind of entry, from the
 * columns and clear details a page carries (docs/audit-log.md, "Browsing"). The entry's own panel
 * has everything; this is what lets a reader scan the table.
 */
export function EntryAbout({ item, locale, t }: { item: AuditEntryView; locale: string; t: AuditStrings }) {
  const reason = item.reason ? (
    <span className="cell-reason">“{item.reason}”</span>
  ) : item.personalData === 'ERASED' ? (
    <span className="muted">{t.audit.reasonErased}</span>
  ) : null;
  const summary = summarise(item, t, locale);
  return (
    <>
      {item.denialCode ? (
        <span className="badge badge--danger">
          {format(t.audit.denied, { code: t.denialCodes[item.denialCode as keyof typeof t.denialCodes] ?? item.denialCode })}
        </span>
      ) : null}{' '}
      {summary ? <span className="cell-summary">{summary}</span> : null}
      {item.decidedBy ? <span className="muted"> {ruleLabel(item.decidedBy, t.rules)}</span> : null}
      {reason ? <> {reason}</> : null}
    </>
  );
}

/** What the About cell says of an entry (without its refusal badge, rule and reason). */
export function summarise(item: AuditEntryView, t: AuditStrings, locale: string): string {
  const a = t.audit.about;
  const d: Details = item.details;
  const person = personName(item, t);
  const roles = (value: unknown) =>
    list(value)
      .map((role) => t.roles[role as keyof typeof t.roles] ?? text(role))
      .join(', ') || t.table.none;
  switch (item.action) {
    case 'MESSAGE_RECALLED':
      return format(a.recalled, { name: person });
    case 'RECALL_DENIED':
      return format(a.recallDenied, { name: person });
    case 'MESSAGE_REEDITED':
      return format(a.reedited, { name: person, seq: text(d.recallAuditSeq) || '?' });
    case 'POLICY_CHANGED':
      return policyChange(item, t, locale);
    case 'ROLE_CHANGED':
      return format(a.roleChanged, { name: person, from: roles(d.from), to: roles(d.to) });
    case 'USER_CREATED':
      return format(a.userCreated, { name: person, roles: roles(d.roles) });
    case 'USER_DEACTIVATED':
      return format(a.userDeactivated, { name: person });
    case 'USER_REACTIVATED':
      return format(a.userReactivated, { name: person });
    case 'PASSWORD_CHANGED':
      return format(d.by === 'SELF' ? a.passwordChanged : a.passwordReset, { name: person });
    case 'LEGAL_HOLD_PLACED':
    case 'LEGAL_HOLD_RELEASED':
      return format(item.action === 'LEGAL_HOLD_PLACED' ? a.holdPlaced : a.holdReleased, { target: holdTarget(item, t) });
    case 'CONTENT_ERASED':
      return format(a.contentErased, { name: person, count: text(d.keysDestroyed) || countOf(item, 'dataKeyIds') });
    case 'ERASURE_REFUSED':
      return format(a.erasureRefused, { name: person, count: countOf(item, 'holdIds') });
    case 'RETENTION_SHREDDED':
      return format(a.retentionShredded, { days: text(d.retentionDays) || '?', count: countOf(item, 'dataKeyIds') });
    case 'EXPORT_CREATED':
      if (d.format === 'case') return format(a.exportCase, { target: caseTarget(item, t), count: text(d.entries) || '?' });
      return format(a.exportCreated, {
        format: d.format === 'csv' ? 'CSV' : 'JSON Lines',
        from: text(d.fromSeq) || '?',
        to: text(d.toSeq) || '?',
      });
    case 'AUDIT_CONTENT_VIEWED':
      return format(a.contentViewed, { seq: text(d.viewedSeq) || '?' });
    case 'WEBHOOK_CHANGED':
      return format(d.change === 'DELETED' ? a.webhookRemoved : a.webhookAdded, { url: text(d.url), count: countOf(item, 'eventTypes') });
    case 'ROLE_GRANT_REQUESTED':
    case 'ROLE_GRANT_APPROVED':
    case 'ROLE_GRANT_REFUSED':
    case 'ROLE_GRANT_REVOKED':
      return format(a.roleGrant, { role: roles([d.role]), name: person });
    case 'RETENTION_SHORTENING_PROPOSED':
      return format(a.retentionProposed, { from: text(d.fromDays), to: text(d.toDays), date: text(d.effectiveAt).slice(0, 10) });
    case 'RETENTION_SHORTENING_CANCELLED':
      return format(a.retentionCancelled, { from: text(d.fromDays), to: text(d.toDays) });
    case 'SERVICE_ACCOUNT_CREATED':
      return format(a.serviceAccountCreated, { name: serviceAccountName(item), scopes: list(d.scopes).map(text).join(', ') });
    case 'SERVICE_ACCOUNT_REVOKED':
      return format(a.serviceAccountRevoked, { name: serviceAccountName(item) });
    case 'DIRECTORY_PERSON_CHANGED':
      if (d.change === 'DEPROVISIONED') return format(a.directoryDeprovisioned, { source: text(d.source) || '?', name: person });
      return d.change === 'CREATED'
        ? format(a.directoryAdded, { source: text(d.source) || '?', name: person })
        : format(a.directoryChanged, { source: text(d.source) || '?', name: person, fields: list(d.fields).map(text).join(', ') || t.table.none });
    case 'SSO_CONFIGURED':
      return ssoChange(d, t);
    case 'SSO_USER_LINKED':
      return d.via === 'SCIM' ? format(a.scimLinked, { name: person }) : format(a.ssoLinked, { name: person, issuer: text(d.issuer) });
    case 'SCIM_GROUP_CHANGED':
      return format(a.scimGroup, { group: text(d.group) || text(d.displayName) || '?', change: text(d.change) });
  }
}

function personName(item: AuditEntryView, t: AuditStrings): string {
  if (item.subject) return item.subject.displayName;
  return item.subjectUserId ? t.table.erasedPerson : t.table.none;
}

function serviceAccountName(item: AuditEntryView): string {
  return item.serviceAccount?.name ?? shortId(text(item.details.serviceAccountId));
}

function holdTarget(item: AuditEntryView, t: AuditStrings): string {
  const a = t.audit.about;
  switch (item.details.scope) {
    case 'USER':
      return format(a.holdPerson, { name: personName(item, t) });
    case 'CONVERSATION':
      return item.conversationId ? format(a.holdConversation, { id: shortId(item.conversationId) }) : a.holdAConversation;
    case 'TENANT':
      return a.holdTenant;
    default:
      return a.holdWithheld;
  }
}

/** Whom or what a case bundle was exported for: the case's person, else its conversation. */
function caseTarget(item: AuditEntryView, t: AuditStrings): string {
  if (item.subjectUserId || !item.conversationId) return personName(item, t);
  return format(t.audit.about.holdConversation, { id: shortId(item.conversationId) });
}

/** "Version 3 → 4: Recall window 2 minutes → 10 minutes; …", worded as the policy page's version history words it. */
function policyChange(item: AuditEntryView, t: AuditStrings, locale: string): string {
  const a = t.audit.about;
  const diff = list(item.details.diff) as { path?: unknown; from?: unknown; to?: unknown }[];
  const shown = diff.slice(0, 3).map(({ path, from, to }) => {
    const field = text(path);
    return `${diffPathLabel(field, t.policy)} ${diffValue(field, from, locale, t.policy)} → ${diffValue(field, to, locale, t.policy)}`;
  });
  const more = countOf(item, 'diff') - shown.length;
  const changes = shown.length === 0 ? a.policyNoChanges : more > 0 ? format(a.andMore, { list: shown.join('; '), count: more }) : shown.join('; ');
  return format(a.policyChanged, { from: text(item.details.fromVersion) || '?', to: text(item.details.toVersion) || item.policyVersion || '?', changes });
}

function ssoChange(d: Details, t: AuditStrings): string {
  const a = t.audit.about;
  const parts = [format(d.enabled === false ? a.ssoOff : a.ssoOn, { issuer: text(d.issuer) }), d.passwordLogin === false ? a.ssoPasswordOff : a.ssoPasswordOn];
  if (d.clientSecretChanged === true) parts.push(a.ssoSecretChanged);
  const groups = list(d.groupRoles).length;
  if (groups > 0) parts.push(format(a.ssoGroups, { count: groups }));
  return parts.join('; ');
}
