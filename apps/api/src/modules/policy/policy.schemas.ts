import { z } from 'zod';

/** GET /api/v1/policy/versions: newest first; the cursor is the oldest version of the previous page. */
export const PolicyVersionListQuerySchema = z.strictObject({
  cursor: z.coerce.number().int().min(2).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
});
export type PolicyVersionListQuery = z.infer<typeof PolicyVersionListQuerySchema>;
