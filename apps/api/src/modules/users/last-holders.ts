import type { Tx, UserRole } from '@retract/db';
import { conflict } from '../../common/problem/problem';

/** The organisation keeps an active administrator, and an active compliance officer (who approves the next one). */
export async function assertAnotherActive(tx: Tx, tenantId: string, role: UserRole, exceptUserId: string): Promise<void> {
  const others = await tx.user.count({ where: { tenantId, active: true, roles: { has: role }, id: { not: exceptUserId } } });
  if (others === 0) throw conflict(`The organisation must keep at least one active ${role === 'ADMIN' ? 'administrator' : 'compliance officer'}.`);
}

/** Refuses to end the account of the last active administrator or compliance officer (409). */
export async function assertNotLastHolder(tx: Tx, tenantId: string, user: { id: string; roles: readonly UserRole[]; active: boolean }): Promise<void> {
  if (!user.active) return;
  for (const role of ['ADMIN', 'COMPLIANCE'] as const) if (user.roles.includes(role)) await assertAnotherActive(tx, tenantId, role, user.id);
}
