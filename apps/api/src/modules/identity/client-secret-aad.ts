/** The client secret is bound to its organisation and client id: moved to another row, it does not open (docs/identity.md). */
export const clientSecretAad = (tenantId: string, clientId: string) => `retract:sso-client-secret:${tenantId}:${clientId}`;
