import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FaultInjector } from '@brokerkit/exchange-sim';
import type { SessionStore } from '../auth/session-store.js';
import type { RateLimiter } from '../rate-limit/rate-limiter.js';
import { CsvResponse, type KiteServices, type RouteHandler } from '../routes/route-context.js';
import { writeCsv, writeError, writeHtmlError, writeSuccess } from './envelope.js';
import { parseFormBody, RequestParams } from './form-body.js';
import { inputError, KiteApiError } from './kite-api-error.js';
import { DEFAULT_FAULT_MESSAGES, type RequestFault, type RequestFaults } from './request-faults.js';
import type { Router } from './router.js';

/** Largest request body accepted (Kite's bodies are a few hundred bytes; margin baskets a few KB). */
export const MAX_BODY_BYTES = 1 << 20;

/** Handles requests under a path prefix before the API routes (admin endpoint, login page). */
export type SideHandler = (
  request: IncomingMessage,
  response: ServerResponse,
  pathname: string,
  query: URLSearchParams,
) => void;

/** Options of a `KiteRequestHandler`. */
export interface KiteRequestHandlerOptions {
  router: Router<RouteHandler>;
  services: KiteServices;
  sessions: SessionStore;
  rateLimiter: RateLimiter;
  faults: RequestFaults;
  engineFaults: FaultInjector;
  now: () => number;
  /** Extra handlers by exact path or prefix ending in `/`. */
  sideHandlers: ReadonlyMap<string, SideHandler>;
  /** Unexpected errors (bugs), reported without request data. */
  onError: (error: unknown) => void;
}

/**
 * The request pipeline: route lookup, injected faults, body, authentication, rate limit,
 * handler, envelope. Every failure becomes a Kite error envelope; nothing a client sends can
 * throw out of `handle`.
 */
export class KiteRequestHandler {
  readonly #options: KiteRequestHandlerOptions;
  /** Responses held back by `timeout` / `lose` faults or waiting out a delay (released on close). */
  readonly #held = new Set<ServerResponse>();
  readonly #timers = new Set<NodeJS.Timeout>();

  constructor(options: KiteRequestHandlerOptions) {
    this.#options = options;
  }

  /** Handles one request. */
  handle(request: IncomingMessage, response: ServerResponse): void {
    try {
      this.#handle(request, response);
    } catch (error) {
      this.#fail(response, error);
    }
  }

