import type { IRead } from '@rocket.chat/apps-engine/definition/accessors';
import type { IRoom } from '@rocket.chat/apps-engine/definition/rooms';
import type { IUser } from '@rocket.chat/apps-engine/definition/users';
import type { Locale } from './retract-api';

/** Retract's locale for a Rocket.Chat language tag (`zh`, `zh-TW`, `ja`, `pt-BR`, …); English otherwise. */
export function retractLocale(language: string | undefined): Locale {
  const tag = (language ?? '').toLowerCase();
  if (tag === 'zh' || tag.startsWith('zh-') || tag.startsWith('zh_')) return 'zh-CN';
  if (tag === 'ja' || tag.startsWith('ja-')) return 'ja';
  return 'en';
}

/** The user's own language, or else the workspace's default language. */
export async function userLocale(user: IUser, read: IRead): Promise<Locale> {
  const own = user.settings?.preferences?.language;
  if (own) return retractLocale(own);
  const workspace = (await read
    .getEnvironmentReader()
    .getServerSettings()
    .getValueById('Language')
    .catch(() => undefined)) as string | undefined;
  return retractLocale(workspace);
}

const UNREACHABLE: Record<Locale, string> = {
  en: 'This message cannot be deleted right now: the recall policy service is not reachable. Please try again in a moment.',
  'zh-CN': '暂时无法删除此消息：无法连接撤回策略服务。请稍后再试。',
  ja: '現在このメッセージは削除できません。取り消しポリシーのサービスに接続できません。しばらくしてからもう一度お試しください。',
};

/** The notice for the user's locale, or English when Retract sent none in it. */
export function pickNotice(notices: Partial<Record<Locale, string>> | undefined, locale: Locale): string | undefined {
  return notices?.[locale] ?? notices?.en;
}

export const unreachableNotice = (locale: Locale): string => UNREACHABLE[locale];

/** Tells one user, privately and only in their open session, why their deletion did not happen. */
export async function tellUser(read: IRead, user: IUser, room: IRoom, text: string): Promise<void> {
  const notifier = read.getNotifier();
  const message = notifier.getMessageBuilder().setRoom(room).setText(text).getMessage();
  await notifier.notifyUser(user, message);
}
