import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { TwsSimControl } from './control.js';
import { END_MARKERS, type EndMarker } from './fault-state.js';
import { LOOPBACK_HOSTS } from './server.js';

/** A running admin endpoint. */
export interface AdminEndpoint {
  readonly port: number;
  close(): Promise<void>;
}

const MAX_BODY_BYTES = 64 * 1024;

class BadRequest extends Error {}

type Body = Record<string, unknown>;
type Route = (control: TwsSimControl, body: Body) => unknown;

const number = (body: Body, key: string, fallback?: number): number => {
  const value = body[key] ?? fallback;
  if (typeof value !== 'number' || !Number.isFinite(value)) throw new BadRequest(`"${key}" must be a number`);
  return value;
};
const optionalNumber = (body: Body, key: string): number | undefined =>
  body[key] === undefined ? undefined : number(body, key);
const text = (body: Body, key: string): string => {
  const value = body[key];
  if (typeof value !== 'string' || value === '') throw new BadRequest(`"${key}" must be a non-empty string`);
  return value;
};
const marker = (body: Body): EndMarker => {
  const value = text(body, 'marker');
  if (!(END_MARKERS as readonly string[]).includes(value))
    throw new BadRequest(`"marker" must be one of ${END_MARKERS.join(', ')}`);
  return value as EndMarker;
};

/**
 * The admin routes: `POST /<name>` with a JSON body, answered with JSON. The table is the
 * endpoint's documentation (README "Admin endpoint").
 */
export const ADMIN_ROUTES: Readonly<Record<string, Route>> = {
  status: (control) => ({ sessions: control.sessions(), orders: control.orders().length }),
  sessions: (control) => control.sessions(),
  orders: (control) => control.orders(),
  'drop-connections': (control, body) => ({
    dropped: control.dropConnections(optionalNumber(body, 'clientId')),
  }),
  notice: (control, body) => ({
    sent: control.sendNotice(
      number(body, 'code'),
      typeof body.message === 'string' ? body.message : undefined,
      optionalNumber(body, 'clientId'),
    ),
  }),
  'delay-end-marker': (control, body) => control.delayEndMarker(marker(body), number(body, 'delayMs')),
  'withhold-end-marker': (control, body) => control.withholdEndMarker(marker(body)),
  'restore-end-marker': (control, body) => control.restoreEndMarker(marker(body)),
  'duplicate-order-messages': (control, body) => control.duplicateOrderMessages(number(body, 'copies')),
  'two-stage-what-if': (control, body) => control.twoStageWhatIf(body.enabled !== false),
  'reject-next-order': (control, body) =>
    control.rejectNextOrder(text(body, 'reason'), number(body, 'count', 1)),
  'warn-next-order': (control, body) => control.warnNextOrder(text(body, 'text')),
  'hold-client-ids': (control, body) => control.holdClientIdsAfterDisconnect(number(body, 'ms')),
  price: (control, body) => {
    const symbol = text(body, 'symbol');
    if (body.price !== undefined) control.setPrice(symbol, number(body, 'price'));
    return { symbol, price: control.price(symbol) };
  },
  'advance-clock': (control, body) => control.advanceClock(number(body, 'ms')),
  reset: (control) => control.reset(),
};

async function readBody(request: IncomingMessage): Promise<Body> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new BadRequest('body too large');
    chunks.push(chunk as Buffer);
  }
  if (size === 0) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    throw new BadRequest('body is not JSON');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
    throw new BadRequest('body must be a JSON object');
  return parsed as Body;
}

function reply(response: ServerResponse, status: number, payload: unknown): void {
  const body = JSON.stringify(payload ?? { ok: true });
  response.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(body),
  });
  response.end(body);
}

/**
 * Starts a small HTTP endpoint on a loopback address that exposes the control API to other
 * processes (the standalone `tws-sim` bin, CI scripts): `GET /status`, `POST /notice` with
 * `{"code":1100}`, `POST /price` with `{"symbol":"AAPL","price":190}`, and the rest of
 * {@link ADMIN_ROUTES}.
 */
export function startAdminEndpoint(
  control: TwsSimControl,
  options: { host?: string; port: number },
): Promise<AdminEndpoint> {
  const host = options.host ?? '127.0.0.1';
  if (!LOOPBACK_HOSTS.has(host))
    return Promise.reject(new RangeError(`the admin endpoint listens on loopback only, not ${host}`));
  const server = createServer((request, response) => {
    const name = (request.url ?? '/').split('?')[0]!.replace(/^\/+/, '').replace(/\/+$/, '');
    const route = ADMIN_ROUTES[name];
    if (route === undefined) {
      reply(response, 404, { error: `no route /${name}; routes: ${Object.keys(ADMIN_ROUTES).join(', ')}` });
      return;
    }
    if (
      request.method !== 'POST' &&
      !(request.method === 'GET' && ['status', 'sessions', 'orders'].includes(name))
    ) {
      reply(response, 405, { error: `use POST /${name}` });
      return;
    }
    readBody(request)
      .then((body) => reply(response, 200, route(control, body) ?? { ok: true }))
      .catch((error: unknown) => {
        // Everything the control throws is about the request (unknown symbol, wrong clock, bad value).
        reply(response, 400, { error: error instanceof Error ? error.message : String(error) });
      });
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, host, () => {
      server.off('error', reject);
      const address = server.address();
      const port = address !== null && typeof address === 'object' ? address.port : options.port;
      resolve({
        port,
        close: () =>
          new Promise<void>((done) => {
            server.closeAllConnections();
            server.close(() => done());
          }),
      });
    });
  });
}
