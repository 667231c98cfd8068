/** A unique-constraint violation, as Prisma (P2002) or the pg driver (23505) reports it. */
export function isUniqueViolation(error: unknown): boolean {
  const e = error as {
    code?: unknown;
    cause?: { code?: unknown; originalCode?: unknown };
    meta?: { driverAdapterError?: { cause?: { originalCode?: unknown; kind?: unknown } } };
  };
  if (e?.code === 'P2002' || e?.code === '23505') return true;
  if (e?.cause?.code === '23505' || e?.cause?.originalCode === '23505') return true;
  const adapter = e?.meta?.driverAdapterError?.cause;
  return adapter?.originalCode === '23505' || adapter?.kind === 'UniqueConstraintViolation';
}
