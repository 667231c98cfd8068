'use client';

import type { Locale, ManagedUserView, Role } from '@retract/contracts';
import { useRouter, useSearchParams } from 'next/navigation';
import { useCallback, useState, type FormEvent } from 'react';
import { DataTable } from '../../../components/data-table';
import { EmailText } from '../../../components/email-text';
import { describedBy, Field } from '../../../components/field';
import { ProblemAlert } from '../../../components/problem-alert';
import { SubmitButton } from '../../../components/submit-button';
import { SuccessNotice } from '../../../components/success-notice';
import type { Dictionary } from '../../../i18n/en';
import { formatUtcDate } from '../../../i18n/dates';
import { format } from '../../../i18n/format';
import { callApi } from '../../../lib/client-api';
import type { ProblemDetails } from '../../../lib/problem';
import { useFormProblem } from '../../../lib/use-form-problem';
import { useUrlState } from '../../../lib/use-url-state';
import type { UsersParams } from './_queries';
import { fieldText } from '../../../lib/form-fields';
import { TitledCard } from '../../../components/titled-card';

type T = Dictionary['users'];
const ROLES: readonly Role[] = ['ADMIN', 'COMPLIANCE', 'EMPLOYEE'];
const LOCALES: readonly Locale[] = ['en', 'zh-CN', 'ja'];
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

interface Props {
  locale: string;
  meId: string;
  users: ManagedUserView[];
  nextCursor: string | null;
  params: UsersParams;
  problem: ProblemDetails | null;
  t: T;
  table: Dictionary['table'];
  roleNames: Dictionary['roles'];
}

