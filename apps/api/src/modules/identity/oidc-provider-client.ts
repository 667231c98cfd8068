import * as oidc from 'openid-client';
import type { SsoTestResult } from '@retract/contracts';
import { ProviderAddressRefused, type ProviderAddresses } from './provider-fetch';

/** How long discovery and each call to the provider may take before sign-in reports it unreachable. */
const PROVIDER_TIMEOUT_SECONDS = 10;

export interface ProviderCredentials {
  issuer: string;
  clientId: string;
  clientSecret: string;
}

/** The provider's checks that failed a sign-in, reduced to what the login page tells the person. */
export class ProviderError extends Error {
  constructor(
    readonly code: 'SSO_PROVIDER_REFUSED' | 'SSO_TOKEN_INVALID' | 'SSO_PROVIDER_UNREACHABLE' | 'SSO_FLOW_EXPIRED',
    message: string,
  ) {
    super(message);
  }
}

/** openid-client wraps what its fetch threw ("something went wrong", the refusal as the cause). */
function refusalIn(error: unknown): ProviderAddressRefused | undefined {
  for (let cause = error, depth = 0; cause instanceof Error && depth < 5; cause = cause.cause, depth++) {
    if (cause instanceof ProviderAddressRefused) return cause;
  }
  return undefined;
}

const messageOf = (error: unknown) => refusalIn(error)?.message ?? (error instanceof Error ? error.message : String(error));

function* causes(error: unknown): Generator<unknown> {
  for (let cause = error, depth = 0; cause !== undefined && cause !== null && depth < 6; depth++) {
    yield cause;
    cause = cause instanceof Error ? cause.cause : undefined;
  }
}

const SOCKET_FAILURES: Record<string, string> = {
  ECONNREFUSED: 'the connection was refused (nothing listens there)',
  ECONNRESET: 'the connection was closed before an answer',
  ENOTFOUND: 'the host name does not resolve',
  EAI_AGAIN: 'the host name could not be resolved now',
  EHOSTUNREACH: 'the host cannot be reached',
  ENETUNREACH: 'the network cannot be reached',
};

/**
 * What went wrong fetching a discovery document, in words an administrator can act on: the address
 * refused (and SSO_ALLOWED_ISSUERS for an internal provider), the connection, the timeout, the HTTP
 * status or an answer that is not JSON; openid-client says only "something went wrong".
 */
export function discoveryFailure(error: unknown): string {
  const refusal = refusalIn(error);
  if (refusal) return `${refusal.message}; an internal provider must be listed in SSO_ALLOWED_ISSUERS (docs/identity.md)`;
  for (const cause of causes(error)) {
    if (cause instanceof Response) {
      return cause.status === 200 ? 'the answer is not a JSON discovery document' : `the provider answered HTTP ${cause.status}`;
    }
    const code = (cause as { code?: unknown }).code;
    if (typeof code === 'string' && SOCKET_FAILURES[code]) return SOCKET_FAILURES[code];
    if (code === 'ETIMEDOUT' || (cause instanceof Error && (cause.name === 'AbortError' || cause.name === 'TimeoutError'))) {
      return `no answer within ${PROVIDER_TIMEOUT_SECONDS} seconds`;
    }
    if (typeof code === 'string' && /CERT|SSL|TLS/.test(code)) return `the TLS certificate is not accepted (${code})`;
  }
  const deepest = [...causes(error)].filter((c): c is Error => c instanceof Error).at(-1);
  return deepest?.message ?? messageOf(error);
}

/** Where discovery looks (OpenID Connect Discovery 1.0 §4). */
const discoveryUrl = (issuer: string) => `${issuer.replace(/\/+$/, '')}/.well-known/openid-configuration`;

function classify(error: unknown): ProviderError {
  if (error instanceof ProviderError) return error;
  const message = messageOf(error);
  if (refusalIn(error)) return new ProviderError('SSO_PROVIDER_UNREACHABLE', message);
  if (error instanceof oidc.AuthorizationResponseError || error instanceof oidc.ResponseBodyError) return new ProviderError('SSO_PROVIDER_REFUSED', message);
  if (error instanceof TypeError || (error instanceof Error && (error.name === 'AbortError' || error.name === 'TimeoutError'))) {
    return new ProviderError('SSO_PROVIDER_UNREACHABLE', message);
  }
  const code = (error as { code?: string }).code;
  if (code === 'OAUTH_JSON_ATTRIBUTE_COMPARISON_FAILED' && /state/i.test(message)) return new ProviderError('SSO_FLOW_EXPIRED', message);
  return new ProviderError('SSO_TOKEN_INVALID', message);
}

/**
 * The relying party (openid-client, docs/identity.md): discovery, the authorization code flow with
 * PKCE S256, `state` and `nonce`, and the ID token's issuer, audience, expiry, nonce and signature
 * (from the provider's JWKS: non-repudiation checks on) verified by the library.
 */
export class OidcProviderClient {
  constructor(
    private readonly allowInsecure: boolean,
    /** Every request to the provider goes through it: public addresses or SSO_ALLOWED_ISSUERS only. */
    readonly addresses: ProviderAddresses,
  ) {}

