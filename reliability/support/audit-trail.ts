import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../../tools/runtime/src/stack';
import type { ApiClient } from './api-client';

export interface AuditEntryView {
  seq: number;
  action: string;
  messageId: string | null;
}

export interface VerifyResult {
  ok: boolean;
  checked: number;
  treeSize: number;
  firstBadSeq?: number;
  problems: { code: string; message: string; seq?: number }[];
}

/** Every entry of the caller's organisation, newest first (GET /api/v1/audit, page by page). */
export async function auditEntries(api: ApiClient, token: string, filter: Record<string, string> = {}): Promise<AuditEntryView[]> {
  const entries: AuditEntryView[] = [];
  let cursor: number | null = null;
  do {
    const query = new URLSearchParams({ ...filter, limit: '200', ...(cursor === null ? {} : { cursor: String(cursor) }) });
    const page: { items: AuditEntryView[]; nextCursor: number | null } = await api.json('GET', `/api/v1/audit?${query}`, token);
    entries.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor !== null);
  return entries;
}

export const verifyOnline = (api: ApiClient, token: string) => api.json<VerifyResult>('POST', '/api/v1/audit/verify', token, {});

/** GET /api/v1/audit/export?format=jsonl written to `file` (the export itself appends EXPORT_CREATED). */
export async function exportLog(api: ApiClient, token: string, file: string): Promise<string> {
  const answer = await api.call('GET', '/api/v1/audit/export?format=jsonl', token);
  if (answer.status !== 200) throw new Error(`export answered ${answer.status}: ${answer.body.slice(0, 500)}`);
  writeFileSync(file, answer.body);
  return answer.body;
}

export interface OfflineVerdict {
  status: number | null;
  /** The verdict line (`OK: …` or `FAIL at seq N: …`). */
  verdict: string;
  /** Everything it printed on stdout: the verdict, then the details and problems. */
  stdout: string;
}

/** The offline verifier as an auditor runs it (`npm run verify -- <file> …`), in its own process. */
export function verifyOffline(file: string, args: string[] = []): Promise<OfflineVerdict> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-r', '@swc-node/register', join(ROOT, 'tools/verify/src/main.ts'), file, ...args], {
      cwd: ROOT,
      env: { ...process.env, SWC_NODE_PROJECT: join(ROOT, 'tsconfig.base.json'), NODE_OPTIONS: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.once('error', reject);
    child.once('close', (status) => resolve({ status, verdict: stdout.split('\n')[0] || stderr.trim(), stdout }));
  });
}

/** Every message of a conversation as its member sees it (GET …/messages, page by page). */
export async function conversationMessages(api: ApiClient, token: string, conversationId: string): Promise<{ id: string; state: 'ACTIVE' | 'RECALLED' }[]> {
  const messages: { id: string; state: 'ACTIVE' | 'RECALLED' }[] = [];
  let cursor: string | null = null;
  do {
    const query = new URLSearchParams({ limit: '200', ...(cursor === null ? {} : { cursor }) });
    const page: { items: { id: string; state: 'ACTIVE' | 'RECALLED' }[]; nextCursor: string | null } = await api.json(
      'GET',
      `/api/v1/conversations/${conversationId}/messages?${query}`,
      token,
    );
    messages.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor !== null);
  return messages;
}
