import type { CheckpointView } from '@retract/contracts';

export interface CaseSubject {
  person: { id: string; displayName: string; email: string; erased: boolean } | null;
  conversation: { id: string; title: string | null } | null;
}

export interface CaseSummaryFacts {
  organisation: { name: string; slug: string };
  subject: CaseSubject;
  from?: string;
  to?: string;
  exportedAt: string;
  exportedBy: { displayName: string; email: string };
  exportSeq: number;
  entries: readonly { seq: number; action: string }[];
  checkpoint: CheckpointView;
  trustedKey: string;
}

/**
 * The human-readable part of a case bundle (docs/audit-log.md, "Cases"): what the case is, who
 * exported it when, what it holds by action, and how to verify it offline. English, like the
 * verifier's own output: it travels to auditors and courts, whatever the console's language.
 */
export function caseSummary(facts: CaseSummaryFacts): string {
  const { subject, entries, checkpoint } = facts;
  const { person, conversation } = subject;
  const about =
    [
      person ? (person.erased ? `person ${person.id} (erased: name and email are gone)` : `person ${person.displayName} <${person.email}> (${person.id})`) : '',
      conversation ? `conversation ${conversation.title ? `"${conversation.title}" ` : ''}(${conversation.id})` : '',
    ]
      .filter(Boolean)
      .join(' in ') || 'the whole log';
  const counts = new Map<string, number>();
  for (const entry of entries) counts.set(entry.action, (counts.get(entry.action) ?? 0) + 1);
  const width = Math.max(0, ...[...counts.keys()].map((action) => action.length));
  const seqs = entries.map((entry) => entry.seq);
  return [
    'Retract audit case bundle',
    '',
    `Organisation:  ${facts.organisation.name} (${facts.organisation.slug})`,
    `Case:          ${about}`,
    `Period:        ${facts.from ?? 'the beginning'} to ${facts.to ?? 'the export'} (UTC)`,
    `Exported:      ${facts.exportedAt} by ${facts.exportedBy.displayName} <${facts.exportedBy.email}>, recorded as audit entry seq ${facts.exportSeq} (EXPORT_CREATED)`,
    `Entries:       ${entries.length}${seqs.length ? ` (seq ${seqs[0]} to ${seqs[seqs.length - 1]})` : ''}`,
    ...[...counts.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([action, count]) => `  ${action.padEnd(width)}  ${count}`),
    '',
    `Signed checkpoint: tree size ${checkpoint.treeSize}, root ${checkpoint.rootHash}, signed ${checkpoint.createdAt}`,
    `Signing key:       ${facts.trustedKey}`,
    '',
    'Files',
    '  case.jsonl   every entry with its inclusion proof against the signed checkpoint (format retract-audit-proofs, version 1)',
    '  case.csv     the same entries, one row each, for a spreadsheet (reasons and emails as the log holds them; not verifiable on its own)',
    '  summary.txt  this file',
    '',
    'Verify offline (no database or network needed): in the root folder of a Retract checkout, with the full path of case.jsonl, e.g.',
    `  npm run verify -- ~/Downloads/case.jsonl --trusted-key '${facts.trustedKey}'`,
    'Compare the key with the one the organisation publishes (GET /api/v1/audit/public-keys) or a witness holds.',
    'Recalled content is encrypted in the leaves; it is read in the console, where each opening is itself audited.',
    '',
  ].join('\n');
}
