import { Agent } from 'node:http';
import { httpJson, type HttpAnswer } from '../../bench/load';

/** JSON over HTTP to one API on keep-alive connections (the load code's request, bench/load.ts). */
export class ApiClient {
  readonly agent: Agent;

  constructor(
    readonly base: URL,
    maxSockets = 64,
  ) {
    this.agent = new Agent({ keepAlive: true, maxSockets });
  }

  call(method: string, path: string, token?: string, body?: unknown): Promise<HttpAnswer> {
    return httpJson(this.agent, this.base, method, path, token, body);
  }

  /** The parsed answer; any other status than `expected` throws with the problem document. */
  async json<T>(method: string, path: string, token?: string, body?: unknown, expected: number[] = [200, 201]): Promise<T> {
    const answer = await this.call(method, path, token, body);
    if (!expected.includes(answer.status)) throw new Error(`${method} ${path} answered ${answer.status}: ${answer.body.slice(0, 500)}`);
    return (answer.body ? JSON.parse(answer.body) : undefined) as T;
  }

  close(): void {
    this.agent.destroy();
  }
}
