import type {
  IAppAccessors,
  IConfigurationExtend,
  IEnvironmentRead,
  IHttp,
  ILogger,
  IModify,
  IPersistence,
  IRead,
} from '@rocket.chat/apps-engine/definition/accessors';
import { App } from '@rocket.chat/apps-engine/definition/App';
import type { IMessage, IMessageDeleteContext, IPostMessageDeleted, IPreMessageDeletePrevent } from '@rocket.chat/apps-engine/definition/messages';
import type { IAppInfo } from '@rocket.chat/apps-engine/definition/metadata';
import { StartupType } from '@rocket.chat/apps-engine/definition/scheduler';
import type { IUser } from '@rocket.chat/apps-engine/definition/users';
import { describeMessage, recalledContent } from './src/message-description';
import { pickNotice, tellUser, unreachableNotice, userLocale } from './src/notices';
import { keep, pendingRecalls, release } from './src/outbox';
import { RetractApi, isTransient, type RecordRecallRequest } from './src/retract-api';
import { SETTINGS, readSettings } from './src/settings';

/** Given by Retract for deletions by someone other than the sender, which its policy requires a reason for. */
const MODERATION_REASON = 'Deleted by a Rocket.Chat moderator';

/**
 * Retract for Rocket.Chat (docs/integration.md, "Rocket.Chat"): a deletion the organisation's
 * recall policy refuses is prevented and the user told why in their language; every deletion that
 * happens is recorded, with what was deleted, in Retract's audit log.
 */
export class RetractApp extends App implements IPreMessageDeletePrevent, IPostMessageDeleted {
  constructor(info: IAppInfo, logger: ILogger, accessors?: IAppAccessors) {
    super(info, logger, accessors);
  }

  protected override async extendConfiguration(configuration: IConfigurationExtend, _environment: IEnvironmentRead): Promise<void> {
    await Promise.all(SETTINGS.map((setting) => configuration.settings.provideSetting(setting)));
    await configuration.scheduler.registerProcessors([
      {
        id: 'retract-outbox',
        startupSetting: { type: StartupType.RECURRING, interval: '1 minute', skipImmediate: true },
        processor: (_job, read, _modify, http, persistence) => this.sendPending(read, http, persistence),
      },
    ]);
  }

  /**
   * Rocket.Chat does not say who is deleting, so the decision is asked for the sender recalling
   * their own message; deletions by moderators are recorded as forced afterwards.
   */
  async executePreMessageDeletePrevent(message: IMessage, read: IRead, http: IHttp, _persistence: IPersistence): Promise<boolean> {
    const settings = await readSettings(read);
    if (!settings || !message.id) return false;
    const description = describeMessage(message, settings.source);
    const answer = await new RetractApi(http, settings).decide({ message: description, actor: description.sender });
    if (answer.ok && answer.body.allowed) return false;
    const locale = await userLocale(message.sender, read);
    if (!answer.ok && isTransient(answer)) {
      this.getLogger().warn(`Retract could not decide on message ${message.id}: ${answer.status} ${answer.problem.title ?? ''}`);
      if (settings.whenUnreachable === 'allow') return false;
      await tellUser(read, message.sender, message.room, unreachableNotice(locale));
      return true;
    }
    const notices = answer.ok ? answer.body.notices : answer.problem.notices;
    const notice = pickNotice(notices, locale) ?? (answer.ok ? answer.body.code : answer.problem.detail) ?? 'Retract refused this deletion.';
    await tellUser(read, message.sender, message.room, notice);
    return true;
  }

  async executePostMessageDeleted(
    message: IMessage,
    read: IRead,
    http: IHttp,
    persistence: IPersistence,
    _modify: IModify,
    context: IMessageDeleteContext,
  ): Promise<void> {
    const settings = await readSettings(read);
    if (!settings || !message.id) return;
    const api = new RetractApi(http, settings);
    const deleter = context.user ?? message.sender;
    const forced = deleter.id !== message.sender.id;
    if (settings.syncDirectory) await this.syncPeople(api, read, forced ? [message.sender, deleter] : [message.sender]);
    const request: RecordRecallRequest = {
      message: describeMessage(message, settings.source),
      actor: { source: settings.source, externalId: deleter.id },
      forced,
      ...(forced ? { reason: MODERATION_REASON } : {}),
      content: recalledContent(message),
    };
    await this.record(api, persistence, request, message.id, 0, new Date().toISOString());
  }

  /** Sends one recall; keeps it for the outbox job when Retract could not be reached. */
  private async record(
    api: RetractApi,
    persistence: IPersistence,
    request: RecordRecallRequest,
    key: string,
    attempts: number,
    firstFailedAt: string,
  ): Promise<void> {
    const answer = await api.record(request, key);
    if (answer.ok) {
      this.getLogger().debug(`recall of message ${key} recorded at audit seq ${answer.body.auditSeq}`);
      if (attempts > 0) await release(persistence, key);
      return;
    }
    if (isTransient(answer)) {
      await keep(persistence, {
        idempotencyKey: key,
        request,
        attempts: attempts + 1,
        firstFailedAt,
        lastError: `${answer.status} ${answer.problem.title ?? ''}`.trim(),
      });
      return;
    }
    // Refused (the policy changed since the decision, or a moderator's deletion it does not allow): Retract has recorded the refused attempt.
    this.getLogger().error(`Retract refused to record the deletion of message ${key}: ${answer.status} ${answer.problem.code ?? answer.problem.title ?? ''}`);
    if (attempts > 0) await release(persistence, key);
  }

  /** The `retract-outbox` job: every pending recall sent again with its own key. */
  async sendPending(read: IRead, http: IHttp, persistence: IPersistence): Promise<void> {
    const settings = await readSettings(read);
    if (!settings) return;
    const api = new RetractApi(http, settings);
    for (const pending of await pendingRecalls(read.getPersistenceReader())) {
      await this.record(api, persistence, pending.request, pending.idempotencyKey, pending.attempts, pending.firstFailedAt);
    }
  }

  private async syncPeople(api: RetractApi, read: IRead, users: IUser[]): Promise<void> {
    for (const user of users) {
      const email = user.emails?.find((entry) => entry.verified)?.address ?? user.emails?.[0]?.address;
      const answer = await api.putPerson(user.id, {
        displayName: user.name || user.username,
        ...(email ? { email } : {}),
        locale: await userLocale(user, read),
      });
      if (!answer.ok)
        this.getLogger().warn(`Retract directory update of user ${user.id} failed: ${answer.status} ${answer.problem.code ?? answer.problem.title ?? ''}`);
    }
  }
}

export default RetractApp;