  /** Destroys held responses and pending delays (server shutdown). */
  close(): void {
    for (const timer of this.#timers) clearTimeout(timer);
    this.#timers.clear();
    for (const response of this.#held) response.destroy();
    this.#held.clear();
  }

  #handle(request: IncomingMessage, response: ServerResponse): void {
    const url = request.url ?? '/';
    const queryStart = url.indexOf('?');
    const pathname = queryStart < 0 ? url : url.slice(0, queryStart);
    const query = new URLSearchParams(queryStart < 0 ? '' : url.slice(queryStart + 1));
    const side = this.#sideHandler(pathname);
    if (side !== undefined) {
      side(request, response, pathname, query);
      return;
    }
    const method = request.method ?? 'GET';
    const lookup = this.#options.router.lookup(method, pathname);
    if (lookup.kind !== 'match') {
      request.resume();
      writeError(
        response,
        lookup.kind === 'not-found'
          ? new KiteApiError(404, 'GeneralException', 'Route not found')
          : new KiteApiError(405, 'GeneralException', 'Method not allowed'),
      );
      return;
    }
    let fault: RequestFault | undefined = this.#options.faults.empty
      ? undefined
      : this.#options.faults.take(method, pathname);
    if (fault === undefined && this.#options.engineFaults.takeStall()) fault = { kind: 'timeout' };
    if (fault !== undefined) {
      switch (fault.kind) {
        case 'timeout':
          request.resume();
          this.#hold(response);
          return;
        case 'drop':
          request.socket.destroy();
          return;
        case 'error':
          request.resume();
          writeFault(response, fault);
          return;
        default:
          break;
      }
    }
    const { route, params: pathParams } = lookup.match;
    if (method === 'GET' || (route.body === 'none' && method !== 'POST' && method !== 'PUT')) {
      request.resume();
      this.#process(request, response, route, pathParams, query, '', fault);
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    request.on('data', (chunk: Buffer) => {
      if (tooLarge) return;
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        tooLarge = true;
        response.setHeader('Connection', 'close');
        writeError(response, new KiteApiError(413, 'InputException', 'Request body too large'));
        return;
      }
      chunks.push(chunk);
    });
    request.on('end', () => {
      if (tooLarge) return;
      try {
        this.#process(
          request,
          response,
          route,
          pathParams,
          query,
          Buffer.concat(chunks).toString('utf8'),
          fault,
        );
      } catch (error) {
        this.#fail(response, error);
      }
    });
    request.on('error', () => response.destroy());
  }

  #process(
    request: IncomingMessage,
    response: ServerResponse,
    route: {
      rateClass: 'quote' | 'historical' | 'orders' | 'other';
      authenticated: boolean;
      body: string;
      handler: RouteHandler;
    },
    pathParams: Record<string, string>,
    query: URLSearchParams,
    bodyText: string,
    fault: RequestFault | undefined,
  ): void {
    let status = 200;
    let result: unknown;
    let error: KiteApiError | undefined;
    try {
      const session = route.authenticated
        ? this.#options.sessions.authenticate(header(request, 'authorization'))
        : undefined;
      const body = route.body === 'form' ? parseFormBody(bodyText) : undefined;
      const params = new RequestParams(pathParams, query, body);
      const key = session?.userId ?? params.get('api_key') ?? request.socket.remoteAddress ?? 'anonymous';
      this.#options.rateLimiter.take(key, route.rateClass, this.#options.now());
      let json: unknown;
      if (route.body === 'json') {
        try {
          json = bodyText === '' ? undefined : JSON.parse(bodyText);
        } catch {
          throw inputError('Invalid request body: not valid JSON.');
        }
      }
      result = route.handler({ params, body: json, session, services: this.#options.services });
    } catch (caught) {
      if (caught instanceof KiteApiError) {
        error = caught;
        status = caught.httpStatus;
      } else {
        this.#options.onError(caught);
        error = new KiteApiError(500, 'GeneralException', 'Something unexpected went wrong');
        status = 500;
      }
    }
    const write = () => {
      this.#held.delete(response);
      if (response.destroyed || response.writableEnded) return;
      if (error !== undefined) writeError(response, error);
      else if (result instanceof CsvResponse) writeCsv(response, result.body);
      else writeSuccess(response, result, status);
    };
    if (fault?.kind === 'lose') {
      if (fault.lose === 'reset') request.socket.destroy();
      else this.#hold(response);
      return;
    }
    const delay =
      (fault?.kind === 'delay' ? (fault.delayMs ?? 0) : 0) + this.#options.engineFaults.delayOf('ack');
    if (delay > 0) {
      this.#held.add(response);
      const timer = setTimeout(() => {
        this.#timers.delete(timer);
        write();
      }, delay);
      this.#timers.add(timer);
      return;
    }
    write();
  }

  #hold(response: ServerResponse): void {
    this.#held.add(response);
    response.on('close', () => this.#held.delete(response));
  }

  #sideHandler(pathname: string) {
    const handlers = this.#options.sideHandlers;
    const exact = handlers.get(pathname);
    if (exact !== undefined) return exact;
    for (const [prefix, handler] of handlers)
      if (prefix.endsWith('/') && pathname.startsWith(prefix)) return handler;
    return undefined;
  }

  #fail(response: ServerResponse, error: unknown): void {
    this.#options.onError(error);
    if (response.headersSent) {
      response.destroy();
      return;
    }
    writeError(response, new KiteApiError(500, 'GeneralException', 'Something unexpected went wrong'));
  }
}

function header(request: IncomingMessage, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

const STATUS_TEXT: Readonly<Record<number, string>> = {
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Time-out',
};

function writeFault(response: ServerResponse, fault: RequestFault): void {
  const status = fault.status ?? 503;
  if (fault.html === true) {
    writeHtmlError(response, status, STATUS_TEXT[status] ?? 'Error');
    return;
  }
  const errorType = (fault.errorType ??
    (status >= 500 ? 'NetworkException' : 'GeneralException')) as KiteApiError['errorType'];
  writeError(
    response,
    new KiteApiError(status, errorType, fault.message ?? DEFAULT_FAULT_MESSAGES[status] ?? 'Request failed'),
  );
}
