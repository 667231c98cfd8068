'use client';

import type { Dictionary } from '../../../i18n/en';

/** Unsaved state, Discard and Save, kept in view at the top of the form while it scrolls. */
export function SaveBar({
  dirty,
  invalid,
  saving,
  t,
  onDiscard,
  onSave,
}: {
  dirty: boolean;
  invalid: boolean;
  saving: boolean;
  t: Dictionary['policy'];
  onDiscard: () => void;
  onSave: () => void;
}) {
  return (
    <div className="savebar" role="region" aria-label={t.save} data-testid="policy-savebar">
      <div className="savebar__status" aria-live="polite">
        {dirty ? <span className="badge badge--warning">{t.unsaved}</span> : <span className="muted">{t.noChanges}</span>}
        {dirty && invalid ? <span className="field__error">{t.invalid}</span> : null}
      </div>
      <div className="form-actions">
        <button type="button" className="button button--quiet" disabled={!dirty || saving} onClick={onDiscard}>
          {t.discard}
        </button>
        <button
          type="button"
          className="button button--primary"
          data-testid="policy-save"
          disabled={!dirty || invalid || saving}
          aria-busy={saving}
          onClick={onSave}
        >
          {saving ? t.saving : t.save}
        </button>
      </div>
    </div>
  );
}
