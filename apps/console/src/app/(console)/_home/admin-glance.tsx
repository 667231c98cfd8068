import { formatNumber, formatUtc, humanDuration } from '../../../i18n/dates';
import { format } from '../../../i18n/format';
import type { Dictionary } from '../../../i18n';
import { GlanceGrid, GlanceTile } from './glance-tile';
import { loadAdminGlance } from './_queries';

/** An administrator's home: the recall window in force and its last change, grants waiting, failing webhooks. */
export async function AdminGlance({ locale, dict }: { locale: string; dict: Dictionary }) {
  const { policy, pendingGrants, webhooks } = await loadAdminGlance();
  const t = dict.home.glance;
  const count = (n: number | null) => (n === null ? t.unavailable : formatNumber(locale, n));
  return (
    <GlanceGrid id="glance-admin" title={t.adminTitle}>
      <GlanceTile
        testId="glance-window"
        href="/policy"
        label={t.window}
        value={!policy ? t.unavailable : policy.settings.windowSeconds === 0 ? t.windowOff : humanDuration(locale, policy.settings.windowSeconds)}
        detail={
          policy
            ? format(t.lastChange, {
                version: policy.version,
                date: formatUtc(locale, policy.createdAt),
                name: policy.createdBy?.displayName ?? dict.policy.system,
              })
            : undefined
        }
      />
      <GlanceTile testId="glance-grants" href="/users" label={t.grants} value={count(pendingGrants)} tone={pendingGrants ? 'warning' : undefined} />
      <GlanceTile
        testId="glance-webhooks"
        href="/webhooks"
        label={t.webhooksFailing}
        value={count(webhooks?.failing ?? null)}
        detail={webhooks ? (webhooks.total === 0 ? t.webhooksNone : format(t.webhooksOf, { total: formatNumber(locale, webhooks.total) })) : undefined}
        tone={webhooks?.failing ? 'warning' : webhooks ? 'ok' : undefined}
      />
    </GlanceGrid>
  );
}
