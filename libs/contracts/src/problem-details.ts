import type { ProblemCode } from './problem';
import { LOCALES, type Locale } from './roles';

/**
 * The `detail` of a problem document in every language (docs/architecture.md, "Problem details
 * in the reader's language"). `type`, `title` and `code` never change with the language: clients
 * branch on them. Each problem code has a general detail without parameters; a variant
 * (`CODE.variant`) says more and may carry `{name}` parameters filled from the throw site.
 */
export const PROBLEM_DETAILS = {
  VALIDATION_FAILED: {
    en: 'Some values are not valid.',
    'zh-CN': '部分取值无效。',
    ja: '無効な値があります。',
  },
  MALFORMED_JSON: {
    en: 'The request body could not be read as JSON.',
    'zh-CN': '请求正文无法按 JSON 解析。',
    ja: 'リクエスト本文を JSON として読み取れませんでした。',
  },
  PAYLOAD_TOO_LARGE: {
    en: 'The request body is too large.',
    'zh-CN': '请求正文过大。',
    ja: 'リクエスト本文が大きすぎます。',
  },
  UNSUPPORTED_MEDIA_TYPE: {
    en: 'Send application/json.',
    'zh-CN': '请以 application/json 发送。',
    ja: 'application/json で送信してください。',
  },
  UNAUTHENTICATED: {
    en: 'Log in to continue.',
    'zh-CN': '请登录后继续。',
    ja: '続行するにはサインインしてください。',
  },
  INVALID_CREDENTIALS: {
    en: 'The organisation, email or password is not correct.',
    'zh-CN': '组织、邮箱或密码不正确。',
    ja: '組織、メールアドレス、またはパスワードが正しくありません。',
  },
  SSO_REQUIRED: {
    en: 'This organisation signs in through its identity provider.',
    'zh-CN': '该组织需通过其身份提供方登录。',
    ja: 'この組織では ID プロバイダー経由でサインインします。',
  },
  FORBIDDEN: {
    en: 'Your roles do not allow this action.',
    'zh-CN': '您的角色不允许此操作。',
    ja: '現在のロールではこの操作は許可されていません。',
  },
  'FORBIDDEN.serviceRoute': {
    en: "This route takes a service account's token (rtk_…), not a person's sign-in: an administrator creates one under Service accounts (docs/integration.md).",
    'zh-CN': '此接口需要服务账号的令牌（rtk_…），而非个人登录：管理员可在“服务账号”中创建（docs/integration.md）。',
    ja: 'このルートには個人のサインインではなく、サービスアカウントのトークン（rtk_…）が必要です。管理者が「サービスアカウント」で作成できます（docs/integration.md）。',
  },
  NOT_FOUND: {
    en: 'Not found: it does not exist, or it is not in your organisation.',
    'zh-CN': '未找到：它不存在，或不属于您的组织。',
    ja: '見つかりません。存在しないか、所属組織のものではありません。',
  },
  CONFLICT: {
    en: 'This conflicts with the current state.',
    'zh-CN': '与当前状态冲突。',
    ja: '現在の状態と競合しています。',
  },
  'CONFLICT.directoryEmail': {
    en: "Another person of the organisation already has this email address, so it cannot be given to this chat identity: send this person's own address, or leave email out.",
    'zh-CN': '组织中已有其他人使用此邮箱地址，因此不能用于此聊天身份：请发送此人自己的地址，或不填写 email。',
    ja: 'このメールアドレスは組織内の別のユーザーが使用しているため、このチャット ID には設定できません。本人のアドレスを送信するか、email を省略してください。',
  },
  'CONFLICT.directoryErased': {
    en: 'This person was erased; the directory cannot name them again under this id.',
    'zh-CN': '此人已被删除，目录不能再以此 ID 为其命名。',
    ja: 'このユーザーは消去されています。ディレクトリはこの ID で再び名前を付けることはできません。',
  },
  VERSION_CONFLICT: {
    en: 'Someone else changed this in the meantime; reload and make your change again.',
    'zh-CN': '其他人已在此期间修改了它；请重新加载后再修改。',
    ja: 'その間に他のユーザーが変更しました。再読み込みしてから、もう一度変更してください。',
  },
  TOO_MANY_REQUESTS: {
    en: 'Too many requests; wait a moment and try again.',
    'zh-CN': '请求过多，请稍后再试。',
    ja: 'リクエストが多すぎます。しばらく待ってから再度お試しください。',
  },
  LEGAL_HOLD_ACTIVE: {
    en: 'A legal hold covers this person, so their content cannot be erased; the refusal was recorded.',
    'zh-CN': '此人处于法律保全之下，其内容不能删除；此次拒绝已记录。',
    ja: 'このユーザーにはリーガルホールドが適用されているため、内容を消去できません。この拒否は記録されました。',
  },
  INTERNAL: {
    en: 'An unexpected error occurred; it has been logged.',
    'zh-CN': '发生意外错误，已记录。',
    ja: '予期しないエラーが発生しました。記録されています。',
  },
  SERVICE_UNAVAILABLE: {
    en: 'The service is not available right now; try again shortly.',
    'zh-CN': '服务暂时不可用，请稍后再试。',
    ja: '現在サービスを利用できません。しばらくしてから再度お試しください。',
  },
  DATABASE_UNAVAILABLE: {
    en: 'The database is not reachable right now; try again shortly.',
    'zh-CN': '数据库暂时无法访问，请稍后再试。',
    ja: '現在データベースに接続できません。しばらくしてから再度お試しください。',
  },
  IDEMPOTENCY_KEY_REUSED: {
    en: 'This Idempotency-Key was used for another request.',
    'zh-CN': '此 Idempotency-Key 已用于另一个请求。',
    ja: 'この Idempotency-Key は別のリクエストで使用されています。',
  },
  IDEMPOTENCY_KEY_IN_USE: {
    en: 'A request with this Idempotency-Key is still being processed.',
    'zh-CN': '使用此 Idempotency-Key 的请求仍在处理中。',
    ja: 'この Idempotency-Key のリクエストはまだ処理中です。',
  },
  WINDOW_EXPIRED: {
    en: 'The recall window for this message has closed.',
    'zh-CN': '此消息的撤回时限已过。',
    ja: 'このメッセージの取り消し可能期間は終了しました。',
  },
  'WINDOW_EXPIRED.age': {
    en: 'The message is {age} s old; it could be recalled for {windowSeconds} s (+{graceSeconds} s grace).',
    'zh-CN': '该消息已发送 {age} 秒；只能在 {windowSeconds} 秒内撤回（另有 {graceSeconds} 秒宽限）。',
    ja: 'このメッセージは送信から {age} 秒が経過しています。取り消せるのは {windowSeconds} 秒以内です（猶予 {graceSeconds} 秒）。',
  },
  TYPE_NOT_RECALLABLE: {
    en: 'Messages of this type cannot be recalled.',
    'zh-CN': '此类型的消息不能撤回。',
    ja: 'この種類のメッセージは取り消せません。',
  },
  'TYPE_NOT_RECALLABLE.payment': {
    en: '{type} is a payment and can never be recalled.',
    'zh-CN': '{type} 属于支付，永远不能撤回。',
    ja: '{type} は支払いのため、取り消すことはできません。',
  },
  'TYPE_NOT_RECALLABLE.policy': {
    en: '{type} messages may not be recalled here.',
    'zh-CN': '此处不允许撤回 {type} 消息。',
    ja: 'ここでは {type} のメッセージは取り消せません。',
  },
  ALREADY_RECALLED: {
    en: 'The message has already been recalled.',
    'zh-CN': '该消息已被撤回。',
    ja: 'このメッセージはすでに取り消されています。',
  },
  NOT_SENDER: {
    en: 'Only the sender may recall a message.',
    'zh-CN': '只有发送者可以撤回消息。',
    ja: 'メッセージを取り消せるのは送信者だけです。',
  },
  REASON_REQUIRED: {
    en: 'A reason is required.',
    'zh-CN': '需要填写原因。',
    ja: '理由が必要です。',
  },
  'REASON_REQUIRED.forced': {
    en: 'A forced recall always needs a reason.',
    'zh-CN': '强制撤回必须填写原因。',
    ja: '強制取り消しには必ず理由が必要です。',
  },
  'REASON_REQUIRED.always': {
    en: 'A reason is required for every recall.',
    'zh-CN': '每次撤回都必须填写原因。',
    ja: 'すべての取り消しに理由が必要です。',
  },
  'REASON_REQUIRED.after': {
    en: 'A reason is required once a message is older than {seconds} s.',
    'zh-CN': '消息发送超过 {seconds} 秒后撤回须填写原因。',
    ja: '送信から {seconds} 秒を過ぎたメッセージの取り消しには理由が必要です。',
  },
  RATE_LIMITED: {
    en: 'You have recalled too many messages in the last hour.',
    'zh-CN': '您在过去一小时内撤回的消息过多。',
    ja: '過去 1 時間の取り消し回数が上限に達しました。',
  },
  'RATE_LIMITED.hourly': {
    en: 'At most {max} recalls per hour.',
    'zh-CN': '每小时最多撤回 {max} 次。',
    ja: '取り消しは 1 時間に {max} 回までです。',
  },
  BATCH_TOO_LARGE: {
    en: 'Too many messages in one recall.',
    'zh-CN': '一次撤回的消息过多。',
    ja: '一度に取り消すメッセージが多すぎます。',
  },
  BATCH_DISABLED: {
    en: 'Recalling several messages at once is turned off.',
    'zh-CN': '批量撤回已关闭。',
    ja: '複数メッセージの一括取り消しは無効になっています。',
  },
  REEDIT_EXPIRED: {
    en: 'The time to re-edit this message has passed.',
    'zh-CN': '此消息的重新编辑时限已过。',
    ja: 'このメッセージの再編集期限が過ぎました。',
  },
  RECALL_OFF: {
    en: 'Recall is turned off here.',
    'zh-CN': '此处已关闭撤回。',
    ja: 'ここでは取り消しが無効になっています。',
  },
} as const satisfies Record<ProblemCode, Record<Locale, string>> & Record<`${ProblemCode}.${string}`, Record<Locale, string>>;

