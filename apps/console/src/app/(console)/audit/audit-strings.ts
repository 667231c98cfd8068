import type { Dictionary } from '../../../i18n/en';
import type { AuditStrings } from './audit-browser';

/** The catalog parts the audit browser shows, wherever it is shown (the audit page, a case). */
export function auditStrings(dict: Dictionary): AuditStrings {
  return {
    audit: dict.audit,
    table: dict.table,
    auditActions: dict.auditActions,
    denialCodes: dict.denialCodes,
    rules: dict.rules,
    roles: dict.roles,
    policy: dict.policy,
    personPicker: dict.personPicker,
  };
}
