// The rules of LoginRequestSchema (libs/contracts) as plain regular expressions, for the login
// page and form: importing the schema would put zod into the browser bundle. The API validates
// again and its field errors are shown the same way.
export const TENANT_SLUG = /^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/;
export const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function isTenantSlug(value: string): boolean {
  return value.length >= 2 && value.length <= 63 && TENANT_SLUG.test(value);
}
