import type { AuditConversation, AuditEntryDetail } from '@retract/contracts';
import { personLabel } from '../../../../components/email-text';
import { HeldBadge } from '../../../../components/held-badge';
import { formatUtc } from '../../../../i18n/dates';
import { format } from '../../../../i18n/format';
import { ruleLabel } from '../../../../lib/labels';
import type { AuditStrings } from '../audit-browser';

/** "What happened": who, whom, where, under which rule and why. */
export function EntryFacts({ detail, locale, t }: { detail: AuditEntryDetail; locale: string; t: AuditStrings }) {
  const a = t.audit;
  return (
    <dl className="facts facts--compact">
      <Fact label={a.occurredAt}>{formatUtc(locale, detail.occurredAt)}</Fact>
      <Fact label={a.actor}>
        <ActorName detail={detail} t={t} />
        {detail.actorId && detail.serviceAccount?.id !== detail.actorId ? (
          <>
            {' '}
            <HeldBadge userId={detail.actorId} label={a.held} heldBy={a.heldBy} />
          </>
        ) : null}
      </Fact>
      {detail.subjectUserId ? (
        <Fact label={a.subject}>
          {detail.subject ? (
            personLabel(detail.subject)
          ) : (
            <>
              {t.table.erasedPerson} <code title={detail.subjectUserId}>{detail.subjectUserId}</code>
            </>
          )}{' '}
          <HeldBadge userId={detail.subjectUserId} label={a.held} heldBy={a.heldBy} />
        </Fact>
      ) : null}
      {detail.source ? <SourceFacts detail={detail} source={detail.source} locale={locale} t={t} /> : null}
      {detail.conversationId ? (
        <Fact label={a.conversation}>
          <ConversationName id={detail.conversationId} conversation={detail.conversation} external={externalIds(detail)} t={t} />
        </Fact>
      ) : null}
      {detail.messageId ? (
        <Fact label={a.message}>
          <code title={detail.messageId}>{detail.messageId}</code>
        </Fact>
      ) : null}
      {detail.decidedBy ? (
        <Fact label={a.rule}>
          <span data-testid="audit-rule">
            {ruleLabel(detail.decidedBy, t.rules)}
            {detail.policyVersion !== null ? ` · ${format(t.rules.version, { version: detail.policyVersion })}` : ''}
          </span>
        </Fact>
      ) : null}
      {detail.denialCode ? <Fact label={a.denialCode}>{t.denialCodes[detail.denialCode as keyof typeof t.denialCodes] ?? detail.denialCode}</Fact> : null}
      {detail.action === 'MESSAGE_RECALLED' || detail.action === 'RECALL_DENIED' || detail.reason || detail.personalData ? (
        <Fact label={a.reason}>
          {detail.reason ?? (
            <span className="muted">
              {detail.personalData === 'ERASED' ? a.reasonErased : detail.personalData === 'UNREADABLE' ? a.reasonUnreadable : a.noReason}
            </span>
          )}
        </Fact>
      ) : null}
      {detail.forced ? (
        <Fact label={a.forced}>
          <span className="badge badge--warning">{a.forced}</span>
        </Fact>
      ) : null}
    </dl>
  );
}

export function Fact({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <div className="facts__row">
      <dt>{label}</dt>
      <dd>{children}</dd>
    </div>
  );
}

function ActorName({ detail, t }: { detail: AuditEntryDetail; t: AuditStrings }) {
  if (detail.actor) return <>{personLabel(detail.actor)}</>;
  if (detail.serviceAccount && detail.serviceAccount.id === detail.actorId) return <>{`${detail.serviceAccount.name} (${t.audit.serviceAccount})`}</>;
  return <>{detail.actorId ? t.table.erasedPerson : t.table.system}</>;
}

/** The chat system and its own ids an integrated entry reported (docs/integration.md, "In the audit log"). */
export function externalIds(detail: Pick<AuditEntryDetail, 'details' | 'source'>): ExternalIds | null {
  const external = (typeof detail.details.external === 'object' && detail.details.external !== null ? detail.details.external : {}) as Record<string, unknown>;
  const text = (value: unknown) => (typeof value === 'string' && value ? value : null);
  if (!detail.source) return null;
  return { source: detail.source, messageId: text(external.messageId), conversationId: text(external.conversationId), sentAt: text(external.sentAt) };
}

interface ExternalIds {
  source: string;
  messageId: string | null;
  conversationId: string | null;
  sentAt: string | null;
}

/** A group by its title; one without (a chat system's group, which Retract knows by id only) by the chat system's id. */
export function groupLabel(title: string | null, external: ExternalIds | null, a: AuditStrings['audit']): string {
  if (title?.trim()) return format(a.conversationGroup, { title });
  if (external?.conversationId) return format(a.conversationExternal, { source: external.source, id: external.conversationId });
  return a.conversationUntitled;
}

/** A conversation as people know it (a group's title, a direct conversation's two people), its id second. */
function ConversationName({
  id,
  conversation,
  external,
  t,
}: {
  id: string;
  conversation: AuditConversation | null;
  external: ExternalIds | null;
  t: AuditStrings;
}) {
  const a = t.audit;
  if (!conversation) {
    return (
      <span data-testid="audit-conversation">
        <span className="muted">{a.conversationUnknown}</span> <code title={id}>{id}</code>
      </span>
    );
  }
  const names = conversation.members.map((member) => member.displayName);
  const hidden = conversation.memberCount - names.length;
  const people = hidden > 0 ? format(a.conversationMore, { names: names.join(', '), count: hidden }) : names.join(', ');
  const name = conversation.kind === 'GROUP' ? groupLabel(conversation.title, external, a) : format(a.conversationDirect, { names: people });
  return (
    <span className="conversation-name" data-testid="audit-conversation">
      <span>{name}</span>
      {conversation.kind === 'GROUP' ? (
        <span className="muted">{format(a.conversationMembers, { count: conversation.memberCount, names: people })}</span>
      ) : null}
      <code className="conversation-name__id" title={id}>
        {id}
      </code>
    </span>
  );
}

/** Where an integrated chat system's entry came from: the chat system, the service account, and its own ids (docs/integration.md). */
function SourceFacts({ detail, source, locale, t }: { detail: AuditEntryDetail; source: string; locale: string; t: AuditStrings }) {
  const a = t.audit;
  const { messageId, conversationId, sentAt } = externalIds(detail) ?? { messageId: null, conversationId: null, sentAt: null };
  return (
    <>
      <Fact label={a.source}>
        <span className="badge badge--muted" data-testid="audit-detail-source">
          {source}
        </span>
      </Fact>
      {detail.serviceAccount ? (
        <Fact label={a.serviceAccount}>
          <span data-testid="audit-detail-service-account">{detail.serviceAccount.name}</span>
        </Fact>
      ) : null}
      {messageId ? (
        <Fact label={format(a.externalMessage, { source })}>
          <code className="hash">{messageId}</code>
        </Fact>
      ) : null}
      {conversationId ? (
        <Fact label={format(a.externalConversation, { source })}>
          <code className="hash">{conversationId}</code>
        </Fact>
      ) : null}
      {sentAt ? <Fact label={format(a.externalSentAt, { source })}>{formatUtc(locale, sentAt)}</Fact> : null}
    </>
  );
}