  private options(): oidc.DiscoveryRequestOptions {
    return {
      timeout: PROVIDER_TIMEOUT_SECONDS,
      [oidc.customFetch]: this.addresses.fetch,
      execute: this.allowInsecure ? [oidc.allowInsecureRequests, oidc.enableNonRepudiationChecks] : [oidc.enableNonRepudiationChecks],
    };
  }

  async discover(credentials: ProviderCredentials): Promise<oidc.Configuration> {
    try {
      return await oidc.discovery(
        new URL(credentials.issuer),
        credentials.clientId,
        undefined,
        oidc.ClientSecretPost(credentials.clientSecret),
        this.options(),
      );
    } catch (error) {
      throw new ProviderError('SSO_PROVIDER_UNREACHABLE', `discovery at ${discoveryUrl(credentials.issuer)} failed: ${discoveryFailure(error)}`);
    }
  }

  /** What the provider's discovery document says, for the administrator's "test connection". */
  async probe(issuer: string): Promise<SsoTestResult> {
    try {
      const config = await oidc.discovery(new URL(issuer), 'retract-connection-test', undefined, oidc.None(), this.options());
      const meta = config.serverMetadata();
      // Microsoft Entra ID supports S256 without listing code_challenge_methods_supported at all: only
      // a list that leaves S256 out says the provider refuses it (Retract sends S256 either way).
      const methods = meta.code_challenge_methods_supported;
      const pkceS256 = methods?.includes('S256') ?? false;
      const missing = (['authorization_endpoint', 'token_endpoint', 'jwks_uri'] as const).filter((name) => !meta[name]);
      const problem = missing.length
        ? `The discovery document names no ${missing.join(', ')}.`
        : methods && !pkceS256
          ? 'The provider does not support PKCE with S256, which sign-in requires.'
          : await this.unreachableEndpoint([meta.token_endpoint!, meta.jwks_uri!]);
      return {
        ok: problem === null,
        issuer: meta.issuer,
        authorizationEndpoint: meta.authorization_endpoint ?? null,
        tokenEndpoint: meta.token_endpoint ?? null,
        jwksUri: meta.jwks_uri ?? null,
        endSessionEndpoint: meta.end_session_endpoint ?? null,
        pkceS256,
        problem,
      };
    } catch (error) {
      const message = `${discoveryUrl(issuer)}: ${discoveryFailure(error)}`;
      return {
        ok: false,
        issuer,
        authorizationEndpoint: null,
        tokenEndpoint: null,
        jwksUri: null,
        endSessionEndpoint: null,
        pkceS256: false,
        problem: `Discovery failed at ${message}.`.slice(0, 2000),
      };
    }
  }

  /** The server itself calls the token endpoint and the JWKS: an address it may not reach is a problem now, not at sign-in. */
  private async unreachableEndpoint(urls: string[]): Promise<string | null> {
    for (const url of urls) {
      try {
        await this.addresses.check(new URL(url));
      } catch (error) {
        if (error instanceof ProviderAddressRefused) return `An endpoint of the provider is refused: ${error.message}.`;
        return `An endpoint of the provider is not a URL: ${url}`.slice(0, 2000);
      }
    }
    return null;
  }

  async authorizationUrl(config: oidc.Configuration, redirectUri: string): Promise<{ url: URL; state: string; nonce: string; codeVerifier: string }> {
    const codeVerifier = oidc.randomPKCECodeVerifier();
    const state = oidc.randomState();
    const nonce = oidc.randomNonce();
    const url = oidc.buildAuthorizationUrl(config, {
      redirect_uri: redirectUri,
      response_type: 'code',
      scope: 'openid email profile',
      state,
      nonce,
      code_challenge: await oidc.calculatePKCECodeChallenge(codeVerifier),
      code_challenge_method: 'S256',
    });
    return { url, state, nonce, codeVerifier };
  }

  /** Exchanges the code and answers the verified ID token's claims; any failed check throws a ProviderError. */
  async finish(
    config: oidc.Configuration,
    callbackUrl: URL,
    checks: { state: string; nonce: string; codeVerifier: string },
  ): Promise<{ claims: oidc.IDToken; idToken: string }> {
    try {
      const tokens = await oidc.authorizationCodeGrant(config, callbackUrl, {
        pkceCodeVerifier: checks.codeVerifier,
        expectedState: checks.state,
        expectedNonce: checks.nonce,
        idTokenExpected: true,
      });
      const claims = tokens.claims();
      if (!claims || !tokens.id_token) throw new ProviderError('SSO_TOKEN_INVALID', 'the provider answered no ID token');
      return { claims, idToken: tokens.id_token };
    } catch (error) {
      throw classify(error);
    }
  }

  /** RP-initiated logout, when the provider advertises an end_session_endpoint; the ID token as the hint when kept. */
  endSessionUrl(config: oidc.Configuration, postLogoutRedirectUri: string, idTokenHint: string | undefined): string | null {
    if (!config.serverMetadata().end_session_endpoint) return null;
    return oidc.buildEndSessionUrl(config, {
      client_id: config.clientMetadata().client_id,
      post_logout_redirect_uri: postLogoutRedirectUri,
      ...(idTokenHint ? { id_token_hint: idTokenHint } : {}),
    }).href;
  }
}
