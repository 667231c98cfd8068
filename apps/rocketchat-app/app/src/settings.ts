import type { IRead } from '@rocket.chat/apps-engine/definition/accessors';
import { type ISetting, SettingType } from '@rocket.chat/apps-engine/definition/settings';

/** What the app does with a deletion when Retract cannot be asked (network down, Retract answering 5xx or 429). */
export type WhenUnreachable = 'prevent' | 'allow';

export const SETTING = {
  url: 'retract_url',
  token: 'retract_token',
  source: 'retract_source',
  whenUnreachable: 'retract_when_unreachable',
  syncDirectory: 'retract_sync_directory',
} as const;

type SettingDeclaration = Omit<ISetting, 'createdAt' | 'updatedAt' | 'value'>;

/** The app's settings, in Administration › Apps › Retract › Settings (docs/integration.md, "Rocket.Chat"). */
export const SETTINGS: SettingDeclaration[] = [
  {
    id: SETTING.url,
    type: SettingType.STRING,
    packageValue: '',
    required: true,
    public: false,
    i18nLabel: 'Retract URL',
    i18nDescription: 'Where the Retract API is, without /api/v1, e.g. https://retract.example.com',
  },
  {
    id: SETTING.token,
    type: SettingType.PASSWORD,
    packageValue: '',
    required: true,
    public: false,
    i18nLabel: 'Service account token',
    i18nDescription: 'A Retract service account token (rtk_…) with the scopes recall:decide, recall:record and directory:write',
  },
  {
    id: SETTING.source,
    type: SettingType.STRING,
    packageValue: 'rocketchat',
    required: true,
    public: false,
    i18nLabel: 'Source name',
    i18nDescription: 'How Retract names this workspace in its directory (1-32 lower-case letters, digits, dots, dashes, underscores)',
  },
  {
    id: SETTING.whenUnreachable,
    type: SettingType.SELECT,
    packageValue: 'prevent',
    values: [
      { key: 'prevent', i18nLabel: 'Prevent the deletion (nothing is deleted that Retract did not allow)' },
      { key: 'allow', i18nLabel: 'Allow the deletion (it is recorded once Retract answers again)' },
    ],
    required: true,
    public: false,
    i18nLabel: 'When Retract cannot be reached',
  },
  {
    id: SETTING.syncDirectory,
    type: SettingType.BOOLEAN,
    packageValue: true,
    required: false,
    public: false,
    i18nLabel: 'Send names, emails and languages to Retract',
    i18nDescription: "Compliance staff then see people's names in the audit log (needs the directory:write scope)",
  },
];

export interface RetractSettings {
  url: string;
  token: string;
  source: string;
  whenUnreachable: WhenUnreachable;
  syncDirectory: boolean;
}

/** The settings in force; undefined when the URL or token is missing (the app then stays out of the way). */
export async function readSettings(read: IRead): Promise<RetractSettings | undefined> {
  const settings = read.getEnvironmentReader().getSettings();
  const value = async (id: string): Promise<unknown> => settings.getValueById(id) as Promise<unknown>;
  const text = async (id: string): Promise<string> => {
    const setting = await value(id);
    return typeof setting === 'string' ? setting.trim() : '';
  };
  const url = await text(SETTING.url);
  const token = await text(SETTING.token);
  if (!url || !token) return undefined;
  return {
    url: url.replace(/\/+$/, ''),
    token,
    source: (await text(SETTING.source)) || 'rocketchat',
    whenUnreachable: (await value(SETTING.whenUnreachable)) === 'allow' ? 'allow' : 'prevent',
    syncDirectory: (await value(SETTING.syncDirectory)) !== false,
  };
}
