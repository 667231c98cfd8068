/**
 * The token of an `Authorization: Bearer <token>` header. The scheme name is case-insensitive
 * (RFC 9110 §11.1: `bearer`, `BEARER` are the same scheme) and one or more spaces separate it from
 * the credentials (§11.4); anything else is not a bearer credential.
 */
export function bearerToken(header: string | undefined): string | undefined {
  const match = header && /^bearer +(\S.*)$/i.exec(header);
  const token = match ? match[1].trim() : '';
  return token || undefined;
}
