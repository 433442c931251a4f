import {
  AuthenticationError,
  BrokerAPIError,
  BrokerConnectionError,
  type BrokerError,
  BrokerTimeoutError,
  InsufficientFundsError,
  InvalidOrderError,
  InvalidSymbolError,
  OrderNotFoundError,
  OrderOutcomeUnknownError,
  OrderRejectedError,
  RateLimitError,
} from '@brokerkit/core';
import type { KiteFailure } from '../kite/kite-failure.js';
import { istMidnight } from '../time/ist-clock.js';

/** What a Kite failure means, before it is turned into a brokerkit error for one operation. */
export type KiteFailureKind =
  /** The access token is invalid or expired. */
  | 'session'
  /** 429 / "Too many requests": nothing was done; try again after the window. */
  | 'rate-limit'
  /** The day's order-request allowance is used up. */
  | 'daily-cap'
  /** Not enough margin or cash. */
  | 'funds'
  /** Selling more than is held. */
  | 'holdings'
  /** A parameter was refused (InputException). */
  | 'input'
  /** Any other definitive refusal (4xx, OrderException, UserException, PermissionException). */
  | 'refused'
  /** The order id is unknown. */
  | 'not-found'
  /** The request never left this machine (connection refused, DNS). */
  | 'unreachable'
  /** The request was (or may have been) sent and no answer came back (timeout, reset). */
  | 'no-answer'
  /** The server failed (5xx, NetworkException, DataException, GeneralException): the outcome is not known. */
  | 'server';

/** One row of the error table: the first row whose conditions all hold gives the kind. */
export interface KiteErrorRule {
  networkCodes?: readonly string[];
  /** Any socket error code (no response at all). */
  anyNetworkCode?: boolean;
  errorTypes?: readonly string[];
  message?: RegExp;
  /** Inclusive HTTP status range; a rule with a range does not match when the status is unknown. */
  httpStatus?: readonly [number, number];
  /** Matches when the HTTP status is unknown or within this inclusive range. */
  httpStatusUnknownOr?: readonly [number, number];
  kind: KiteFailureKind;
  source: string;
}

/** Socket errors raised before anything was written: the request certainly did not reach Kite. */
const NOT_SENT_CODES = [
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ENETUNREACH',
  'EHOSTUNREACH',
  'ERR_INVALID_URL',
];

/** Kite failure -> kind, in order. Sources: kite-connect-api.md sections 1.3, 3, 4 and 5. */
export const KITE_ERROR_RULES: readonly KiteErrorRule[] = Object.freeze([
  {
    networkCodes: NOT_SENT_CODES,
    kind: 'unreachable',
    source: 'kiteconnect: "No response from server with error code: ECONNREFUSED" (section 1.3)',
  },
  {
    anyNetworkCode: true,
    kind: 'no-answer',
    source: 'kiteconnect: timeout (ECONNABORTED) or a dropped socket after the send (section 1.3)',
  },
  {
    message: /too many requests/i,
    kind: 'rate-limit',
    source: 'section 5: 429 NetworkException "Too many requests", sometimes with HTTP 200 (OpenAlgo)',
  },
  {
    message: /maximum allowed order requests exceeded/i,
    kind: 'daily-cap',
    source: 'section 5 / kite forum 7679, 51118: the daily order cap',
  },
  { httpStatus: [429, 429], kind: 'rate-limit', source: 'kite docs: HTTP 429 is rate limiting' },
  {
    errorTypes: ['TokenException', 'TwoFAException'],
    kind: 'session',
    source: 'section 1.4 / 4: expired or invalid access token (403)',
  },
  { errorTypes: ['MarginException'], kind: 'funds', source: 'section 4: MarginException' },
  {
    message: /insufficient (funds|margin)|margin exceeds/i,
    kind: 'funds',
    source: 'section 3 / 4: "Insufficient funds. Required margin is ..." under any error_type',
  },
  { errorTypes: ['HoldingException'], kind: 'holdings', source: 'section 4: HoldingException' },
  {
    message: /couldn'?t find|could not find|order_?id`? (was )?not found|no such order|invalid `?order_id`?/i,
    kind: 'not-found',
    source: 'kiteconnect users: "Couldn\'t find that `order_id`." (GeneralException)',
  },
  { errorTypes: ['InputException'], kind: 'input', source: 'section 4: InputException (400)' },
  {
    errorTypes: ['NetworkException', 'DataException', 'GeneralException'],
    httpStatusUnknownOr: [500, 599],
    kind: 'server',
    source:
      'section 4: 500 GeneralException, 502 DataException, 503 NetworkException; kiteconnect maps an HTML 5xx to NetworkException',
  },
  { httpStatus: [500, 599], kind: 'server', source: 'kite docs: 500/502/503/504' },
  {
    errorTypes: ['OrderException', 'UserException', 'PermissionException'],
    kind: 'refused',
    source: 'section 4: OrderException, UserException, PermissionException',
  },
  { httpStatus: [400, 499], kind: 'refused', source: 'kite docs: 4xx is a refusal of the request' },
]);

