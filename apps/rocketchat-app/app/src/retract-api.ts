import type { IHttp, IHttpResponse } from '@rocket.chat/apps-engine/definition/accessors';
import type { RetractSettings } from './settings';

/*
 * The few Retract operations the app calls, over Rocket.Chat's HTTP accessor (which applies the
 * workspace's proxy and outbound rules). The shapes are those of the API's OpenAPI document;
 * the app's type test holds them to the generated SDK types (docs/integration.md, "Rocket.Chat").
 */

export type Locale = 'en' | 'zh-CN' | 'ja';
export type ConversationKind = 'DIRECT' | 'GROUP';
export type MessageType = 'TEXT' | 'IMAGE' | 'VIDEO' | 'FILE' | 'VOICE' | 'LOCATION';

export interface ExternalRef {
  source: string;
  externalId: string;
}

export interface ExternalMessage extends ExternalRef {
  type: MessageType;
  sentAt: string;
  sender: ExternalRef;
  conversation: ExternalRef & { kind: ConversationKind };
}

export interface RecallDecisionRequest {
  message: ExternalMessage;
  actor: ExternalRef;
  forced?: boolean;
  reason?: string;
}

export interface RecordRecallRequest extends RecallDecisionRequest {
  content: { text?: string; attachments?: { name: string }[] };
}

export interface RecallDecision {
  allowed: boolean;
  code?: string;
  rule: string;
  policyVersion: number;
  windowEndsAt: string;
  reEditUntil?: string;
  notices: Partial<Record<Locale, string>>;
}

export interface RecordedRecall {
  decision: RecallDecision;
  auditSeq: number;
  leafHash: string;
  messageId: string;
}

export interface DirectoryPersonRequest {
  displayName?: string;
  email?: string;
  locale?: Locale;
}

/** An RFC 9457 problem as Retract answers errors; a refused recall carries the decision's fields. */
export interface Problem {
  type?: string;
  title?: string;
  status: number;
  code?: string;
  detail?: string;
  notices?: Partial<Record<Locale, string>>;
  [member: string]: unknown;
}

export type Answer<T> = { ok: true; status: number; body: T } | { ok: false; status: number; problem: Problem } | { ok: false; status: 0; problem: Problem };

/** Whether asking again later may succeed: no answer, rate limited, or Retract unavailable. */
export const isTransient = (answer: Answer<unknown>): boolean => !answer.ok && (answer.status === 0 || answer.status === 429 || answer.status >= 500);

const TIMEOUT_MS = 10_000;

function bodyOf(response: IHttpResponse): unknown {
  if (response.data !== undefined && response.data !== null) return response.data;
  if (!response.content) return undefined;
  try {
    return JSON.parse(response.content) as unknown;
  } catch {
    return undefined;
  }
}

export class RetractApi {
  constructor(
    private readonly http: IHttp,
    private readonly settings: RetractSettings,
  ) {}

  /** POST /api/v1/recall-decisions: may this message be recalled? Nothing is written. */
  decide(request: RecallDecisionRequest): Promise<Answer<RecallDecision>> {
    return this.send<RecallDecision>('post', '/api/v1/recall-decisions', request);
  }

  /** POST /api/v1/recalls: records the recall and its content; the same key and body replay the first answer. */
  record(request: RecordRecallRequest, idempotencyKey: string): Promise<Answer<RecordedRecall>> {
    return this.send<RecordedRecall>('post', '/api/v1/recalls', request, { 'Idempotency-Key': idempotencyKey });
  }

  /** PUT /api/v1/directory/people/{source}/{externalId}: name, email and language of a person. */
  putPerson(externalId: string, person: DirectoryPersonRequest): Promise<Answer<unknown>> {
    const path = `/api/v1/directory/people/${encodeURIComponent(this.settings.source)}/${encodeURIComponent(externalId)}`;
    return this.send<unknown>('put', path, person);
  }

  private async send<T>(method: 'post' | 'put', path: string, body: unknown, headers: Record<string, string> = {}): Promise<Answer<T>> {
    let response: IHttpResponse;
    try {
      response = await this.http[method](`${this.settings.url}${path}`, {
        headers: { authorization: `Bearer ${this.settings.token}`, 'content-type': 'application/json', accept: 'application/json', ...headers },
        content: JSON.stringify(body),
        timeout: TIMEOUT_MS,
      });
    } catch (error) {
      return {
        ok: false,
        status: 0,
        problem: { status: 0, title: 'Retract could not be reached', detail: error instanceof Error ? error.message : String(error) },
      };
    }
    const parsed = bodyOf(response);
    if (response.statusCode >= 200 && response.statusCode < 300) return { ok: true, status: response.statusCode, body: parsed as T };
    const problem = typeof parsed === 'object' && parsed !== null ? (parsed as Problem) : { status: response.statusCode, title: `HTTP ${response.statusCode}` };
    return { ok: false, status: response.statusCode, problem };
  }
}
