import { join } from 'node:path';
import type { ApiClient } from './api-client';
import { auditEntries, conversationMessages, exportLog, verifyOffline, verifyOnline } from './audit-trail';
import type { Organisation } from './organisations';

/** A recall a client asked for, and the audit seq it was told when it was acknowledged (200). */
export interface RecallClaim {
  messageId: string;
  acknowledgedSeq?: number;
}

export interface RecallTrail {
  /** Acknowledged recalls not applied, or not audited exactly once at the seq the client was told. */
  lost: number;
  /** Recalls whose client got no 200 but which were applied (and audited) all the same. */
  appliedUnacknowledged: number;
  entries: number;
  problems: string[];
}

/**
 * What an organisation's auditor can check after a fault, over HTTP: its seqs are gap-free, every
 * acknowledged recall is applied and audited exactly once at the seq its client was told, nothing is
 * half-applied (a recalled message without its MESSAGE_RECALLED entry, or the reverse), and the log
 * verifies on the server and with the offline verifier on an export (written into `exportDir`).
 */
export async function checkRecallTrail(api: ApiClient, organisation: Organisation, claims: RecallClaim[], exportDir: string): Promise<RecallTrail> {
  const token = organisation.compliance.token;
  const problems: string[] = [];
  const entries = await auditEntries(api, token);
  const seqs = entries.map((e) => e.seq).sort((a, b) => a - b);
  const gaps = seqs.filter((seq, i) => seq !== i);
  if (gaps.length) problems.push(`${organisation.slug}: seqs are not 0..${seqs.length - 1} (first out of place: ${gaps[0]})`);

  const recallEntries = new Map<string, number[]>();
  for (const entry of entries.filter((e) => e.action === 'MESSAGE_RECALLED'))
    recallEntries.set(entry.messageId!, [...(recallEntries.get(entry.messageId!) ?? []), entry.seq]);
  const recalled = new Set<string>();
  for (const employee of organisation.employees) {
    for (const message of await conversationMessages(api, employee.token, employee.conversationId)) if (message.state === 'RECALLED') recalled.add(message.id);
  }

  let lost = 0;
  let appliedUnacknowledged = 0;
  for (const claim of claims) {
    const audited = recallEntries.get(claim.messageId) ?? [];
    const applied = recalled.has(claim.messageId);
    if (claim.acknowledgedSeq === undefined) {
      if (applied) appliedUnacknowledged += 1;
    } else if (!applied || audited.length !== 1 || audited[0] !== claim.acknowledgedSeq) {
      lost += 1;
      problems.push(
        `acknowledged recall of ${claim.messageId} (seq ${claim.acknowledgedSeq}): recalled=${applied}, entries at seq ${audited.join(',') || 'none'}`,
      );
    }
  }
  for (const [messageId, seqsOfMessage] of recallEntries) {
    if (seqsOfMessage.length !== 1) problems.push(`message ${messageId} has ${seqsOfMessage.length} MESSAGE_RECALLED entries (seq ${seqsOfMessage.join(',')})`);
    if (!recalled.has(messageId)) problems.push(`MESSAGE_RECALLED at seq ${seqsOfMessage.join(',')} for ${messageId}, which is not recalled`);
  }
  for (const messageId of recalled) if (!recallEntries.has(messageId)) problems.push(`message ${messageId} is recalled without a MESSAGE_RECALLED entry`);

  const online = await verifyOnline(api, token);
  if (!online.ok || online.problems.length) problems.push(`${organisation.slug}: POST /audit/verify: ${JSON.stringify(online.problems)}`);
  const file = join(exportDir, `${organisation.slug}.jsonl`);
  await exportLog(api, token, file);
  const offline = await verifyOffline(file);
  if (offline.status !== 0 || !offline.verdict.startsWith('OK: ')) problems.push(`${organisation.slug}: offline verifier: ${offline.verdict}`);
  return { lost, appliedUnacknowledged, entries: entries.length, problems };
}
