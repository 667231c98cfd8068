import type { SqlTx } from '@retract/db';

/** What audit views show of integration mode (docs/integration.md, "In the audit log"): service account names, and the chat system of external messages. */
export interface IntegrationNames {
  serviceAccounts: Map<string, string>;
  /** Retract's id of a chat system's message → the chat system. */
  sources: Map<string, string>;
}

const uuids = (ids: readonly (string | null)[]) => [...new Set(ids.filter((id): id is string => typeof id === 'string' && /^[0-9a-f-]{36}$/i.test(id)))];

/** Both in at most two queries for a page of entries (none when the page names neither). */
export async function integrationNames(
  tx: SqlTx,
  tenantId: string,
  entries: readonly { serviceAccountId: string | null; messageId: string | null }[],
): Promise<IntegrationNames> {
  const accountIds = uuids(entries.map((entry) => entry.serviceAccountId));
  const messageIds = uuids(entries.map((entry) => entry.messageId));
  const accounts = accountIds.length
    ? await tx.$queryRaw<{ id: string; name: string }[]>`
        SELECT id, name FROM service_accounts WHERE tenant_id = ${tenantId}::uuid AND id = ANY (${accountIds}::uuid[])`
    : [];
  const messages = messageIds.length
    ? await tx.$queryRaw<{ id: string; source: string }[]>`
        SELECT id, source FROM external_messages WHERE tenant_id = ${tenantId}::uuid AND id = ANY (${messageIds}::uuid[])`
    : [];
  return { serviceAccounts: new Map(accounts.map((row) => [row.id, row.name])), sources: new Map(messages.map((row) => [row.id, row.source])) };
}
