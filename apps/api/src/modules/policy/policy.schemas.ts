import { z } from 'zod';

/** GET /api/v1/policy/versions: newest first; the cursor is the oldest version of the previous page. */
export const PolicyVersionListQuerySchema = z.strictObject({
  // Versions are PostgreSQL integers: a larger cursor is no version this API returned.
  cursor: z.coerce.number().int().min(2).max(2_147_483_647).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
});
export type PolicyVersionListQuery = z.infer<typeof PolicyVersionListQuerySchema>;
