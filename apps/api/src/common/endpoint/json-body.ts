import type { FastifyInstance } from 'fastify';
import { ProblemException } from '../problem/problem';

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * JSON bodies are UTF-8 (RFC 8259 §8.1) and are decoded strictly. Fastify's own parser decodes
 * with replacement: bytes that are not UTF-8 became U+FFFD and were stored changed (a truncated
 * four-byte sequence even passed its length check). Here they are refused, 400 MALFORMED_JSON;
 * parsing is otherwise Fastify's (__proto__ and constructor keys refused).
 *
 * An empty body on a request that carries none (DELETE, GET, HEAD, OPTIONS) is no body: identity
 * providers and HTTP libraries send Content-Type on every request (docs/identity.md, "SCIM
 * provisioning"). An empty body where one is expected (POST, PUT, PATCH) stays 400 MALFORMED_JSON.
 */
const BODYLESS_METHODS = new Set(['DELETE', 'GET', 'HEAD', 'OPTIONS']);

export function useStrictJsonBodies(fastify: FastifyInstance): void {
  const parseJson = fastify.getDefaultJsonParser('error', 'error');
  fastify.removeContentTypeParser('application/json');
  // SCIM clients send application/scim+json (RFC 7644 §3.1): the same JSON, read the same way.
  fastify.addContentTypeParser(['application/json', 'application/scim+json'], { parseAs: 'buffer' }, (request, body, done) => {
    if ((body as Buffer).length === 0 && BODYLESS_METHODS.has(request.method)) {
      done(null, undefined);
      return;
    }
    let text: string;
    try {
      text = strictUtf8.decode(body as Buffer);
    } catch {
      done(new ProblemException({ status: 400, code: 'MALFORMED_JSON', detail: 'The request body is not valid UTF-8.' }), undefined);
      return;
    }
    // Fastify's default parser answers through `done`, synchronously; its type also allows a promise.
    void parseJson(request, text, done);
  });
}