export function UsersBrowser({ locale, meId, users, nextCursor, params, problem, t, table, roleNames }: Props) {
  const { set, pending } = useUrlState();
  const router = useRouter();
  const search = useSearchParams();
  const editing = search.get('edit');
  const creating = search.get('new') === '1';
  const [notice, setNotice] = useState<string | null>(null);

  // The open editor is in the URL without re-running the page's query.
  const setPanel = useCallback((patch: { edit?: string | null; new?: string | null }) => {
    const next = new URLSearchParams(window.location.search);
    for (const [key, value] of Object.entries(patch)) {
      if (value) next.set(key, value);
      else next.delete(key);
    }
    const query = next.toString();
    window.history.pushState(null, '', query ? `?${query}` : window.location.pathname);
  }, []);

  function done(message: string, saved: ManagedUserView) {
    const pendingRoles = saved.pendingRoles.map((role) => roleNames[role]).join(', ');
    setNotice(pendingRoles ? `${message} ${format(t.pendingNotice, { roles: pendingRoles })}` : message);
    setPanel({ edit: null, new: null });
    router.refresh();
  }

  return (
    <div className="stack">
      <div className="toolbar">
        <form
          className="toolbar__search"
          role="search"
          onSubmit={(event) => {
            event.preventDefault();
            const q = fieldText(new FormData(event.currentTarget), 'q').trim();
            set({ q, cursor: undefined, trail: undefined });
          }}
        >
          <label htmlFor="users-q" className="visually-hidden">
            {t.search}
          </label>
          <input id="users-q" name="q" type="search" className="field__input" placeholder={t.search} defaultValue={params.q ?? ''} key={params.q ?? ''} />
          <button type="submit" className="button button--quiet">
            {t.searchButton}
          </button>
        </form>
        <button type="button" className="button button--primary" onClick={() => setPanel({ new: '1', edit: null })} aria-expanded={creating}>
          {t.add}
        </button>
      </div>

      <SuccessNotice message={notice} testId="users-notice" />
      {creating ? (
        <CreateUser
          t={t}
          table={table}
          roleNames={roleNames}
          onDone={(saved) => done(format(t.created, { name: saved.displayName }), saved)}
          onCancel={() => setPanel({ new: null })}
        />
      ) : null}
      <ProblemAlert problem={problem} />

      <section className={`card table-card${pending ? ' is-pending' : ''}`} aria-label={t.tableLabel}>
        <DataTable
          columns={[
            {
              header: t.columns.name,
              cell: (user) => (
                <>
                  <strong>{user.displayName}</strong>
                  {user.id === meId ? <span className="muted"> ({t.you})</span> : null}
                </>
              ),
            },
            { header: t.columns.email, cell: (user) => <EmailText email={user.email} noEmail={t.noEmail} /> },
            {
              header: t.columns.roles,
              cell: (user) => (
                <span className="flags">
                  {user.roles.map((role) => (
                    <span key={role} className="badge">
                      {roleNames[role]}
                    </span>
                  ))}
                  {user.pendingRoles.map((role) => (
                    <span key={role} className="badge badge--warning" data-testid="pending-role">
                      {format(t.pendingRole, { role: roleNames[role] })}
                    </span>
                  ))}
                </span>
              ),
            },
            { header: t.columns.locale, cell: (user) => t.locales[user.locale] },
            {
              header: t.columns.status,
              cell: (user) => (
                <span className="flags">
                  {user.active ? <span className="badge badge--success">{t.active}</span> : <span className="badge badge--muted">{t.inactive}</span>}
                  {user.active && user.mustChangePassword ? (
                    <span className="badge badge--muted" data-testid="password-not-chosen">
                      {t.passwordNotChosen}
                    </span>
                  ) : null}
                </span>
              ),
            },
            { header: t.columns.created, className: 'muted nowrap', cell: (user) => formatUtcDate(locale, user.createdAt) },
            {
              header: t.columns.actions,
              hiddenHeader: true,
              cell: (user) => (
                <button
                  type="button"
                  className="button button--quiet button--small"
                  aria-label={format(t.edit, { name: user.displayName })}
                  aria-expanded={editing === user.id}
                  onClick={() => setPanel({ edit: editing === user.id ? null : user.id, new: null })}
                >
                  {table.edit}
                </button>
              ),
            },
          ]}
          rows={users}
          rowKey={(user) => user.id}
          testId="users-table"
          rowProps={(user) => ({ 'data-testid': 'user-row', className: editing === user.id ? 'is-selected' : undefined })}
          below={(user) =>
            editing === user.id ? (
              <EditUser
                user={user}
                self={user.id === meId}
                t={t}
                table={table}
                roleNames={roleNames}
                onDone={(saved) => done(format(t.saved, { name: saved.displayName }), saved)}
                onCancel={() => setPanel({ edit: null })}
              />
            ) : null
          }
          empty={problem ? undefined : params.q ? format(t.empty, { q: params.q }) : t.emptyAll}
        />
        <div className="pager">
          <span />
          <div className="pager__buttons">
            <button
              type="button"
              className="button button--quiet"
              disabled={params.trail.length === 0}
              onClick={() => {
                const previous = params.trail[params.trail.length - 1];
                set({ cursor: previous === '~' ? undefined : previous, trail: params.trail.slice(0, -1).join(',') || undefined });
              }}
            >
              ← {table.previous}
            </button>
            <button
              type="button"
              className="button button--quiet"
              disabled={!nextCursor}
              onClick={() => set({ cursor: nextCursor ?? undefined, trail: [...params.trail, params.cursor ?? '~'].join(',') })}
            >
              {table.next} →
            </button>
          </div>
        </div>
      </section>
    </div>
  );
}

interface FormProps {
  t: T;
  table: Dictionary['table'];
  roleNames: Dictionary['roles'];
  onDone: (saved: ManagedUserView) => void;
  onCancel: () => void;
}

interface RoleChecksProps {
  t: T;
  roleNames: Dictionary['roles'];
  selected: readonly Role[];
  /** Asked for and awaiting approval: checked, marked, and kept unless unchecked (unchecking withdraws the grant). */
  pending?: readonly Role[];
  error?: string;
}

