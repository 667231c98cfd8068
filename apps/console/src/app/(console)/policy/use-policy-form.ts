'use client';

import type { PolicyOverride, PolicySettings, PolicyVersionView } from '@retract/contracts';
import { useMemo, useState } from 'react';
import type { Dictionary } from '../../../i18n/en';
import { draftSeconds, shownDraft, validatePolicy, type DurationDraft, type Errors } from './policy-model';

/**
 * The duration fields' drafts, by error path (`settings.windowSeconds`,
 * `overrides.0.settings.reEditWindowSeconds`): what is typed and in which unit.
 */
export interface DurationDrafts {
  /** What the field at `path` shows for `seconds` (see shownDraft). */
  shown: (path: string, seconds: number) => DurationDraft;
  /** Keeps what was typed and returns the seconds it stands for, for the form's value. */
  typed: (path: string, draft: DurationDraft) => number;
}

export interface PolicyForm {
  settings: PolicySettings;
  overrides: PolicyOverride[];
  durations: DurationDrafts;
  /** Errors to show: none until something was edited, then live validation and the server's answer. */
  errors: Errors;
  invalid: boolean;
  dirty: boolean;
  setSettings: (next: PolicySettings) => void;
  setOverrides: (next: PolicyOverride[]) => void;
  setServerErrors: (errors: Errors) => void;
  /** Back to the saved version, every field, the duration fields' units and typed text included. */
  discard: () => void;
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/**
 * The policy form's state. The duration fields' drafts live here with the values they stand for,
 * so what a field shows and what Save sends come from one place: Discard resets both.
 */
export function usePolicyForm(current: PolicyVersionView, t: Dictionary['policy']): PolicyForm {
  const [settings, setSettingsState] = useState<PolicySettings>(() => structuredClone(current.settings));
  const [overrides, setOverridesState] = useState<PolicyOverride[]>(() => structuredClone(current.overrides));
  const [drafts, setDrafts] = useState<Record<string, DurationDraft>>({});
  const [serverErrors, setServerErrors] = useState<Errors>({});
  const [touched, setTouched] = useState(false);

  const durations: DurationDrafts = {
    shown: (path, seconds) => shownDraft(drafts[path], seconds),
    typed: (path, draft) => {
      setDrafts((all) => ({ ...all, [path]: draft }));
      return draftSeconds(draft);
    },
  };
  const live = useMemo(
    () => validatePolicy(settings, overrides, t, (path, seconds) => shownDraft(drafts[path], seconds).unit),
    [settings, overrides, drafts, t],
  );
  const showErrors = touched || Object.keys(serverErrors).length > 0;

  const edited = () => {
    setServerErrors({});
    setTouched(true);
  };

  return {
    settings,
    overrides,
    durations,
    errors: showErrors ? { ...live, ...serverErrors } : {},
    invalid: Object.keys(live).length > 0,
    dirty: !same({ settings, overrides }, { settings: current.settings, overrides: current.overrides }),
    setSettings(next) {
      setSettingsState(next);
      edited();
    },
    setOverrides(next) {
      setOverridesState(next);
      edited();
    },
    setServerErrors,
    discard() {
      setSettingsState(structuredClone(current.settings));
      setOverridesState(structuredClone(current.overrides));
      setDrafts({});
      setServerErrors({});
      setTouched(false);
    },
  };
}
