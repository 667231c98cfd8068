import { RequestMethod, type IHttp, type IHttpRequest, type IHttpResponse } from '@rocket.chat/apps-engine/definition/accessors';

/**
 * Rocket.Chat's HTTP accessor as the engine defines it, over fetch: what the app's handlers call
 * reaches a real server. Like Rocket.Chat's, it answers every status (never throws for 4xx/5xx),
 * gives the body as `content` and, when it is JSON, parsed as `data`; it throws when there is no answer.
 */
export function fetchHttp(log: { method: string; url: string; headers: Record<string, string>; status: number }[] = []): IHttp {
  const call =
    (method: RequestMethod) =>
    async (url: string, options: IHttpRequest = {}): Promise<IHttpResponse> => {
      const target = new URL(url);
      for (const [name, value] of Object.entries(options.params ?? {})) target.searchParams.set(name, value);
      if (options.query) target.search = options.query;
      const headers = { ...(options.headers ?? {}) };
      const body = options.content ?? (options.data === undefined ? undefined : JSON.stringify(options.data));
      const response = await fetch(target, {
        method: method.toUpperCase(),
        headers,
        body,
        signal: options.timeout ? AbortSignal.timeout(options.timeout) : undefined,
      });
      const content = await response.text();
      let data: unknown;
      if ((response.headers.get('content-type') ?? '').includes('json') && content) data = JSON.parse(content);
      log.push({ method: method.toUpperCase(), url: target.toString(), headers, status: response.status });
      return { url: target.toString(), method, statusCode: response.status, headers: Object.fromEntries(response.headers), content, data };
    };
  return {
    get: call(RequestMethod.GET),
    post: call(RequestMethod.POST),
    put: call(RequestMethod.PUT),
    del: call(RequestMethod.DELETE),
    patch: call(RequestMethod.PATCH),
  };
}
