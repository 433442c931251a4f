import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A request the fake server received. */
export interface FakeRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  body: string;
  headers: IncomingMessage['headers'];
}

/** What a route answers: JSON data (wrapped in the Kite envelope), a Kite error, or a raw reply. */
export type FakeReply =
  | { data: unknown; status?: number }
  | { error: string; errorType: string; status: number }
  | { raw: string; status: number; contentType: string; statusText?: string }
  | { hang: true };

export type FakeHandler = (request: FakeRequest) => FakeReply | Promise<FakeReply>;

/**
 * A loopback HTTP server that answers like Kite for the unit tests of this package (the
 * end-to-end tests use kite-sim). Routes are `METHOD /path` keys; unknown routes answer 404.
 */
export class FakeKiteServer {
  readonly requests: FakeRequest[] = [];
  readonly routes = new Map<string, FakeHandler>();
  #server: Server | undefined;
  #hanging = new Set<ServerResponse>();

  on(route: string, handler: FakeHandler): this {
    this.routes.set(route, handler);
    return this;
  }

  async start(): Promise<string> {
    this.#server = createServer((request, response) => void this.#handle(request, response));
    await new Promise<void>((resolve) => this.#server!.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.#server!.address() as AddressInfo).port}`;
  }

  async close(): Promise<void> {
    for (const response of this.#hanging) response.destroy();
    this.#server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.#server ? this.#server.close(() => resolve()) : resolve()));
  }

  async #handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const url = new URL(request.url ?? '/', 'http://localhost');
    const fake: FakeRequest = {
      method: request.method ?? 'GET',
      path: url.pathname,
      query: url.searchParams,
      body: Buffer.concat(chunks).toString(),
      headers: request.headers,
    };
    this.requests.push(fake);
    const handler = this.#match(fake);
    const reply: FakeReply = handler
      ? await handler(fake)
      : { error: `no route ${fake.method} ${fake.path}`, errorType: 'GeneralException', status: 404 };
    if ('hang' in reply) {
      this.#hanging.add(response);
      return;
    }
    if ('raw' in reply) {
      response.writeHead(reply.status, reply.statusText ?? '', { 'Content-Type': reply.contentType });
      response.end(reply.raw);
      return;
    }
    const body =
      'data' in reply
        ? JSON.stringify({ status: 'success', data: reply.data })
        : JSON.stringify({ status: 'error', message: reply.error, data: null, error_type: reply.errorType });
    response.writeHead('data' in reply ? (reply.status ?? 200) : reply.status, {
      'Content-Type': 'application/json',
    });
    response.end(body);
  }

  #match(request: FakeRequest): FakeHandler | undefined {
    const exact = this.routes.get(`${request.method} ${request.path}`);
    if (exact) return exact;
    for (const [route, handler] of this.routes) {
      const [method, pattern] = route.split(' ');
      if (method !== request.method || pattern === undefined || !pattern.includes(':')) continue;
      const regex = new RegExp(`^${pattern.replace(/:[a-z_]+/g, '[^/]+')}$`);
      if (regex.test(request.path)) return handler;
    }
    return undefined;
  }
}
