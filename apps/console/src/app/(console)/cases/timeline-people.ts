import type { AuditEntryView } from '@retract/contracts';
import type { Dictionary } from '../../../i18n/en';
import { format } from '../../../i18n/format';

type PersonView = AuditEntryView['actor'];

/**
 * "by Bob Brown · about Alice Anders": who acted and whom an entry is about, each by the name the
 * entry's own person views carry (docs/audit-log.md, "Cases"), so a person reads the same in every
 * case, whoever the case is about. A person without a view has been erased.
 */
export function timelinePeople(item: AuditEntryView, c: Dictionary['cases']): string {
  const name = (view: PersonView) => view?.displayName ?? c.erasedPerson;
  const by = format(c.by, { name: item.actorId ? name(item.actor) : c.system });
  if (!item.subjectUserId || item.subjectUserId === item.actorId) return by;
  return `${by} · ${format(c.about, { name: name(item.subject) })}`;
}
