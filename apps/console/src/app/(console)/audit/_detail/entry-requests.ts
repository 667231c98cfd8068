import type { AuditEntryDetail, AuditEntryView, CheckpointView } from '@retract/contracts';
import { callApi, type ClientResult } from '../../../../lib/client-api';
import type { VerificationInput } from '../../../../lib/verify-entry';

export type PublicKeys = VerificationInput['keys'];
export type InclusionProof = VerificationInput['proof'] & { checkpoint: CheckpointView | null };

/**
 * Opening an entry appends AUDIT_CONTENT_VIEWED on the server. React's development mode runs
 * effects twice; sharing the in-flight request per entry keeps that to one recorded view.
 */
const inflight = new Map<number, Promise<ClientResult<AuditEntryDetail>>>();
export function loadEntry(seq: number): Promise<ClientResult<AuditEntryDetail>> {
  let request = inflight.get(seq);
  if (!request) {
    request = callApi<AuditEntryDetail>(`/api/v1/audit/${seq}`);
    inflight.set(seq, request);
    void request.finally(() => setTimeout(() => inflight.delete(seq), 0));
  }
  return request;
}

/**
 * Whether an entry carries recalled content, read from the list (which never opens content nor
 * records a view): the one entry below `seq + 1` of the unfiltered trail is the entry itself.
 * Unknown (null) when the list does not answer.
 */
export async function entryHasContent(seq: number): Promise<boolean | null> {
  const res = await callApi<{ items: AuditEntryView[] }>(`/api/v1/audit?cursor=${seq + 1}&limit=1`);
  if (!res.ok) return null;
  const item = res.data.items[0];
  return item?.seq === seq ? item.hasContent : null;
}

let keysRequest: Promise<ClientResult<PublicKeys>> | null = null;
export function loadKeys(refresh = false): Promise<ClientResult<PublicKeys>> {
  if (!keysRequest || refresh) keysRequest = callApi<PublicKeys>('/api/v1/audit/public-keys');
  return keysRequest;
}

export function loadInclusionProof(seq: number) {
  return callApi<InclusionProof>(`/api/v1/audit/proofs/inclusion?seq=${seq}`);
}

export function signCheckpoint() {
  return callApi<CheckpointView>('/api/v1/audit/checkpoints', { method: 'POST' });
}
