import { formatNumber, formatUtc } from '../../../i18n/dates';
import { format } from '../../../i18n/format';
import type { Dictionary } from '../../../i18n';
import { GlanceGrid, GlanceTile } from './glance-tile';
import { loadComplianceGlance } from './_queries';

/** A compliance officer's home: today's recalls and refusals, the newest checkpoint and whether it verifies, active holds. */
export async function ComplianceGlance({ locale, dict }: { locale: string; dict: Dictionary }) {
  const { today, checkpoint, activeHolds } = await loadComplianceGlance();
  const t = dict.home.glance;
  const count = (n: number | null | undefined) => (n === null || n === undefined ? t.unavailable : formatNumber(locale, n));
  const latest = checkpoint?.latest;
  return (
    <GlanceGrid id="glance-compliance" title={t.complianceTitle}>
      <GlanceTile
        testId="glance-recalls-today"
        href="/insights?range=1&bucket=hour"
        label={t.recallsToday}
        value={count(today?.recalled)}
        detail={today ? format(t.forced, { count: formatNumber(locale, today.forced) }) : undefined}
      />
      <GlanceTile
        testId="glance-refusals-today"
        href="/insights?range=1&bucket=hour"
        label={t.refusalsToday}
        value={count(today?.denied)}
        tone={today?.denied ? 'warning' : undefined}
      />
      <GlanceTile
        testId="glance-checkpoint"
        href="/integrity"
        label={t.checkpoint}
        value={!checkpoint ? t.unavailable : !latest ? t.checkpointNone : checkpoint.verified ? t.verified : t.notVerified}
        detail={latest ? format(t.checkpointDetail, { size: formatNumber(locale, latest.treeSize), date: formatUtc(locale, latest.createdAt) }) : undefined}
        tone={latest ? (checkpoint?.verified ? 'ok' : 'warning') : undefined}
      />
      <GlanceTile testId="glance-holds" href="/legal-holds" label={t.activeHolds} value={count(activeHolds)} />
    </GlanceGrid>
  );
}
