import type { Metadata } from 'next';
import { PageHeader } from '../../../components/page-header';
import { ServerProblem } from '../../../components/server-problem';
import { getI18n } from '../../../i18n/locale';
import type { SearchParams } from '../../../lib/search-params';
import { recallRulesOf } from './message-list-model';
import { MessagesApp } from './messages-app';
import { loadMessages, parseMessagesParams } from './_queries';

export async function generateMetadata(): Promise<Metadata> {
  const { dict } = await getI18n();
  return { title: dict.messages.title };
}

export default async function MessagesPage({ searchParams }: { searchParams: SearchParams }) {
  const params = parseMessagesParams(await searchParams);
  const { me, conversations, open, messages, policy } = await loadMessages(params);
  const { locale, dict } = await getI18n();
  return (
    <>
      <PageHeader title={dict.messages.title} lead={dict.messages.lead} />
      {!conversations.ok ? <ServerProblem problem={conversations.problem} /> : null}
      {messages && !messages.ok ? <ServerProblem problem={messages.problem} /> : null}
      <MessagesApp
        key={open?.id ?? 'none'}
        locale={locale}
        me={{ id: me.id, displayName: me.displayName }}
        conversations={conversations.ok ? conversations.data.items : []}
        open={open}
        initialMessages={messages?.ok ? messages.data.items : []}
        initialCursor={messages?.ok ? messages.data.nextCursor : null}
        rules={policy ? recallRulesOf(policy) : null}
        // A server component renders once per request: the request's time is what the client's clock is compared with.
        // eslint-disable-next-line react-hooks/purity
        serverNow={Date.now()}
        t={dict.messages}
      />
    </>
  );
}
