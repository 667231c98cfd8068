import type { Locale } from '@retract/contracts';
import { Prisma, inTenant, type Db, type Tx } from '@retract/db';
import { randomBytes, randomUUID } from 'node:crypto';
import { conflict } from '../../common/problem/problem';
import { hashPassword } from '../auth/passwords';

export interface ProvisionTenantInput {
  slug: string;
  name: string;
  locale: Locale;
  adminEmail: string;
  adminName?: string;
  adminPassword?: string;
  /** The first compliance officer (the HTTP endpoint and the CLI require one; seeds and tests may add theirs directly). */
  complianceEmail?: string;
  complianceName?: string;
  compliancePassword?: string;
}

export interface ProvisionedTenant {
  tenant: { id: string; slug: string; name: string; locale: Locale };
  admin: { id: string; email: string; displayName: string };
  /** Set only when no password was given: shown once, never stored in clear. */
  generatedPassword?: string;
  compliance?: { id: string; email: string; displayName: string };
  complianceGeneratedPassword?: string;
}

async function initialPassword(given: string | undefined) {
  const generated = given ? undefined : randomBytes(18).toString('base64url');
  return { generated, hash: await hashPassword(given ?? generated!) };
}

/** Steps other modules add to a new tenant inside the same transaction (initial policy, audit log head, keys). */
export type TenantInitializer = (tx: Tx, tenantId: string, adminId: string) => Promise<void>;

export async function provisionTenant(db: Db, input: ProvisionTenantInput, initializers: TenantInitializer[] = []): Promise<ProvisionedTenant> {
  const [existing] = await db.$queryRaw<{ id: string | null }[]>(Prisma.sql`SELECT tenant_id_for_slug(${input.slug}) AS id`);
  if (existing?.id) throw conflict(`The organisation slug "${input.slug}" is taken.`);
  const adminPassword = await initialPassword(input.adminPassword);
  const compliancePassword = input.complianceEmail ? await initialPassword(input.compliancePassword) : undefined;
  const tenantId = randomUUID();
  const email = input.adminEmail.toLowerCase();
  return inTenant(db, { tenantId }, async (tx) => {
    const tenant = await tx.tenant.create({ data: { id: tenantId, slug: input.slug, name: input.name, locale: input.locale } });
    const admin = await tx.user.create({
      data: { tenantId, email, displayName: input.adminName ?? 'Administrator', roles: ['ADMIN'], locale: input.locale, passwordHash: adminPassword.hash },
    });
    const compliance =
      input.complianceEmail && compliancePassword
        ? await tx.user.create({
            data: {
              tenantId,
              email: input.complianceEmail.toLowerCase(),
              displayName: input.complianceName ?? 'Compliance officer',
              roles: ['COMPLIANCE'],
              locale: input.locale,
              passwordHash: compliancePassword.hash,
            },
          })
        : undefined;
    for (const initialize of initializers) await initialize(tx, tenantId, admin.id);
    return {
      tenant: { id: tenant.id, slug: tenant.slug, name: tenant.name, locale: tenant.locale as Locale },
      admin: { id: admin.id, email: admin.email, displayName: admin.displayName },
      generatedPassword: adminPassword.generated,
      ...(compliance
        ? {
            compliance: { id: compliance.id, email: compliance.email, displayName: compliance.displayName },
            complianceGeneratedPassword: compliancePassword?.generated,
          }
        : {}),
    };
  });
}