function within(status: number | undefined, range: readonly [number, number]): boolean {
  return status !== undefined && status >= range[0] && status <= range[1];
}

/** The kind of a Kite failure; `server` (outcome unknown) when no rule matches. */
export function classifyKiteFailure(failure: KiteFailure): KiteFailureKind {
  for (const rule of KITE_ERROR_RULES) {
    if (rule.networkCodes !== undefined && !rule.networkCodes.includes(failure.networkCode ?? '')) continue;
    if (rule.anyNetworkCode === true && failure.networkCode === undefined) continue;
    if (rule.errorTypes !== undefined && !rule.errorTypes.includes(failure.errorType)) continue;
    if (rule.message !== undefined && !rule.message.test(failure.message)) continue;
    if (rule.httpStatus !== undefined && !within(failure.httpStatus, rule.httpStatus)) continue;
    if (
      rule.httpStatusUnknownOr !== undefined &&
      failure.httpStatus !== undefined &&
      !within(failure.httpStatus, rule.httpStatusUnknownOr)
    )
      continue;
    return rule.kind;
  }
  return 'server';
}

/** The hint every session error carries. */
export const SESSION_EXPIRED_HINT =
  'access tokens expire daily; log in again (brokerkit zerodha login) and check that the API key matches the token';

/** The operation a failure happened in; decides the error class for the same kind. */
export type KiteOperation = 'connect' | 'read' | 'placeOrder' | 'cancelOrder' | 'modifyOrder';

/** Context for `toBrokerError`. */
export interface KiteErrorContext {
  operation: KiteOperation;
  /** Public method name for messages (`getAccountBalance`). */
  method: string;
  broker: string;
  orderId?: string;
  clientOrderId?: string;
  /** The HTTP timeout, for BrokerTimeoutError. */
  timeoutMs?: number;
  /** Instrument, for lookups and messages. */
  symbol?: string;
  /** Epoch ms now, for the daily-cap retry time. */
  now?: number;
  /** Where the API is, for connection hints. */
  root?: string;
}

const KITE_PARAMETER_TO_FIELD: Readonly<Record<string, string>> = Object.freeze({
  quantity: 'quantity',
  price: 'limitPrice',
  trigger_price: 'stopPrice',
  tradingsymbol: 'symbol',
  exchange: 'exchange',
  product: 'product',
  order_type: 'orderType',
  validity: 'tif',
  transaction_type: 'side',
  tag: 'clientOrderId',
  disclosed_quantity: 'quantity',
});

/** The brokerkit field a Kite InputException names (`Invalid \`quantity\`.`), if any. */
export function fieldNamedBy(message: string): string | undefined {
  const named = /`([a-z_]+)`/.exec(message)?.[1] ?? /invalid ([a-z_]+)/i.exec(message)?.[1]?.toLowerCase();
  return named === undefined ? undefined : KITE_PARAMETER_TO_FIELD[named];
}

const AMOUNTS = /required margin is (-?\d+(?:\.\d+)?) but available margin is (-?\d+(?:\.\d+)?)/i;