function RoleChecks({ t, roleNames, selected, pending = [], error }: RoleChecksProps) {
  return (
    <fieldset className={`fieldset${error ? ' field--invalid' : ''}`} aria-describedby={error ? 'roles-error' : 'roles-hint'}>
      <legend>{t.roles}</legend>
      <p id="roles-hint" className="field__hint">
        {t.rolesHint}
      </p>
      <div className="checks checks--column">
        {ROLES.map((role) => (
          <label key={role} className="check">
            <input type="checkbox" name="roles" value={role} defaultChecked={selected.includes(role) || pending.includes(role)} />
            <span>
              <strong>{roleNames[role]}</strong> <span className="muted">— {t.roleHints[role]}</span>
              {pending.includes(role) ? <span className="badge badge--warning">{format(t.pendingRole, { role: roleNames[role] })}</span> : null}
            </span>
          </label>
        ))}
      </div>
      {error ? (
        <p id="roles-error" className="field__error">
          {error}
        </p>
      ) : null}
    </fieldset>
  );
}

function CreateUser({ t, table, roleNames, onDone, onCancel }: FormProps) {
  const { errors, setErrors, problem, setProblem, busy, setBusy, fail } = useFormProblem();

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    const data = new FormData(form);
    const body = {
      displayName: fieldText(data, 'displayName').trim(),
      email: fieldText(data, 'email').trim(),
      roles: data.getAll('roles').map(String) as Role[],
      locale: (fieldText(data, 'locale') || 'en') as Locale,
      password: fieldText(data, 'password'),
    };
    const next: Record<string, string> = {};
    if (!body.displayName) next.displayName = t.needName;
    if (!EMAIL.test(body.email)) next.email = t.needEmail;
    if (body.roles.length === 0) next.roles = t.needRole;
    if (body.password.length < 12) next.password = t.needPassword;
    setErrors(next);
    setProblem(null);
    if (Object.keys(next).length) {
      const first = form.querySelector<HTMLElement>(`[name="${Object.keys(next)[0]}"]`);
      first?.focus();
      return;
    }
    setBusy(true);
    const res = await callApi<ManagedUserView>('/api/v1/users', { method: 'POST', body });
    setBusy(false);
    if (!res.ok) {
      if (res.status === 409) setErrors({ email: t.emailTaken });
      else fail(res.problem);
      return;
    }
    onDone(res.data);
  }

  return (
    <TitledCard id="create-user-title" title={t.createTitle}>
      <form className="stack" onSubmit={onSubmit} noValidate data-testid="create-user-form">
        <div className="form-grid">
          <Field id="new-name" label={t.displayName} error={errors.displayName}>
            <input
              id="new-name"
              name="displayName"
              className="field__input"
              maxLength={120}
              autoFocus
              aria-invalid={errors.displayName ? true : undefined}
              aria-describedby={describedBy('new-name', false, errors.displayName)}
            />
          </Field>
          <Field id="new-email" label={t.email} error={errors.email}>
            <input
              id="new-email"
              name="email"
              type="email"
              autoComplete="off"
              className="field__input"
              maxLength={254}
              aria-invalid={errors.email ? true : undefined}
              aria-describedby={describedBy('new-email', false, errors.email)}
            />
          </Field>
          <Field id="new-locale" label={t.locale}>
            <select id="new-locale" name="locale" className="field__input" defaultValue="en">
              {LOCALES.map((l) => (
                <option key={l} value={l}>
                  {t.locales[l]}
                </option>
              ))}
            </select>
          </Field>
          <Field id="new-password" label={t.password} hint={t.passwordHint} error={errors.password}>
            <input
              id="new-password"
              name="password"
              type="password"
              autoComplete="new-password"
              className="field__input"
              aria-invalid={errors.password ? true : undefined}
              aria-describedby={describedBy('new-password', true, errors.password)}
            />
          </Field>
        </div>
        <RoleChecks t={t} roleNames={roleNames} selected={['EMPLOYEE']} error={errors.roles} />
        <ProblemAlert problem={problem} />
        <div className="form-actions">
          <SubmitButton busy={busy} label={t.create} busyLabel={t.creating} />
          <button type="button" className="button button--quiet" onClick={onCancel}>
            {table.cancel}
          </button>
        </div>
      </form>
    </TitledCard>
  );
}

