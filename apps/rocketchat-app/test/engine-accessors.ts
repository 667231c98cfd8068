import type { ILogger, IPersistence, IPersistenceRead, IRead } from '@rocket.chat/apps-engine/definition/accessors';
import type { IMessage } from '@rocket.chat/apps-engine/definition/messages';
import type { RocketChatAssociationRecord } from '@rocket.chat/apps-engine/definition/metadata';
import type { IRoom } from '@rocket.chat/apps-engine/definition/rooms';
import type { IUser } from '@rocket.chat/apps-engine/definition/users';

/*
 * The parts of Rocket.Chat's accessors the app uses, as the engine's interfaces define them:
 * the app's settings, the workspace language, a notifier that keeps what it shows, and the app's
 * persistence (Rocket.Chat's own store, kept in memory here). An accessor method the app calls
 * but this file lacks fails the test (it is not there), rather than answering something made up.
 */

export interface Notification {
  user: string;
  room: string;
  text: string;
}

type Associations = { model: string; id: string }[];

export class AppStore implements IPersistence, IPersistenceRead {
  readonly records = new Map<string, { data: object; associations: Associations }>();
  private next = 0;

  private static keys = (associations: RocketChatAssociationRecord[]): Associations => associations.map((a) => ({ model: a.getModel(), id: a.getID() }));
  private matching(associations: RocketChatAssociationRecord[]): string[] {
    const wanted = AppStore.keys(associations);
    return [...this.records.entries()]
      .filter(([, record]) => wanted.every((w) => record.associations.some((a) => a.model === w.model && a.id === w.id)))
      .map(([id]) => id);
  }

  create(data: object): Promise<string> {
    return this.createWithAssociations(data, []);
  }
  createWithAssociation(data: object, association: RocketChatAssociationRecord): Promise<string> {
    return this.createWithAssociations(data, [association]);
  }
  createWithAssociations(data: object, associations: RocketChatAssociationRecord[]): Promise<string> {
    const id = `r${++this.next}`;
    this.records.set(id, { data: structuredClone(data), associations: AppStore.keys(associations) });
    return Promise.resolve(id);
  }
  update(id: string, data: object): Promise<string> {
    const record = this.records.get(id);
    if (record) record.data = structuredClone(data);
    return Promise.resolve(id);
  }
  updateByAssociation(association: RocketChatAssociationRecord, data: object, upsert?: boolean): Promise<string> {
    return this.updateByAssociations([association], data, upsert);
  }
  async updateByAssociations(associations: RocketChatAssociationRecord[], data: object, upsert?: boolean): Promise<string> {
    const [id] = this.matching(associations);
    if (id) return this.update(id, data);
    if (!upsert) throw new Error('no record with these associations');
    return this.createWithAssociations(data, associations);
  }
  remove(id: string): Promise<object> {
    const record = this.records.get(id);
    this.records.delete(id);
    return Promise.resolve(record?.data ?? {});
  }
  removeByAssociation(association: RocketChatAssociationRecord): Promise<object[]> {
    return this.removeByAssociations([association]);
  }
  async removeByAssociations(associations: RocketChatAssociationRecord[]): Promise<object[]> {
    return Promise.all(this.matching(associations).map((id) => this.remove(id)));
  }
  read(id: string): Promise<object> {
    return Promise.resolve(structuredClone(this.records.get(id)?.data ?? {}));
  }
  readByAssociation(association: RocketChatAssociationRecord): Promise<object[]> {
    return this.readByAssociations([association]);
  }
  readByAssociations(associations: RocketChatAssociationRecord[]): Promise<object[]> {
    return Promise.resolve(this.matching(associations).map((id) => structuredClone(this.records.get(id)!.data)));
  }
}

export function engineRead(options: { settings: Record<string, unknown>; workspaceLanguage?: string; store: AppStore; notifications: Notification[] }): IRead {
  const builder = () => {
    const message: Partial<IMessage> = {};
    const self = {
      setRoom: (room: IRoom) => ((message.room = room), self),
      setText: (text: string) => ((message.text = text), self),
      getMessage: () => message as IMessage,
    };
    return self;
  };
  const read = {
    getEnvironmentReader: () => ({
      getSettings: () => ({ getValueById: (id: string) => Promise.resolve(options.settings[id]) }),
      getServerSettings: () => ({ getValueById: (id: string) => Promise.resolve(id === 'Language' ? (options.workspaceLanguage ?? 'en') : undefined) }),
    }),
    getNotifier: () => ({
      getMessageBuilder: builder,
      notifyUser: (user: IUser, message: IMessage) => {
        options.notifications.push({ user: user.id, room: message.room.id, text: message.text ?? '' });
        return Promise.resolve();
      },
    }),
    getPersistenceReader: () => options.store,
  };
  return read as unknown as IRead;
}

export const silentLogger = (lines: string[] = []): ILogger => {
  const keep =
    (level: string) =>
    (...items: unknown[]) =>
      lines.push(`${level} ${items.map(String).join(' ')}`);
  return {
    debug: keep('debug'),
    info: keep('info'),
    log: keep('log'),
    warn: keep('warn'),
    error: keep('error'),
    success: keep('success'),
  } as unknown as ILogger;
};