/** The brokerkit error for a Kite failure in one operation. */
export function toBrokerError(failure: KiteFailure, context: KiteErrorContext): BrokerError {
  const kind = classifyKiteFailure(failure);
  const base = {
    broker: context.broker,
    brokerCode:
      failure.httpStatus === undefined ? failure.errorType : `${failure.errorType} ${failure.httpStatus}`,
    raw: failure.payload,
  };
  const said = failure.message || failure.errorType;
  const ordering = context.operation === 'placeOrder' || context.operation === 'modifyOrder';
  switch (kind) {
    case 'session':
      return new AuthenticationError({
        ...base,
        message: `zerodha: ${context.method}: the Kite session is not valid: ${said}`,
        hint: SESSION_EXPIRED_HINT,
        sessionExpired: true,
      });
    case 'rate-limit':
      return new RateLimitError({
        ...base,
        message: `zerodha: ${context.method}: Kite's rate limit was hit: ${said}`,
        hint: 'wait a second and try again; brokerkit paces requests, so this means another client shares the limit',
        retryAfterMs: 1_000,
      });
    case 'daily-cap': {
      const now = context.now ?? Date.now();
      return new RateLimitError({
        ...base,
        message: `zerodha: ${context.method}: Kite's daily allowance of order requests is used up: ${said}`,
        hint: 'Kite counts every order request (placed, modified, cancelled, refused) per day; it resets at midnight IST',
        retryAfterMs: istMidnight(now) + 86_400_000 - now,
      });
    }
    case 'funds': {
      const amounts = AMOUNTS.exec(failure.message);
      return new InsufficientFundsError({
        ...base,
        message: `zerodha: ${context.method}: ${said}`,
        ...(amounts === null ? {} : { required: Number(amounts[1]), available: Number(amounts[2]) }),
        ...(context.orderId === undefined ? {} : { orderId: context.orderId }),
        ...(context.clientOrderId === undefined ? {} : { clientOrderId: context.clientOrderId }),
      });
    }
    case 'not-found':
      if (context.orderId !== undefined) {
        return new OrderNotFoundError({
          ...base,
          message: `zerodha: no order ${context.orderId}: ${said}`,
          orderId: context.orderId,
        });
      }
      return refusal(base, said, context, ordering);
    case 'input': {
      const field = fieldNamedBy(failure.message);
      if (ordering && field === 'symbol' && context.symbol !== undefined) {
        return new InvalidSymbolError({
          ...base,
          message: `zerodha: Kite does not know ${context.symbol}: ${said}`,
          symbol: context.symbol,
        });
      }
      if (ordering && field !== undefined) {
        return new InvalidOrderError({
          ...base,
          issues: [{ path: field, message: `Kite refused it: ${said}` }],
        });
      }
      return refusal(base, said, context, ordering);
    }
    case 'holdings':
    case 'refused':
      return refusal(base, said, context, ordering);
    case 'unreachable':
      return new BrokerConnectionError({
        ...base,
        message: `zerodha: ${context.method}: Kite is unreachable: ${said}`,
        hint: `is the API address right${context.root === undefined ? '' : ` (${context.root})`} and the network up?`,
      });
    case 'no-answer':
    case 'server':
      return unknownOutcome(kind, failure, base, said, context);
  }
}

function refusal(
  base: { broker: string; brokerCode: string; raw: unknown },
  said: string,
  context: KiteErrorContext,
  ordering: boolean,
): BrokerError {
  if (ordering || context.operation === 'cancelOrder') {
    return new OrderRejectedError({
      ...base,
      message: `zerodha: ${context.method}: Kite refused it: ${said}`,
      reason: said,
      ...(context.orderId === undefined ? {} : { orderId: context.orderId }),
      ...(context.clientOrderId === undefined ? {} : { clientOrderId: context.clientOrderId }),
    });
  }
  return new BrokerAPIError({
    ...base,
    message: `zerodha: ${context.method}: Kite refused it: ${said}`,
    retryable: false,
  });
}

function unknownOutcome(
  kind: 'no-answer' | 'server',
  failure: KiteFailure,
  base: { broker: string; brokerCode: string; raw: unknown },
  said: string,
  context: KiteErrorContext,
): BrokerError {
  if (context.operation !== 'read' && context.operation !== 'connect') {
    return new OrderOutcomeUnknownError({
      ...base,
      message: `zerodha: ${context.method}: no definite answer from Kite (${said}); the request may have been carried out`,
      hint:
        context.operation === 'placeOrder'
          ? 'do not re-send: look the order up with findOrderByClientOrderId() (it travels as the Kite tag)'
          : 'check the order with getOrder() before acting on it',
      operation: context.operation,
      ...(context.orderId === undefined ? {} : { orderId: context.orderId }),
      ...(context.clientOrderId === undefined ? {} : { clientOrderId: context.clientOrderId }),
    });
  }
  if (
    kind === 'no-answer' &&
    (failure.networkCode === 'ECONNABORTED' || failure.networkCode === 'ETIMEDOUT')
  ) {
    return new BrokerTimeoutError({
      ...base,
      message: `zerodha: ${context.method}: Kite did not answer within ${context.timeoutMs ?? '?'} ms`,
      operation: context.method,
      timeoutMs: context.timeoutMs ?? 0,
    });
  }
  if (kind === 'no-answer' || context.operation === 'connect') {
    return new BrokerConnectionError({
      ...base,
      message: `zerodha: ${context.method}: the connection to Kite failed: ${said}`,
      hint: 'a network failure; try again',
    });
  }
  return new BrokerAPIError({
    ...base,
    message: `zerodha: ${context.method}: Kite failed: ${said}`,
    hint: 'a server-side failure at Kite; try again shortly',
    retryable: true,
  });
}