/** `self`: one's own roles are changed by another administrator (the API refuses it), so they are shown, not offered. */
function EditUser({ user, self, t, table, roleNames, onDone, onCancel }: FormProps & { user: ManagedUserView; self: boolean }) {
  const { errors, setErrors, problem, setProblem, busy, setBusy, fail } = useFormProblem();
  const [conflict, setConflict] = useState(false);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    const displayName = fieldText(data, 'displayName').trim();
    const asked = [...user.roles, ...user.pendingRoles];
    const roles = self ? user.roles : (data.getAll('roles').map(String) as Role[]);
    const locale = fieldText(data, 'locale') as Locale;
    const active = data.get('active') === 'on';
    const next: Record<string, string> = {};
    if (!displayName) next.displayName = t.needName;
    if (!self && roles.length === 0) next.roles = t.needRole;
    setErrors(next);
    setProblem(null);
    setConflict(false);
    if (Object.keys(next).length) return;
    const body: Record<string, unknown> = {};
    if (displayName !== user.displayName) body.displayName = displayName;
    if (!self && roles.slice().sort().join() !== asked.slice().sort().join()) body.roles = roles;
    if (locale !== user.locale) body.locale = locale;
    if (active !== user.active) body.active = active;
    if (Object.keys(body).length === 0) return onCancel();
    setBusy(true);
    const res = await callApi<ManagedUserView>(`/api/v1/users/${user.id}`, { method: 'PATCH', body });
    setBusy(false);
    if (!res.ok) {
      if (res.status === 409) setConflict(true);
      else fail(res.problem);
      return;
    }
    onDone(res.data);
  }

  const id = `edit-${user.id.slice(0, 8)}`;
  return (
    <form className="stack editor" onSubmit={onSubmit} noValidate data-testid="edit-user-form" aria-label={format(t.editTitle, { name: user.displayName })}>
      <div className="form-grid">
        <Field id={`${id}-name`} label={t.displayName} error={errors.displayName}>
          <input
            id={`${id}-name`}
            name="displayName"
            className="field__input"
            defaultValue={user.displayName}
            maxLength={120}
            autoFocus
            aria-invalid={errors.displayName ? true : undefined}
          />
        </Field>
        <Field id={`${id}-locale`} label={t.locale}>
          <select id={`${id}-locale`} name="locale" className="field__input" defaultValue={user.locale}>
            {LOCALES.map((l) => (
              <option key={l} value={l}>
                {t.locales[l]}
              </option>
            ))}
          </select>
        </Field>
        <div className="field">
          <label className="check check--block">
            <input type="checkbox" name="active" defaultChecked={user.active} aria-describedby={`${id}-active-hint`} />
            {t.accountActive}
          </label>
          <p id={`${id}-active-hint`} className="field__hint">
            {t.deactivateHint}
          </p>
        </div>
      </div>
      {self ? (
        <p className="field__hint" data-testid="own-roles">
          {t.ownRoles}
        </p>
      ) : (
        <RoleChecks t={t} roleNames={roleNames} selected={user.roles} pending={user.pendingRoles} error={errors.roles} />
      )}
      {conflict ? (
        <p className="alert alert--error" role="alert" data-testid="last-admin">
          {t.lastAdmin}
        </p>
      ) : null}
      <ProblemAlert problem={problem} />
      <div className="form-actions">
        <SubmitButton busy={busy} label={table.save} busyLabel={table.saving} />
        <button type="button" className="button button--quiet" onClick={onCancel}>
          {table.cancel}
        </button>
      </div>
    </form>
  );
}