export type ProblemDetailKey = keyof typeof PROBLEM_DETAILS;

/** A detail by catalog key and its parameters, rendered in the reader's language when the problem is sent. */
export interface ProblemDetailMessage {
  key: ProblemDetailKey;
  params?: Record<string, string | number>;
}

export function problemDetailText(message: ProblemDetailMessage, locale: Locale): string {
  const params = message.params ?? {};
  return PROBLEM_DETAILS[message.key][locale].replace(/\{(\w+)\}/g, (match, name: string) =>
    Object.prototype.hasOwnProperty.call(params, name) ? String(params[name]) : match,
  );
}

/** A detail in every product language (answers read by people whose language the API does not know, e.g. a chat system's members). */
export const problemDetailTexts = (message: ProblemDetailMessage): Record<Locale, string> =>
  Object.fromEntries(LOCALES.map((locale) => [locale, problemDetailText(message, locale)])) as Record<Locale, string>;

/** The general detail of a code in a language (no parameters). */
export const generalProblemDetail = (code: ProblemCode, locale: Locale): string => PROBLEM_DETAILS[code][locale];

/** Maps a language tag to a product language: any Chinese tag → zh-CN, Japanese → ja, English → en, others none. */
export function localeForTag(tag: string | undefined | null): Locale | undefined {
  if (!tag) return undefined;
  const lower = tag.trim().toLowerCase();
  if (lower === 'zh' || lower.startsWith('zh-')) return 'zh-CN';
  if (lower === 'ja' || lower.startsWith('ja-')) return 'ja';
  if (lower === 'en' || lower.startsWith('en-')) return 'en';
  return undefined;
}

/** Picks the best product language from an Accept-Language header (RFC 9110 §12.5.4). */
export function negotiateLocale(acceptLanguage: string | null | undefined): Locale | undefined {
  if (!acceptLanguage) return undefined;
  const ranges = acceptLanguage
    .split(',')
    .map((part, index) => {
      const [tag = '', ...params] = part.trim().split(';');
      const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
      const weight = q ? Number(q.slice(2)) : 1;
      return { tag: tag.trim(), weight: Number.isFinite(weight) ? weight : 0, index };
    })
    .filter((r) => r.tag && r.weight > 0)
    .sort((a, b) => b.weight - a.weight || a.index - b.index);
  for (const range of ranges) {
    const locale = localeForTag(range.tag);
    if (locale) return locale;
  }
  return undefined;
}

export const isLocale = (value: unknown): value is Locale => typeof value === 'string' && (LOCALES as readonly string[]).includes(value);
