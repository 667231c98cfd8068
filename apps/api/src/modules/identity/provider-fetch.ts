import { checkWebhookTarget, describeWebhookTargetRefusal, webhookTargetHost, type WebhookAllowEntry } from '@retract/contracts';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { CustomFetchOptions } from 'openid-client';
import { pinnedLookup } from '../webhooks/webhook-transport';

/** Discovery documents, JWKS and token answers are small; a provider answering more is refused. */
const MAX_PROVIDER_RESPONSE_BYTES = 1024 * 1024;

/** An issuer or provider endpoint on an address the server may not reach (docs/identity.md, "Provider addresses"). */
export class ProviderAddressRefused extends Error {}

function requestBody(body: CustomFetchOptions['body']): string | Buffer | undefined {
  if (body === undefined || body === null) return undefined;
  if (typeof body === 'string' || body instanceof URLSearchParams) return body.toString();
  if (body instanceof ArrayBuffer || ArrayBuffer.isView(body)) return Buffer.from(body as ArrayBuffer);
  throw new TypeError('a streamed request body is not sent to an OpenID provider');
}

export type ResolveHost = (hostname: string) => Promise<string[]>;

/**
 * Where the API may send a request on an organisation's behalf to its OpenID provider: public
 * addresses only, unless the host or its range is in SSO_ALLOWED_ISSUERS. The same rule as webhook
 * targets (libs/contracts/src/webhook-target.ts), applied to every URL the relying party fetches
 * (discovery, JWKS, token endpoint), because a discovery document may point anywhere.
 */
export class ProviderAddresses {
  constructor(
    private readonly allowList: readonly WebhookAllowEntry[],
    private readonly resolve: ResolveHost,
  ) {}

  /** The addresses `url` may be reached at; throws ProviderAddressRefused otherwise. */
  async check(url: URL): Promise<string[]> {
    const host = webhookTargetHost(url);
    const resolved = host.kind === 'name' ? await this.resolve(host.name) : [];
    // Plain http is the relying party's decision (SSO_ALLOW_INSECURE_ISSUERS), not this check's.
    const check = checkWebhookTarget(url, resolved, { httpsRequired: false, allowList: this.allowList });
    if (!check.ok) throw new ProviderAddressRefused(`${url.origin} ${describeWebhookTargetRefusal(check.refusal)}`);
    return check.addresses;
  }

  /**
   * A fetch for openid-client that connects only to addresses checked just before (no DNS rebinding
   * between the check and the connection), follows no redirects and reads at most 1 MiB.
   */
  readonly fetch = async (resource: string, options: CustomFetchOptions): Promise<Response> => {
    const url = new URL(resource);
    const addresses = await this.check(url);
    const body = requestBody(options.body);
    const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
    const response = await new Promise<IncomingMessage>((resolve, reject) => {
      const request = send(
        url,
        { method: options.method, headers: options.headers, lookup: pinnedLookup(addresses), agent: false, signal: options.signal },
        resolve,
      );
      request.on('error', reject);
      request.end(body);
    });
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of response) {
      size += (chunk as Buffer).length;
      if (size > MAX_PROVIDER_RESPONSE_BYTES) {
        response.destroy();
        throw new ProviderAddressRefused(`${url.origin} answered more than ${MAX_PROVIDER_RESPONSE_BYTES} bytes`);
      }
      chunks.push(chunk as Buffer);
    }
    const headers = new Headers();
    for (const [name, value] of Object.entries(response.headers)) {
      for (const item of Array.isArray(value) ? value : value === undefined ? [] : [value]) headers.append(name, item);
    }
    const status = response.statusCode ?? 502;
    const nullBody = status === 204 || status === 304 || (status >= 100 && status < 200);
    return new Response(nullBody ? null : Buffer.concat(chunks), { status, statusText: response.statusMessage, headers });
  };
}
