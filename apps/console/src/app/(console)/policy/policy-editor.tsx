'use client';

import type { PolicyVersionView } from '@retract/contracts';
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { ProblemAlert } from '../../../components/problem-alert';
import type { Dictionary } from '../../../i18n/en';
import { format } from '../../../i18n/format';
import { callApi } from '../../../lib/client-api';
import type { ProblemDetails } from '../../../lib/problem';
import { useLeaveGuard } from '../../../lib/use-leave-guard';
import { DefaultsSection } from './defaults-section';
import type { Errors } from './policy-model';
import { OverridesSection } from './overrides-section';
import { SaveBar } from './save-bar';
import { SimulationSection } from './simulation-section';
import { usePolicyForm } from './use-policy-form';

interface Props {
  locale: string;
  current: PolicyVersionView;
  t: Dictionary['policy'];
}

/**
 * The policy form: the defaults, overrides, a simulation of the draft over the last N days, and
 * saving as a new version with optimistic concurrency (expectedVersion). The form's state, with
 * the duration fields' drafts, is usePolicyForm's; page.tsx keys this by the saved version.
 */
export function PolicyEditor({ locale, current, t }: Props) {
  const router = useRouter();
  const form = usePolicyForm(current, t);
  const [problem, setProblem] = useState<ProblemDetails | null>(null);
  const [conflictVersion, setConflictVersion] = useState<number | null>(null);
  const [saving, setSaving] = useState(false);
  useLeaveGuard(form.dirty && !saving, t.leaveUnsaved);

  async function save() {
    if (form.invalid || !form.dirty) return;
    setSaving(true);
    setProblem(null);
    setConflictVersion(null);
    const res = await callApi<PolicyVersionView>('/api/v1/policy', {
      method: 'PUT',
      body: { expectedVersion: current.version, settings: form.settings, overrides: form.overrides },
    });
    if (res.ok) {
      router.replace(`/policy?saved=${res.data.version}`, { scroll: false });
      router.refresh();
      return;
    }
    setSaving(false);
    if (res.problem.code === 'VERSION_CONFLICT' || res.status === 409) {
      const latest = await callApi<PolicyVersionView>('/api/v1/policy');
      setConflictVersion(latest.ok ? latest.data.version : current.version + 1);
      return;
    }
    const fieldErrors: Errors = {};
    for (const error of res.problem.errors ?? []) fieldErrors[error.field.replace(/^body\./, '')] = error.message;
    form.setServerErrors(fieldErrors);
    setProblem(res.problem);
  }

  return (
    <div className="stack policy">
      <SaveBar
        dirty={form.dirty}
        invalid={form.invalid}
        saving={saving}
        t={t}
        onDiscard={() => {
          form.discard();
          setProblem(null);
        }}
        onSave={() => void save()}
      />
      {conflictVersion !== null ? (
        <div className="alert alert--error" role="alert" data-testid="policy-conflict">
          <p className="alert__message">{format(t.conflict, { version: conflictVersion })}</p>
          <div>
            <button type="button" className="button button--quiet" onClick={() => router.refresh()}>
              {t.loadLatest}
            </button>
          </div>
        </div>
      ) : null}
      <ProblemAlert problem={problem} testId="policy-problem" />
      <DefaultsSection settings={form.settings} errors={form.errors} durations={form.durations} locale={locale} t={t} onChange={form.setSettings} />
      <OverridesSection
        overrides={form.overrides}
        defaults={form.settings}
        errors={form.errors}
        durations={form.durations}
        locale={locale}
        t={t}
        onChange={form.setOverrides}
      />
      <SimulationSection settings={form.settings} overrides={form.overrides} invalid={form.invalid} t={t} locale={locale} />
    </div>
  );
}
