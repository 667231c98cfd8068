import { contentProblems, recallNotice, recallNotices, RecallRequestSchema, SendMessageRequestSchema, CreateConversationRequestSchema } from './index';

describe('recall notices (DESIGN §2)', () => {
  it("uses the reader's locale; the sender sees their own form", () => {
    const other = { senderName: '王伟', viewerIsSender: false, kind: 'SENDER' as const };
    expect(recallNotice('en', { ...other, senderName: 'Alice' })).toBe('Alice recalled a message');
    expect(recallNotice('zh-CN', other)).toBe('王伟 撤回了一条消息');
    expect(recallNotice('ja', { ...other, senderName: '佐藤' })).toBe('佐藤がメッセージの送信を取り消しました');
    expect(recallNotice('en', { ...other, viewerIsSender: true })).toBe('You recalled a message');
    expect(recallNotice('zh-CN', { ...other, viewerIsSender: true })).toBe('你撤回了一条消息');
  });

  it('names no sender for a forced recall, and gives webhooks every locale', () => {
    expect(recallNotice('en', { senderName: 'Alice', viewerIsSender: true, kind: 'FORCED' })).toBe('A message was removed by your organisation');
    expect(Object.keys(recallNotices({ senderName: 'Alice', kind: 'SENDER' })).sort()).toEqual(['en', 'ja', 'zh-CN']);
  });
});

describe('message content by type', () => {
  const attachment = { name: 'a.png', size: 1, mimeType: 'image/png', sha256: 'c'.repeat(64), url: 'https://f.example/a.png' };

  it('asks each type for what it needs and nothing else', () => {
    expect(contentProblems('TEXT', { body: 'x' })).toEqual([]);
    expect(contentProblems('TEXT', {})).toEqual([['body', 'is required for TEXT messages']]);
    expect(contentProblems('IMAGE', { attachment })).toEqual([]);
    expect(contentProblems('VIDEO', { attachment })).toEqual([['attachment.mimeType', 'must be video/* for VIDEO messages']]);
    expect(contentProblems('LOCATION', { body: 'here' })).toEqual([['location', 'is required for LOCATION messages']]);
    expect(contentProblems('TRANSFER', { payment: { amountMinor: 1, currency: 'CNY' }, attachment })).toEqual([
      ['attachment', 'is not allowed for TRANSFER messages'],
    ]);
  });

  it('validates the send request by field', () => {
    const result = SendMessageRequestSchema.safeParse({ type: 'FILE', attachment: { ...attachment, url: 'ftp://x/y' } });
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((i) => i.path.join('.'))).toEqual(['attachment.url']);
  });

  it('treats a blank reason as no reason, keeps any other reason exactly as sent, and never forces by default', () => {
    expect(RecallRequestSchema.parse({ reason: ' \t\n ' })).toEqual({ reason: undefined, force: false });
    expect(RecallRequestSchema.parse({ reason: ' typo ', force: true })).toEqual({ reason: ' typo ', force: true });
  });

  it('shapes conversations: DIRECT has one other member and no title, GROUP a title', () => {
    expect(CreateConversationRequestSchema.safeParse({ kind: 'DIRECT', memberIds: ['00000000-0000-4000-8000-000000000001'] }).success).toBe(true);
    expect(CreateConversationRequestSchema.safeParse({ kind: 'DIRECT', title: 'x', memberIds: ['00000000-0000-4000-8000-000000000001'] }).success).toBe(false);
    expect(CreateConversationRequestSchema.safeParse({ kind: 'GROUP', memberIds: ['00000000-0000-4000-8000-000000000001'] }).success).toBe(false);
  });
});
