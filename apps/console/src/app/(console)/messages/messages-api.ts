import type { MessageView } from '@retract/contracts';
import { callApi } from '../../../lib/client-api';
import { retryTransient } from '../../../lib/retry-transient';

/** A recipient device's report (idempotent on the server); a failure is not the reader's problem. */
export function sendReceipt(messageId: string, kind: 'DELIVERED' | 'RECALL_APPLIED'): void {
  void callApi(`/api/v1/messages/${messageId}/receipts`, { method: 'POST', body: { kind } }).catch(() => undefined);
}

/** One message as the caller may see it; a transient failure is asked again (the stream has moved past its event). */
export async function readMessage(id: string): Promise<MessageView | null> {
  const res = await retryTransient(() => callApi<MessageView>(`/api/v1/messages/${id}`));
  return res.ok ? res.data : null;
}
