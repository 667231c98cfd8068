import type { LookupAddress } from 'node:dns';
import { request as httpRequest, type OutgoingHttpHeaders } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { isIP, type LookupFunction } from 'node:net';

/**
 * What a failed attempt records and the delivery log shows: a category, never an address, a port,
 * a stack trace or the receiver's response body (docs/architecture.md, "Webhook targets").
 */
export type DeliveryFailure =
  | 'target address not allowed'
  | 'host name did not resolve'
  | 'connection refused'
  | 'connection reset'
  | 'host unreachable'
  | 'timeout'
  | 'TLS error'
  | 'invalid HTTP response'
  | 'network error';

/** `answered`: the receiver sent response headers (any status); otherwise why not, with the low-level code for the server log. */
export type PostOutcome = { answered: true; status: number } | { answered: false; failure: DeliveryFailure; code: string };

const TLS_ERROR =
  /^(?:EPROTO$|ERR_TLS_|ERR_SSL_|ERR_OSSL_|CERT_|UNABLE_TO_|DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN|HOSTNAME_MISMATCH|INVALID_CA|INVALID_PURPOSE)/;

function failureOf(code: string): DeliveryFailure {
  if (code === 'ECONNREFUSED') return 'connection refused';
  if (code === 'ECONNRESET' || code === 'EPIPE' || code === 'ECONNABORTED') return 'connection reset';
  if (code === 'EHOSTUNREACH' || code === 'ENETUNREACH' || code === 'EADDRNOTAVAIL') return 'host unreachable';
  if (code === 'ETIMEDOUT') return 'timeout';
  if (TLS_ERROR.test(code)) return 'TLS error';
  if (code.startsWith('HPE_')) return 'invalid HTTP response';
  return 'network error';
}

/**
 * A DNS lookup that answers only the addresses already checked: the socket connects to one of
 * them whatever the name resolves to by then (no DNS rebinding between check and connect), while
 * the URL's host name still goes out as Host and as TLS SNI, and the certificate is verified against it.
 */
export function pinnedLookup(addresses: readonly string[]): LookupFunction {
  const answers: LookupAddress[] = addresses.map((address) => ({ address, family: isIP(address) }));
  return (_hostname, options, callback) => {
    const wanted = options.family === 4 || options.family === 6 ? answers.filter((answer) => answer.family === options.family) : answers;
    const usable = wanted.length > 0 ? wanted : answers;
    if (options.all) callback(null, usable);
    else callback(null, usable[0].address, usable[0].family);
  };
}

/**
 * POSTs `body` to `url`, connecting only to `addresses`. Redirects are not followed, the response
 * body is not read, and the whole exchange up to the response headers has `timeoutMs`.
 */
export function postPinned(url: URL, addresses: readonly string[], headers: OutgoingHttpHeaders, body: string, timeoutMs: number): Promise<PostOutcome> {
  const signal = AbortSignal.timeout(timeoutMs);
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve) => {
    const request = send(
      url,
      { method: 'POST', headers: { ...headers, 'content-length': Buffer.byteLength(body) }, lookup: pinnedLookup(addresses), agent: false, signal },
      (response) => {
        resolve({ answered: true, status: response.statusCode ?? 0 });
        response.destroy();
      },
    );
    request.on('error', (error: NodeJS.ErrnoException) => {
      const code = signal.aborted ? 'TIMEOUT' : (error.code ?? 'UNKNOWN');
      resolve({ answered: false, failure: signal.aborted ? 'timeout' : failureOf(code), code });
    });
    request.end(body);
  });
}
