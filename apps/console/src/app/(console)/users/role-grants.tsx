'use client';

import type { RoleGrantView } from '@retract/contracts';
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { EmailText } from '../../../components/email-text';
import { ProblemAlert } from '../../../components/problem-alert';
import { SuccessNotice } from '../../../components/success-notice';
import type { Dictionary } from '../../../i18n/en';
import { formatUtc } from '../../../i18n/dates';
import { format } from '../../../i18n/format';
import { callApi } from '../../../lib/client-api';
import type { ProblemDetails } from '../../../lib/problem';

interface Props {
  locale: string;
  meId: string;
  grants: RoleGrantView[];
  /** A compliance officer decides; an administrator sees the grants waiting. */
  canDecide: boolean;
  problem: ProblemDetails | null;
  t: Dictionary['roleGrants'];
  roleNames: Dictionary['roles'];
}

/** COMPLIANCE grants that wait for a second person (docs/architecture.md, "Who can do what"). */
export function RoleGrants({ locale, meId, grants, canDecide, problem, t, roleNames }: Props) {
  const router = useRouter();
  const [busy, setBusy] = useState<string | null>(null);
  const [failure, setFailure] = useState<ProblemDetails | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  async function decide(grant: RoleGrantView, decision: 'approve' | 'refuse') {
    setBusy(grant.id);
    setFailure(null);
    const res = await callApi<void>(`/api/v1/role-grants/${grant.id}/${decision}`, { method: 'POST' });
    setBusy(null);
    if (!res.ok) return setFailure(res.problem);
    setNotice(format(decision === 'approve' ? t.approved : t.refused, { name: grant.user.displayName }));
    router.refresh();
  }

  return (
    <section className="card table-card" aria-labelledby="role-grants-title" data-testid="role-grants">
      <div className="card__head card__head--padded">
        <h2 id="role-grants-title" className="card__title">
          {t.title}
        </h2>
        <p className="muted">{canDecide ? t.leadCompliance : t.leadAdmin}</p>
        <ProblemAlert problem={failure ?? problem} />
        <SuccessNotice message={notice} />
      </div>
      {grants.length === 0 ? (
        <p className="muted card__body">{t.none}</p>
      ) : (
        <div className="table-scroll">
          <table className="table">
            <thead>
              <tr>
                <th scope="col">{t.person}</th>
                <th scope="col">{t.role}</th>
                <th scope="col">{t.requested}</th>
                <th scope="col">
                  <span className="visually-hidden">{t.awaiting}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {grants.map((grant) => {
                const own = grant.user.id === meId || grant.requestedBy.id === meId;
                const adminPasswordId = `grant-${grant.id}-admin-password`;
                return (
                  <tr key={grant.id} data-testid="role-grant-row">
                    <td>
                      {grant.user.displayName}
                      <br />
                      <EmailText className="muted" email={grant.user.email} noEmail={t.noEmail} />
                      {grant.granteeMustChangePassword ? (
                        <>
                          <br />
                          <span id={adminPasswordId} className="badge badge--warning" data-testid="grantee-admin-password">
                            {t.adminPassword}
                          </span>
                        </>
                      ) : null}
                    </td>
                    <td>{roleNames[grant.role]}</td>
                    <td className="muted">
                      {formatUtc(locale, grant.requestedAt)}
                      <br />
                      {format(t.requestedBy, { name: grant.requestedBy.displayName })}
                    </td>
                    <td className="nowrap">
                      {!canDecide ? (
                        <span className="badge badge--warning">{t.awaiting}</span>
                      ) : own ? (
                        <span className="muted">{t.ownGrant}</span>
                      ) : (
                        <>
                          <button
                            type="button"
                            className="button"
                            disabled={busy !== null || grant.granteeMustChangePassword}
                            aria-describedby={grant.granteeMustChangePassword ? adminPasswordId : undefined}
                            title={grant.granteeMustChangePassword ? t.approveAfterOwnPassword : undefined}
                            onClick={() => void decide(grant, 'approve')}
                          >
                            {t.approve}
                          </button>{' '}
                          <button type="button" className="button button--quiet" disabled={busy !== null} onClick={() => void decide(grant, 'refuse')}>
                            {t.refuse}
                          </button>
                        </>
                      )}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
