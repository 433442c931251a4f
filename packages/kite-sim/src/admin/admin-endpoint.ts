import type { IncomingMessage, ServerResponse } from 'node:http';
import type { KiteSimControl } from '../control.js';
import { writeError, writeSuccess } from '../http/envelope.js';
import { KiteApiError } from '../http/kite-api-error.js';
import type { RequestFault } from '../http/request-faults.js';

/** Path prefix of the admin endpoint. */
export const ADMIN_PREFIX = '/__kite-sim/';

const MAX_ADMIN_BODY = 64 * 1024;

/** True for a loopback peer address (IPv4, IPv6, IPv4-mapped). */
export function isLoopback(address: string | undefined): boolean {
  if (address === undefined) return false;
  return address === '::1' || address.startsWith('127.') || address.startsWith('::ffff:127.');
}

type AdminCommand = (control: KiteSimControl, body: Record<string, unknown>) => unknown;

function numberOf(body: Record<string, unknown>, field: string): number {
  const value = body[field];
  if (typeof value !== 'number' || !Number.isFinite(value))
    throw new KiteApiError(400, 'InputException', `\`${field}\` must be a number`);
  return value;
}

function optionalString(body: Record<string, unknown>, field: string): string | undefined {
  const value = body[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string')
    throw new KiteApiError(400, 'InputException', `\`${field}\` must be a string`);
  return value;
}

function optionalNumber(body: Record<string, unknown>, field: string): number | undefined {
  return body[field] === undefined ? undefined : numberOf(body, field);
}

/**
 * Commands of the admin endpoint, by `METHOD path` after the prefix. Bodies are JSON; answers
 * use the Kite envelope.
 */
export const ADMIN_COMMANDS: Readonly<Record<string, AdminCommand>> = {
  'GET health': (control) => ({
    api_key: control.apiKey,
    user_id: control.userId,
    ticker_connections: control.tickerConnections,
  }),
  'GET orders': (control) => control.orders(),
  'POST price': (control, body) => {
    const instrument = body.instrument;
    if (typeof instrument !== 'string' && typeof instrument !== 'number') {
      throw new KiteApiError(400, 'InputException', '`instrument` must be EXCHANGE:TRADINGSYMBOL or a token');
    }
    control.setPrice(instrument, numberOf(body, 'price'));
    return { instrument, last_price: control.price(instrument) };
  },
  'POST clock/advance': (control, body) => {
    control.advanceClock(numberOf(body, 'ms'));
    return { now: control.clock.now() };
  },
  'POST request-token': (control) => ({ request_token: control.createRequestToken() }),
  'POST access-token': (control, body) => ({
    access_token: control.issueAccessToken(optionalString(body, 'access_token')),
  }),
  'POST tokens/expire': (control) => ({ expired: control.expireTokens() }),
  'POST orders/reject-next': (control, body) => {
    control.rejectNextOrder(optionalString(body, 'reason'), optionalNumber(body, 'count') ?? 1);
    return true;
  },
  'POST faults': (control, body) => {
    const kind = body.kind;
    if (kind !== 'error' && kind !== 'timeout' && kind !== 'drop' && kind !== 'delay' && kind !== 'lose') {
      throw new KiteApiError(400, 'InputException', '`kind` must be error, timeout, drop, delay or lose');
    }
    const lose = optionalString(body, 'lose');
    const fault: RequestFault = {
      kind,
      count: optionalNumber(body, 'count'),
      method: optionalString(body, 'method'),
      path: optionalString(body, 'path'),
      status: optionalNumber(body, 'status'),
      errorType: optionalString(body, 'error_type'),
      message: optionalString(body, 'message'),
      html: body.html === true,
      delayMs: optionalNumber(body, 'delay_ms'),
      lose: lose === 'reset' ? 'reset' : 'hang',
    };
    control.injectFault(fault);
    return true;
  },
  'DELETE faults': (control) => {
    control.clearFaults();
    return true;
  },
  'POST connections/drop': (control) => {
    // Answer first: dropping would cut this very connection too.
    setImmediate(() => control.dropConnections());
    return true;
  },
  'POST rate-limits': (control, body) => {
    const { enabled, ...limits } = body;
    if (typeof enabled !== 'boolean')
      throw new KiteApiError(400, 'InputException', '`enabled` must be true or false');
    control.setRateLimits(
      enabled,
      Object.keys(limits).length === 0 ? undefined : (limits as Record<string, number>),
    );
    return true;
  },
  'POST deposit': (control, body) => {
    control.deposit(numberOf(body, 'amount'));
    return true;
  },
};

/**
 * The admin endpoint under `/__kite-sim/`: the control API over HTTP for the standalone server.
 * Only loopback peers are served (403 otherwise), whatever address the server listens on.
 */
export function createAdminHandler(control: KiteSimControl) {
  return (request: IncomingMessage, response: ServerResponse, pathname: string): void => {
    if (!isLoopback(request.socket.remoteAddress)) {
      request.resume();
      writeError(
        response,
        new KiteApiError(
          403,
          'PermissionException',
          'The kite-sim admin endpoint only answers loopback clients',
        ),
      );
      return;
    }
    const command = ADMIN_COMMANDS[`${request.method ?? 'GET'} ${pathname.slice(ADMIN_PREFIX.length)}`];
    if (command === undefined) {
      request.resume();
      writeError(response, new KiteApiError(404, 'GeneralException', 'Unknown admin command'));
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_ADMIN_BODY) chunks.push(chunk);
    });
    request.on('end', () => {
      try {
        if (size > MAX_ADMIN_BODY) throw new KiteApiError(413, 'InputException', 'Request body too large');
        const text = Buffer.concat(chunks).toString('utf8').trim();
        let body: Record<string, unknown> = {};
        if (text !== '') {
          let parsed: unknown;
          try {
            parsed = JSON.parse(text);
          } catch {
            throw new KiteApiError(400, 'InputException', 'The body must be a JSON object');
          }
          if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
            throw new KiteApiError(400, 'InputException', 'The body must be a JSON object');
          }
          body = parsed as Record<string, unknown>;
        }
        writeSuccess(response, command(control, body));
      } catch (error) {
        if (error instanceof KiteApiError) writeError(response, error);
        else
          writeError(
            response,
            new KiteApiError(400, 'InputException', error instanceof Error ? error.message : String(error)),
          );
      }
    });
    request.on('error', () => response.destroy());
  };
}
